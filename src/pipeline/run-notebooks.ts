import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { writeFileAtomically } from "../io/atomic-write.js";
import { renderIndexHtml } from "../report/index.js";
import { startRun, type ActiveRun, type RunStatus } from "../tracking/index.js";
import { ARTIFACT_DIR_ENV } from "./env-names.js";
import { executeNotebook, type ExecutionResult } from "./execute.js";
import { jupyterEnv } from "./jupyter-env.js";
import { notebookInputHash } from "./input-hash.js";
import { listNotebooks, NOTEBOOKS_DIR, selectNotebooks, type NotebookInfo } from "./notebooks.js";
import { ParameterError, PARAMS_ENV, typedOverrides, unknownParamError, type Params } from "./params.js";
import { sampleParamsRefusal } from "./sample-params.js";
import { readRunState, writeRunState, type NotebookRunState } from "./state.js";

export const REPORTS_DIR = "reports";
export const DEFAULT_EXPERIMENT = "retail-intel";

export interface RunNotebooksOptions {
  readonly root: string;
  readonly only?: readonly string[];
  readonly overrides?: Readonly<Record<string, string>>;
  readonly force?: boolean;
  /** MLflow experiment for the runs (default: MLFLOW_EXPERIMENT_NAME, else "retail-intel"). */
  readonly experimentName?: string;
  /** Extra tags on every run (the experiment command tags its parameter sets). */
  readonly tags?: Readonly<Record<string, string>>;
  /** Output folder for executed notebooks and HTML (default reports/). */
  readonly reportsDir?: string;
  /** Name suffix of the outputs, e.g. `-set-3` for an experiment's third parameter set. */
  readonly outputSuffix?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: (line: string) => void;
  /** Write reports/index.html at the end (default true; the experiment command writes its own). */
  readonly writeIndex?: boolean;
  /** The command named in run notes and the index, e.g. `npx retail-intel experiment experiments/x.json`. */
  readonly invokedAs?: string;
}

export interface NotebookOutcome {
  readonly notebook: string;
  readonly status: "ok" | "skipped" | "failed" | "interrupted" | "fatal";
  readonly runId?: string;
  readonly message?: string;
}

/** The code every notebook depends on: a change here reruns them all. */
const CODE_PATHS = ["src", "package-lock.json", join("scripts", "execute_notebook.py")];

/**
 * Every override typed against the notebooks that will run, before any runs: a value of the wrong type, or
 * a parameter none of them takes (misspelt, renamed, or belonging to a notebook left out by --only), is an
 * error, never ignored.
 */
export function overridesByNotebook(
  notebooks: readonly NotebookInfo[],
  all: readonly NotebookInfo[],
  overrides: Readonly<Record<string, string>>,
): Map<NotebookInfo, Params> {
  for (const key of Object.keys(overrides)) {
    if (notebooks.some((nb) => key in nb.defaults)) continue;
    const elsewhere = all.filter((nb) => key in nb.defaults).map((nb) => nb.name);
    if (elsewhere.length > 0) {
      throw new ParameterError(`parameter '${key}' is not taken by ${notebooks.map((nb) => nb.name).join(", ")}, only by ${elsewhere.join(", ")}: run that notebook too (--only) or leave the parameter out`);
    }
    throw unknownParamError(key, new Map(all.map((nb) => [nb.name, Object.keys(nb.defaults)])));
  }
  return new Map(notebooks.map((nb) => [nb, typedOverrides(nb.defaults, overrides)]));
}

function metricsForIndex(notebook: NotebookInfo, metrics: Readonly<Record<string, number>>): Record<string, number> {
  const keys = notebook.keyMetrics.length > 0 ? notebook.keyMetrics.filter((k) => k in metrics) : Object.keys(metrics).sort().slice(0, 6);
  return Object.fromEntries(keys.map((k) => [k, metrics[k]!]));
}

function finalStatus(result: ExecutionResult): RunStatus {
  if (result.status === "ok") return "FINISHED";
  if (result.status === "interrupted") return "KILLED";
  return "FAILED";
}

async function logRunArtifacts(run: ActiveRun, files: readonly string[], artifactDir: string, log: (line: string) => void): Promise<void> {
  const all = [...files.filter((f) => existsSync(f)).map((f) => [f, undefined] as const)];
  if (existsSync(artifactDir)) {
    for (const entry of readdirSync(artifactDir)) all.push([join(artifactDir, entry), undefined] as const);
  }
  for (const [path, artifactPath] of all) {
    try {
      await run.logArtifact(path, artifactPath);
    } catch (error) {
      log(`warning: could not log artifact ${path}: ${(error as Error).message}`);
    }
  }
}

/** One line of reports/index.html: a notebook, under the output name its last run was written as. */
export interface IndexItem {
  readonly notebook: NotebookInfo;
  readonly outputName: string;
  /** Shown under the title, e.g. an experiment's parameter set. */
  readonly note?: string;
}

/** Writes `<reportsDir>/index.html` from the run state of each item (never-run items show as not run). */
export function writeReportsIndex(reportsDir: string, items: readonly IndexItem[], generatedBy: string): void {
  const entries = items.map(({ notebook, outputName, note }) => {
    const state = readRunState(reportsDir, outputName);
    return {
      notebook: outputName,
      title: note ? `${notebook.title} (${note})` : notebook.title,
      htmlFile: state?.htmlFile ?? `${outputName}.html`,
      status: state ? (state.status === "ok" ? ("ok" as const) : ("failed" as const)) : ("skipped" as const),
      ranAt: state?.ranAt,
      durationSeconds: state?.durationSeconds,
      keyMetrics: state?.keyMetrics ?? {},
      mlflowRunId: state?.mlflowRunId,
      dataDescription: state?.dataDescription,
    };
  });
  writeFileAtomically(join(reportsDir, "index.html"), renderIndexHtml(entries, { title: "retail-intel reports", generatedBy }));
}

/**
 * Runs the notebooks in number order headless, each as one MLflow run; skips a notebook whose inputs hash
 * the same as at its last successful run (unless `force`); stops at the first failing cell.
 */
export async function runNotebooks(options: RunNotebooksOptions): Promise<NotebookOutcome[]> {
  const root = resolve(options.root);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const baseEnv = options.env ?? process.env;
  const reportsDir = resolve(root, options.reportsDir ?? REPORTS_DIR);
  const suffix = options.outputSuffix ?? "";
  const overrides = options.overrides ?? {};
  const all = listNotebooks(join(root, NOTEBOOKS_DIR));
  const notebooks = selectNotebooks(all, options.only);
  const ownOverrides = overridesByNotebook(notebooks, all, overrides);
  for (const notebook of notebooks) {
    const rawDir = { ...notebook.defaults, ...ownOverrides.get(notebook)! }["rawDir"];
    const refusal = rawDir === undefined ? undefined : sampleParamsRefusal(resolve(root, String(rawDir)), Object.keys(overrides));
    if (refusal) throw refusal;
  }
  mkdirSync(reportsDir, { recursive: true });

  const outcomes: NotebookOutcome[] = [];
  let fallbackTrackingUri: string | undefined;
  for (const notebook of notebooks) {
    const outputName = `${notebook.name}${suffix}`;
    const own = ownOverrides.get(notebook)!;
    const params = { ...notebook.defaults, ...own };
    const inputPaths = notebook.inputParams.map((key) => resolve(root, String(params[key])));
    const hashInputs = (): string =>
      notebookInputHash({ notebookPath: notebook.path, codePaths: CODE_PATHS.map((p) => join(root, p)), inputPaths, params, root });
    const inputHash = hashInputs();
    const htmlFile = `${outputName}.html`;
    const notebookFile = `${outputName}.ipynb`;
    const previous = readRunState(reportsDir, outputName);
    if (
      !options.force &&
      previous?.status === "ok" &&
      previous.inputHash === inputHash &&
      existsSync(join(reportsDir, htmlFile)) &&
      existsSync(join(reportsDir, notebookFile))
    ) {
      log(`[${notebook.name}] unchanged since its run at ${previous.ranAt}: skipped (--force runs it again)`);
      outcomes.push({ notebook: outputName, status: "skipped", runId: previous.mlflowRunId });
      continue;
    }

    const runEnv: NodeJS.ProcessEnv = { ...baseEnv, ...(fallbackTrackingUri ? { MLFLOW_TRACKING_URI: fallbackTrackingUri } : {}) };
    delete runEnv["MLFLOW_RUN_ID"];
    const run = await startRun({
      experimentName: options.experimentName ?? baseEnv["MLFLOW_EXPERIMENT_NAME"] ?? DEFAULT_EXPERIMENT,
      runName: outputName,
      tags: {
        "mlflow.source.name": relative(root, notebook.path),
        "mlflow.source.type": "NOTEBOOK",
        "mlflow.note.content": `${notebook.title}. Executed headless by \`${options.invokedAs ?? "npx retail-intel pipeline"}\`; report: ${relative(root, join(reportsDir, htmlFile))}.`,
        "retail_intel.input_hash": inputHash,
        ...options.tags,
      },
      env: runEnv,
      cwd: root,
    });
    if (isServerUri(runEnv["MLFLOW_TRACKING_URI"]) && !isServerUri(run.store.location) && run.store.location) {
      // The server could not be reached and the run went to the local store: the remaining notebooks go
      // there at once instead of waiting through the retries again.
      fallbackTrackingUri = run.store.location;
      log(`warning: the remaining notebooks of this pipeline also log to ${fallbackTrackingUri}`);
    }
    run.logParams(params);
    await run.flush();
    log(`[${notebook.name}] MLflow run ${run.info.runId} in ${run.store.description}`);

    const artifactDir = join(reportsDir, "artifacts", outputName);
    rmSync(artifactDir, { recursive: true, force: true });
    mkdirSync(artifactDir, { recursive: true });
    const result = await executeNotebook({
      notebookPath: notebook.path,
      outputNotebook: join(reportsDir, notebookFile),
      outputHtml: join(reportsDir, htmlFile),
      root,
      label: notebook.name,
      log,
      env: {
        ...jupyterEnv(root, runEnv),
        [PARAMS_ENV]: JSON.stringify(own),
        MLFLOW_RUN_ID: run.info.runId,
        MLFLOW_TRACKING_URI: trackingUriFor(run, runEnv),
        [ARTIFACT_DIR_ENV]: artifactDir,
      },
    });

    if (result.status !== "interrupted") {
      await logRunArtifacts(run, [join(reportsDir, notebookFile), join(reportsDir, htmlFile)], artifactDir, log);
    }
    await run.end(finalStatus(result));
    const { data } = await run.store.getRun(run.info.runId);
    const state: NotebookRunState = {
      notebook: outputName,
      title: notebook.title,
      status: result.status === "ok" ? "ok" : result.status === "interrupted" ? "interrupted" : "failed",
      // Hashed again after the run: a notebook may create its inputs (01 generates the sample when data/raw is empty).
      inputHash: result.status === "ok" ? hashInputs() : inputHash,
      ranAt: new Date().toISOString(),
      durationSeconds: Number(result.seconds.toFixed(1)),
      params,
      htmlFile,
      notebookFile,
      mlflowRunId: run.info.runId,
      trackingStore: run.store.description,
      keyMetrics: metricsForIndex(notebook, data.metrics),
      dataDescription: data.tags["retail_intel.data"],
      failure: result.failure ? { cell: result.failure.number, error: result.failure.error } : undefined,
    };
    if (result.status !== "interrupted") writeRunState(reportsDir, state);

    if (result.status === "ok") {
      log(`[${notebook.name}] done in ${result.seconds.toFixed(1)} s -> ${relative(root, join(reportsDir, htmlFile))}`);
      outcomes.push({ notebook: outputName, status: "ok", runId: run.info.runId });
      continue;
    }
    if (result.status === "interrupted") {
      log(`[${notebook.name}] interrupted; run ${run.info.runId} marked KILLED, no report written`);
      outcomes.push({ notebook: outputName, status: "interrupted", runId: run.info.runId });
      return outcomes;
    }
    const message =
      result.status === "failed" && result.failure
        ? `cell ${result.failure.number} failed:\n--- cell source ---\n${result.failure.source}\n--- error ---\n${withoutStackFrames(result.failure.error)}`
        : `the notebook could not run: ${result.fatal ?? "unknown error"}`;
    log(`[${notebook.name}] ${message}`);
    log(`[${notebook.name}] run ${run.info.runId} marked FAILED; the executed notebook is in ${relative(root, join(reportsDir, notebookFile))}`);
    outcomes.push({ notebook: outputName, status: result.status === "failed" ? "failed" : "fatal", runId: run.info.runId, message });
    break;
  }
  if (options.writeIndex !== false) {
    const items = all.map((notebook) => ({ notebook, outputName: `${notebook.name}${suffix}` }));
    writeReportsIndex(reportsDir, items, options.invokedAs ?? "npx retail-intel pipeline");
  }
  return outcomes;
}

/**
 * A cell's error as far as its first stack frame: the frames point into tslab and the VM, not at the
 * user's code, and what Node prints after them (the error's own fields) repeats the message. The executed
 * notebook keeps the whole text.
 */
export function withoutStackFrames(error: string): string {
  const lines = error.split("\n");
  const firstFrame = lines.findIndex((line) => /^\s+at \S/.test(line));
  return (firstFrame < 0 ? lines : lines.slice(0, firstFrame)).join("\n").trimEnd();
}

const isServerUri = (uri: string | undefined): boolean => uri !== undefined && /^https?:\/\//i.test(uri);

/** The tracking URI the kernel must use to log into the same store as the runner (after any fallback). */
function trackingUriFor(run: ActiveRun, env: NodeJS.ProcessEnv): string {
  const location = run.store.location;
  return location ?? env["MLFLOW_TRACKING_URI"] ?? "";
}
