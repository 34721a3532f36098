import { UnknownNotebookError } from "../../pipeline/notebooks.js";
import { ParameterError, parseParamAssignments } from "../../pipeline/params.js";
import { runNotebooks, type NotebookOutcome } from "../../pipeline/run-notebooks.js";
import { repoRoot } from "../../pipeline/notebook-support.js";
import { UsageError, type Command, type OptionValue } from "../command.js";

export const listOption = (value: OptionValue): string[] =>
  (Array.isArray(value) ? value : typeof value === "string" ? [value] : []).flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);

/** 0 when every notebook ran or was skipped, 130 when interrupted, 1 otherwise. */
export function exitCodeOf(outcomes: readonly NotebookOutcome[]): number {
  if (outcomes.some((o) => o.status === "interrupted")) return 130;
  return outcomes.every((o) => o.status === "ok" || o.status === "skipped") ? 0 : 1;
}

export function summarise(outcomes: readonly NotebookOutcome[]): string {
  return outcomes.map((o) => `  ${o.notebook}: ${o.status}${o.runId ? ` (MLflow run ${o.runId})` : ""}`).join("\n");
}

export const pipelineCommand: Command = {
  name: "pipeline",
  brief: "run the notebooks in order into reports/ (the main job)",
  usage: "pipeline [--only NN] [--params key=value] [--force]",
  summary:
    "Execute the notebooks in number order headless on the tslab kernel, writing each executed notebook and its HTML to reports/ (with reports/index.html) and logging each as an MLflow run (MLFLOW_TRACKING_URI, else ./mlruns). Notebook 01 generates the sample into data/raw when no Olist files are there. A notebook whose inputs (data, parameters, notebook, src) are unchanged since its last successful run is skipped. Stops at the first failing cell and prints its source and error.",
  options: {
    only: { type: "string", valueName: "NN", multiple: true, description: "run only these notebooks (number or name; repeatable or comma-separated)" },
    params: { type: "string", valueName: "key=value", multiple: true, description: "override a notebook parameter (repeatable), e.g. --params sampleOrders=20000" },
    force: { type: "boolean", description: "run notebooks even when their inputs are unchanged" },
  },
  async run(values) {
    let outcomes: NotebookOutcome[];
    try {
      // parseParamAssignments throws before runNotebooks returns a promise: both inside the try
      outcomes = await runNotebooks({
        root: repoRoot(),
        only: listOption(values["only"]),
        overrides: parseParamAssignments(listOption(values["params"])),
        force: values["force"] === true,
      });
    } catch (error) {
      throw error instanceof ParameterError || error instanceof UnknownNotebookError ? new UsageError(error.message) : error;
    }
    process.stdout.write(`${summarise(outcomes)}\nReports: reports/index.html\n`);
    return exitCodeOf(outcomes);
  },
};
