/**
 * Notebook parameters, papermill-style: a notebook's first code cell (tagged `parameters`) calls
 * `notebookParams({...})` with its defaults as a JSON object literal; the runner overrides them through the
 * RETAIL_INTEL_PARAMS environment variable (a JSON object), and reads the same defaults from the cell source.
 */

export type ParamValue = string | number | boolean;
export type Params = Record<string, ParamValue>;

export const PARAMS_ENV = "RETAIL_INTEL_PARAMS";

/** Coerces an override to the type of its default ("5000" -> 5000 for a number default). */
export function coerceParam(key: string, value: unknown, defaultValue: ParamValue): ParamValue {
  const text = String(value);
  switch (typeof defaultValue) {
    case "number": {
      const n = typeof value === "number" ? value : Number(text.trim());
      if (text.trim() === "" || !Number.isFinite(n)) throw new Error(`parameter '${key}' must be a number, got '${text}'`);
      return n;
    }
    case "boolean":
      if (value === true || text === "true" || text === "1") return true;
      if (value === false || text === "false" || text === "0") return false;
      throw new Error(`parameter '${key}' must be true or false, got '${text}'`);
    default:
      return text;
  }
}

/** Defaults merged with overrides; an override for a key the notebook does not declare is an error. */
export function mergeParams<T extends Params>(defaults: T, overrides: Readonly<Record<string, unknown>>): T {
  const merged: Params = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) {
    const defaultValue = defaults[key];
    if (defaultValue === undefined) {
      throw new Error(`unknown parameter '${key}'; this notebook takes ${Object.keys(defaults).join(", ")}`);
    }
    merged[key] = coerceParam(key, value, defaultValue);
  }
  return merged as T;
}

/** For the parameters cell of a notebook: its defaults, overridden by the runner when it runs headless. */
export function notebookParams<T extends Params>(defaults: T, env: NodeJS.ProcessEnv = process.env): T {
  const raw = env[PARAMS_ENV];
  if (!raw) return { ...defaults };
  let overrides: unknown;
  try {
    overrides = JSON.parse(raw);
  } catch {
    throw new Error(`${PARAMS_ENV} is not a JSON object: ${raw}`);
  }
  if (typeof overrides !== "object" || overrides === null || Array.isArray(overrides)) {
    throw new Error(`${PARAMS_ENV} is not a JSON object: ${raw}`);
  }
  return mergeParams(defaults, overrides as Record<string, unknown>);
}

/** Parses `--params k=v` arguments (values stay text; they are coerced against each notebook's defaults). */
export function parseParamAssignments(assignments: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const assignment of assignments) {
    const eq = assignment.indexOf("=");
    if (eq <= 0) throw new Error(`--params expects key=value, got '${assignment}'`);
    result[assignment.slice(0, eq).trim()] = assignment.slice(eq + 1);
  }
  return result;
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
