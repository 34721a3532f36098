import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { readJsonFile } from "../io/json-file.js";
import { defaultsFromParametersCell, type Params } from "./params.js";

export const NOTEBOOKS_DIR = "notebooks";

/** What the runner needs to know of a notebook, read from the .ipynb file. */
export interface NotebookInfo {
  /** `01-transform-retail-data` */
  readonly name: string;
  /** `01` */
  readonly number: string;
  readonly path: string;
  readonly title: string;
  readonly defaults: Params;
  /** Parameter names whose values are files or folders the notebook reads (hashed to decide skipping). */
  readonly inputParams: readonly string[];
  /** Metric keys shown for this notebook in reports/index.html. */
  readonly keyMetrics: readonly string[];
}

interface RawNotebook {
  cells: { cell_type: string; source: string | string[]; metadata?: { tags?: string[] } }[];
  metadata?: { retail_intel?: { title?: string; inputs?: string[]; key_metrics?: string[] } };
}

const cellSource = (source: string | string[]): string => (Array.isArray(source) ? source.join("") : source);

export function readNotebookInfo(path: string): NotebookInfo {
  const name = basename(path, ".ipynb");
  const notebook = readJsonFile(path, "notebook") as RawNotebook;
  const parametersCell = notebook.cells.find((c) => c.cell_type === "code" && c.metadata?.tags?.includes("parameters"));
  const meta = notebook.metadata?.retail_intel ?? {};
  return {
    name,
    number: name.split("-")[0]!,
    path,
    title: meta.title ?? name,
    defaults: parametersCell ? defaultsFromParametersCell(cellSource(parametersCell.source), name) : {},
    inputParams: meta.inputs ?? [],
    keyMetrics: meta.key_metrics ?? [],
  };
}

/** A notebook asked for (`--only`, an experiment file) that does not exist. */
export class UnknownNotebookError extends Error {
  override name = "UnknownNotebookError";
}

/** Notebooks `NN-*.ipynb` in number order; `only` keeps those whose number or name matches. */
export function listNotebooks(dir = NOTEBOOKS_DIR, only?: readonly string[]): NotebookInfo[] {
  const all = readdirSync(dir)
    .filter((f) => /^\d{2}-.+\.ipynb$/.test(f))
    .sort()
    .map((f) => readNotebookInfo(join(dir, f)));
  return selectNotebooks(all, only);
}

/** The notebooks of `all` whose number or name matches one of `only` (all of them when `only` is empty). */
export function selectNotebooks(all: readonly NotebookInfo[], only?: readonly string[]): NotebookInfo[] {
  if (!only || only.length === 0) return [...all];
  const matches = (nb: NotebookInfo, o: string): boolean => nb.number === o || nb.name === o || nb.name.startsWith(`${o}-`);
  const unknown = only.filter((o) => !all.some((nb) => matches(nb, o)));
  if (unknown.length > 0) {
    throw new UnknownNotebookError(`no notebook matches ${unknown.map((u) => `'${u}'`).join(", ")}; there are ${all.map((n) => n.name).join(", ")}`);
  }
  return all.filter((nb) => only.some((o) => matches(nb, o)));
}
