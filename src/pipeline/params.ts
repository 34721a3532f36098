/**
 * Notebook parameters, papermill-style. A notebook's first code cell (tagged `parameters`) calls
 * `notebookParams({...})` with its defaults as a JSON object literal: that literal is the one place a
 * parameter's default and type are written. The runner reads the same literal from the cell source, parses
 * `--params key=value` against it once (text -> the default's type) and hands the kernel only the overrides,
 * already typed, as JSON in RETAIL_INTEL_PARAMS; the cell merges them onto its defaults.
 */

export type ParamValue = string | number | boolean;
export type Params = Record<string, ParamValue>;

export const PARAMS_ENV = "RETAIL_INTEL_PARAMS";

/** A parameter that is unknown, renamed, of the wrong type, or cannot take effect: the user's to fix. */
export class ParameterError extends Error {
  override name = "ParameterError";
}

/**
 * Parameters that were renamed to say what they seed, size or hold: old name -> the names that replaced it
 * (each notebook declares at most one of them). `outDir` meant two folders (04's segments, 05's evaluation)
 * that are now registered as models, so one override must not send both to one folder.
 */
export const RENAMED_PARAMS: Readonly<Record<string, readonly string[]>> = {
  seed: ["sampleSeed", "intervalSeed", "kmeansSeed"],
  seeds: ["trainSeeds"],
  outDir: ["segmentsDir", "recommendDir"],
};

/** Which notebook declares which parameters, for messages: `01-transform-retail-data` -> its keys. */
export type DeclaredParams = ReadonlyMap<string, readonly string[]>;

const quote = (names: readonly string[]): string => names.map((n) => `'${n}'`).join(", ");

/** The error for a parameter no notebook in `declared` takes; a renamed one names its replacement. */
export function unknownParamError(key: string, declared: DeclaredParams): ParameterError {
  const replacements = (RENAMED_PARAMS[key] ?? [])
    .map((name) => ({ name, notebooks: [...declared].filter(([, keys]) => keys.includes(name)).map(([nb]) => nb) }))
    .filter((r) => r.notebooks.length > 0);
  if (replacements.length > 0) {
    const uses = replacements.map((r) => `'${r.name}' (${r.notebooks.join(", ")})`);
    return new ParameterError(`parameter '${key}' was renamed to say what it seeds, sizes or holds: use ${uses.join(" or ")}`);
  }
  const all = [...new Set([...declared.values()].flat())].sort();
  const where = declared.size === 1 ? [...declared.keys()][0]! : `the notebooks ${[...declared.keys()].join(", ")}`;
  return new ParameterError(`unknown parameter '${key}'; ${where} take${declared.size === 1 ? "s" : ""} ${quote(all)}`);
}

/** Parses an override given as text (`--params`, experiment files) to the type of its default. */
export function parseParam(key: string, text: string, defaultValue: ParamValue): ParamValue {
  switch (typeof defaultValue) {
    case "number": {
      const n = Number(text.trim());
      if (text.trim() === "" || !Number.isFinite(n)) throw new ParameterError(`parameter '${key}' must be a number, got '${text}'`);
      return n;
    }
    case "boolean":
      if (text === "true" || text === "1") return true;
      if (text === "false" || text === "0") return false;
      throw new ParameterError(`parameter '${key}' must be true or false, got '${text}'`);
    default:
      return text;
  }
}

/** Parses `--params k=v` arguments into text values (typed later against each notebook's defaults). */
export function parseParamAssignments(assignments: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const assignment of assignments) {
    const eq = assignment.indexOf("=");
    if (eq <= 0) throw new ParameterError(`--params expects key=value, got '${assignment}'`);
    result[assignment.slice(0, eq).trim()] = assignment.slice(eq + 1);
  }
  return result;
}

/** For the parameters cell of a notebook: its defaults, with the runner's typed overrides merged on. */
export function notebookParams<T extends Params>(defaults: T, env: NodeJS.ProcessEnv = process.env): T {
  const overrides = paramOverrides(env);
  const merged: Params = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) {
    const defaultValue = defaults[key];
    if (defaultValue === undefined) throw unknownParamError(key, new Map([["this notebook", Object.keys(defaults)]]));
    if (typeof value !== typeof defaultValue) {
      throw new ParameterError(`parameter '${key}' must be a ${typeof defaultValue}, got ${JSON.stringify(value)} in ${PARAMS_ENV}`);
    }
    merged[key] = value;
  }
  return merged as T;
}

/** The overrides the runner passed (an empty object in an interactive session). */
export function paramOverrides(env: NodeJS.ProcessEnv = process.env): Readonly<Record<string, ParamValue>> {
  const raw = env[PARAMS_ENV];
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(`${PARAMS_ENV} is not a JSON object: ${raw}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error(`${PARAMS_ENV} is not a JSON object: ${raw}`);
  for (const [key, value] of Object.entries(parsed)) {
    if (!["string", "number", "boolean"].includes(typeof value)) throw new Error(`${PARAMS_ENV}: parameter '${key}' must be a string, number or boolean`);
  }
  return parsed as Record<string, ParamValue>;
}

/**
 * The defaults a parameters cell declares: the JSON object literal passed to `notebookParams(`.
 * Throws with the notebook's name when the cell does not have that form.
 */
export function defaultsFromParametersCell(source: string, notebook: string): Params {
  const call = source.indexOf("notebookParams(");
  const open = call < 0 ? -1 : source.indexOf("{", call);
  if (open < 0) throw new Error(`${notebook}: the parameters cell must call notebookParams({...}) with a JSON object`);
  let depth = 0;
  let inString = false;
  for (let i = open; i < source.length; i++) {
    const ch = source[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) {
      const literal = source.slice(open, i + 1);
      try {
        const parsed = JSON.parse(literal) as unknown;
        if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
          for (const [key, value] of Object.entries(parsed)) {
            if (!["string", "number", "boolean"].includes(typeof value)) {
              throw new Error(`parameter '${key}' must be a string, number or boolean`);
            }
          }
          return parsed as Params;
        }
      } catch (error) {
        throw new Error(`${notebook}: the parameters passed to notebookParams must be a JSON object literal (${(error as Error).message})`);
      }
    }
  }
  throw new Error(`${notebook}: unbalanced braces in the parameters cell`);
}

/** Text overrides typed against one notebook's defaults; keys it does not declare are left out. */
export function typedOverrides(defaults: Readonly<Params>, overrides: Readonly<Record<string, string>>): Params {
  return Object.fromEntries(
    Object.entries(overrides)
      .filter(([key]) => key in defaults)
      .map(([key, text]) => [key, parseParam(key, text, defaults[key]!)]),
  );
}
