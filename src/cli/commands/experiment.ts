import { basename, extname, join } from "node:path";
import { readExperimentPlan } from "../../pipeline/experiment-file.js";
import { repoRoot } from "../../pipeline/notebook-support.js";
import { listNotebooks, NOTEBOOKS_DIR, selectNotebooks } from "../../pipeline/notebooks.js";
import { overridesByNotebook, runNotebooks, writeReportsIndex, type NotebookOutcome } from "../../pipeline/run-notebooks.js";
import { UsageError, type Command } from "../command.js";
import { exitCodeOf, summarise } from "./pipeline.js";

export const experimentCommand: Command = {
  name: "experiment",
  brief: "run a notebook (or several, in order) once per parameter set, one MLflow run each",
  usage: "experiment FILE",
  positional: "FILE",
  summary:
    'Run the notebook (or the notebooks, in order) an experiment file names once per parameter set ("parameters": a list, or "grid": every combination), each as its own MLflow run in one MLflow experiment, tagged with the file and the set, so the runs compare side by side in the MLflow UI. Reports go to reports/experiments/<file name>/.',
  options: {},
  async run(_values, positionals) {
    const file = positionals[0];
    if (!file) throw new UsageError("the experiment FILE is required, e.g. experiments/feature-sample-size.json");
    const plan = readExperimentPlan(file);
    const stem = basename(file, extname(file));
    const notebooks = listNotebooks(join(repoRoot(), NOTEBOOKS_DIR));
    const chosen = selectNotebooks(notebooks, plan.notebooks);
    for (const [i, set] of plan.sets.entries()) {
      try {
        overridesByNotebook(chosen, notebooks, set);
      } catch (error) {
        throw new Error(`${file}, parameter set ${i + 1}: ${(error as Error).message}`);
      }
    }
    const outcomes: NotebookOutcome[] = [];
    process.stderr.write(`experiment ${plan.experimentName}: notebook${chosen.length > 1 ? "s" : ""} ${chosen.map((nb) => nb.name).join(", ")}, ${plan.sets.length} parameter sets\n`);
    for (const [i, set] of plan.sets.entries()) {
      process.stderr.write(`set ${i + 1}/${plan.sets.length}: ${JSON.stringify(set)}\n`);
      const result = await runNotebooks({
        root: repoRoot(),
        only: plan.notebooks,
        overrides: set,
        force: true,
        experimentName: plan.experimentName,
        reportsDir: join("reports", "experiments", stem),
        outputSuffix: `-set-${i + 1}`,
        writeIndex: false,
        invokedAs: `npx retail-intel experiment ${file}`,
        tags: {
          "retail_intel.experiment_file": file,
          "retail_intel.param_set": JSON.stringify(set),
          "retail_intel.param_set_index": String(i + 1),
        },
      });
      outcomes.push(...result);
      if (exitCodeOf(result) !== 0) break;
    }
    const reportsDir = join(repoRoot(), "reports", "experiments", stem);
    writeReportsIndex(
      reportsDir,
      plan.sets.flatMap((set, i) => chosen.map((notebook) => ({ notebook, outputName: `${notebook.name}-set-${i + 1}`, note: JSON.stringify(set) }))),
      `npx retail-intel experiment ${file}`,
    );
    process.stdout.write(`${summarise(outcomes)}\nReports: ${join("reports", "experiments", stem, "index.html")}; MLflow experiment "${plan.experimentName}"\n`);
    return exitCodeOf(outcomes);
  },
};
