import { basename, extname } from "node:path";
import { readJsonFile } from "../io/json-file.js";

/**
 * An experiment file (experiments/NAME.json): one notebook (or several, in order) run once per parameter set,
 * each notebook of each set its own MLflow run in one MLflow experiment.
 *
 *   { "notebook": "02" (or ["01", "02"]), "experiment": "optional MLflow experiment name (default: the file name)",
 *     "description": "optional",
 *     "base": { "key": "value for every set" },
 *     "parameters": [ { ... }, { ... } ]          a list of sets, or
 *     "grid": { "key": [v1, v2], "other": [w1] }   every combination, in key order }
 *
 * String values may refer to other parameters of the same set as `{key}` (e.g. a folder per set).
 */
export interface ExperimentPlan {
  readonly file: string;
  /** Numbers or names of the notebooks each set runs, in order. */
  readonly notebooks: readonly string[];
  readonly experimentName: string;
  readonly description?: string;
  readonly sets: readonly Readonly<Record<string, string>>[];
}

type Scalar = string | number | boolean;

function isScalar(value: unknown): value is Scalar {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

function scalarRecord(value: unknown, where: string): Record<string, Scalar> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${where} must be an object`);
  for (const [key, v] of Object.entries(value)) {
    if (!isScalar(v)) throw new Error(`${where}.${key} must be a string, number or boolean`);
  }
  return value as Record<string, Scalar>;
}

/** Every combination of the grid's values, the first key varying slowest. */
export function expandGrid(grid: Readonly<Record<string, readonly Scalar[]>>): Record<string, Scalar>[] {
  return Object.entries(grid).reduce<Record<string, Scalar>[]>(
    (sets, [key, values]) => sets.flatMap((set) => values.map((v) => ({ ...set, [key]: v }))),
    [{}],
  );
}

/** Replaces `{key}` in string values by the set's other values. */
export function fillTemplates(set: Readonly<Record<string, Scalar>>): Record<string, string> {
  const text = Object.fromEntries(Object.entries(set).map(([k, v]) => [k, String(v)]));
  return Object.fromEntries(
    Object.entries(text).map(([key, value]) => [
      key,
      value.replace(/\{(\w+)\}/g, (whole, ref: string) => {
        if (ref === key || !(ref in text)) throw new Error(`parameter '${key}': '${whole}' names no other parameter of the set`);
        return text[ref]!;
      }),
    ]),
  );
}

export function parseExperimentPlan(json: unknown, file: string): ExperimentPlan {
  const where = basename(file);
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new Error(`${where}: expected a JSON object`);
  const spec = json as Record<string, unknown>;
  const notebook = spec["notebook"];
  const notebooks = typeof notebook === "string" ? [notebook] : notebook;
  if (!Array.isArray(notebooks) || notebooks.length === 0 || !notebooks.every((n) => typeof n === "string" && n !== "")) {
    throw new Error(`${where}: "notebook" (e.g. "02", or ["01", "02"] to run several in order) is required`);
  }
  const base = spec["base"] === undefined ? {} : scalarRecord(spec["base"], `${where}: base`);
  let sets: Record<string, Scalar>[];
  if (spec["parameters"] !== undefined && spec["grid"] !== undefined) throw new Error(`${where}: give "parameters" or "grid", not both`);
  if (Array.isArray(spec["parameters"])) {
    sets = spec["parameters"].map((s, i) => scalarRecord(s, `${where}: parameters[${i}]`));
  } else if (spec["grid"] !== undefined) {
    const grid = spec["grid"];
    if (typeof grid !== "object" || grid === null || Array.isArray(grid)) throw new Error(`${where}: "grid" must be an object of lists`);
    for (const [key, values] of Object.entries(grid)) {
      if (!Array.isArray(values) || values.length === 0 || !values.every(isScalar)) {
        throw new Error(`${where}: grid.${key} must be a non-empty list of strings, numbers or booleans`);
      }
    }
    sets = expandGrid(grid as Record<string, Scalar[]>);
  } else {
    throw new Error(`${where}: "parameters" (a list of sets) or "grid" (lists per parameter) is required`);
  }
  if (sets.length === 0) throw new Error(`${where}: no parameter sets`);
  return {
    file,
    notebooks: notebooks as string[],
    experimentName: typeof spec["experiment"] === "string" && spec["experiment"] !== "" ? spec["experiment"] : basename(file, extname(file)),
    description: typeof spec["description"] === "string" ? spec["description"] : undefined,
    sets: sets.map((set) => fillTemplates({ ...base, ...set })),
  };
}

export function readExperimentPlan(path: string): ExperimentPlan {
  return parseExperimentPlan(readJsonFile(path, "experiment file"), path);
}
