import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomically } from "../io/atomic-write.js";
import type { Params } from "./params.js";

/** What the runner remembers of a notebook's last run, in reports/.state/<notebook>.json. */
export interface NotebookRunState {
  readonly notebook: string;
  readonly title: string;
  readonly status: "ok" | "failed" | "interrupted";
  readonly inputHash: string;
  readonly ranAt: string;
  readonly durationSeconds: number;
  readonly params: Params;
  readonly htmlFile: string;
  readonly notebookFile: string;
  readonly mlflowRunId?: string;
  readonly trackingStore?: string;
  readonly keyMetrics: Readonly<Record<string, number | string>>;
  /** Which data the run used, as the notebook's `retail_intel.data` tag says. */
  readonly dataDescription?: string;
  readonly failure?: { readonly cell: number; readonly error: string };
}

const stateFile = (reportsDir: string, notebook: string): string => join(reportsDir, ".state", `${notebook}.json`);

export function readRunState(reportsDir: string, notebook: string): NotebookRunState | undefined {
  const path = stateFile(reportsDir, notebook);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, "utf8")) as NotebookRunState;
  } catch {
    return undefined; // unreadable state only means the notebook runs again
  }
}

export function writeRunState(reportsDir: string, state: NotebookRunState): void {
  writeFileAtomically(stateFile(reportsDir, state.notebook), `${JSON.stringify(state, null, 2)}\n`);
}
