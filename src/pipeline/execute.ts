import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { PROGRESS_FILE_ENV } from "./env-names.js";

export const JUPYTER_PYTHON = process.env["JUPYTER_PYTHON"] ?? "/usr/bin/python3";

export interface CellFailure {
  /** 1-based position among the code cells. */
  readonly number: number;
  readonly source: string;
  readonly error: string;
}

export interface ExecutionResult {
  readonly status: "ok" | "failed" | "interrupted" | "fatal";
  readonly seconds: number;
  readonly cells: number;
  readonly failure?: CellFailure;
  /** For status "fatal": why the kernel could not run the notebook. */
  readonly fatal?: string;
}

type DriverEvent =
  | { event: "start"; cells: number }
  | { event: "cell_start"; number: number; cells: number; source: string }
  | { event: "cell_done"; number: number; seconds: number }
  | { event: "progress"; number: number; cells: number; text: string }
  | { event: "error"; number: number; source: string; error: string }
  | { event: "fatal"; error: string }
  | { event: "interrupted" }
  | { event: "written"; notebook: string; html: string };

export interface ExecuteOptions {
  readonly notebookPath: string;
  readonly outputNotebook: string;
  readonly outputHtml: string;
  readonly root: string;
  readonly env: NodeJS.ProcessEnv;
  readonly label: string;
  readonly timeoutSeconds?: number;
  readonly log?: (line: string) => void;
}

/** `[label] cell 3/9  123.4 s  text`: the prefix of every line printed while a notebook runs. */
const cellLine = (label: string, number: number, cells: number, seconds: number, text: string): string =>
  `[${label}] cell ${number}/${cells}  ${seconds.toFixed(1)} s  ${text}`;

const firstLine = (source: string): string => {
  const line = source.split("\n").find((l) => l.trim() !== "" && !l.trim().startsWith("//")) ?? "";
  return line.length > 70 ? `${line.slice(0, 69)}…` : line;
};

/**
 * Executes a notebook headless on the tslab kernel through Debian's nbclient (scripts/execute_notebook.py),
 * printing which cell runs and the elapsed time, and, as they come, the progress lines a cell reports with
 * `nb.progress` (through a file named in RETAIL_INTEL_PROGRESS_FILE that the driver tails; they stay out of
 * the report). The executed notebook and its HTML are written atomically by the driver, also when a cell
 * fails (they then show the error); nothing is written when interrupted.
 */
export function executeNotebook(options: ExecuteOptions): Promise<ExecutionResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const start = performance.now();
  const elapsed = (): number => (performance.now() - start) / 1000;
  const progressDir = mkdtempSync(join(tmpdir(), "retail-intel-progress-"));
  const progressFile = join(progressDir, "progress.log");
  writeFileSync(progressFile, "");
  const args = [
    join(options.root, "scripts", "execute_notebook.py"),
    options.notebookPath,
    options.outputNotebook,
    options.outputHtml,
    "--kernel",
    "tslab",
    "--timeout",
    String(options.timeoutSeconds ?? 1800),
    "--cwd",
    dirname(resolve(options.notebookPath)), // as Jupyter does: the kernel starts in the notebook's folder
    "--progress-file",
    progressFile,
  ];
  return new Promise((resolve, reject) => {
    const env = { ...options.env, [PROGRESS_FILE_ENV]: progressFile }; // the kernel inherits the driver's environment
    const child = spawn(JUPYTER_PYTHON, args, { cwd: options.root, env, stdio: ["ignore", "pipe", "pipe"] });
    let cells = 0;
    let failure: CellFailure | undefined;
    let fatal: string | undefined;
    let interrupted = false;
    const stderrTail: string[] = [];
    createInterface({ input: child.stdout }).on("line", (line) => {
      let event: DriverEvent;
      try {
        event = JSON.parse(line) as DriverEvent;
      } catch {
        return; // not ours (a library printing to stdout)
      }
      switch (event.event) {
        case "start":
          cells = event.cells;
          break;
        case "cell_start":
          log(cellLine(options.label, event.number, event.cells, elapsed(), firstLine(event.source)));
          break;
        case "progress":
          log(cellLine(options.label, event.number, event.cells, elapsed(), event.text));
          break;
        case "error":
          failure = { number: event.number, source: event.source, error: event.error };
          break;
        case "fatal":
          fatal = event.error;
          break;
        case "interrupted":
          interrupted = true;
          break;
        default:
          break;
      }
    });
    createInterface({ input: child.stderr }).on("line", (line) => {
      stderrTail.push(line);
      if (stderrTail.length > 40) stderrTail.shift();
    });
    // Ctrl-C reaches the driver too (same process group); a signal sent to the runner alone is passed on.
    // Either way the runner waits for the driver to stop, so the run can be marked KILLED and nothing is
    // left half-written. A second Ctrl-C kills the driver outright.
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      signals++;
      interrupted = true;
      log(`[${options.label}] ${signal}: stopping the notebook${signals > 1 ? " (forced)" : "; Ctrl-C again to force"}`);
      child.kill(signals > 1 ? "SIGKILL" : "SIGINT");
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    const cleanUp = (): void => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      rmSync(progressDir, { recursive: true, force: true });
    };
    child.on("error", (error) => {
      cleanUp();
      reject(new Error(`cannot start ${JUPYTER_PYTHON}: ${error.message}; run \`npm run setup\``));
    });
    child.on("close", (code, signal) => {
      cleanUp();
      const seconds = elapsed();
      if (interrupted || code === 130 || signal === "SIGINT" || signal === "SIGTERM" || signal === "SIGKILL") {
        resolve({ status: "interrupted", seconds, cells });
      } else if (code === 0) {
        resolve({ status: "ok", seconds, cells });
      } else if (code === 1 && failure) {
        resolve({ status: "failed", seconds, cells, failure });
      } else {
        const why = fatal ?? (stderrTail.join("\n").trim() || `the notebook driver exited with code ${code}`);
        resolve({ status: "fatal", seconds, cells, fatal: why });
      }
    });
  });
}
