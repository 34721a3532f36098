/**
 * A real MLflow tracking server for contract tests, started and stopped by the tests themselves.
 *
 * Where MLflow comes from (the first that imports `mlflow`):
 * - RETAIL_INTEL_MLFLOW_PYTHON: a Python interpreter where `import mlflow` works (e.g. a venv after
 *   `pip install mlflow`), optionally with RETAIL_INTEL_MLFLOW_PYTHONPATH added to its path;
 * - otherwise /usr/bin/python3 with `../shared/mlflow-peer/site` (MLflow 2.11.3's source, next to the repo
 *   on the development machines; its install-deps.sh installs the Debian packages it needs).
 * Without either the tests skip, and {@link realMlflowSkipReason} says how to enable them.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./free-port.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const peerSite = resolve(repoRoot, "..", "shared", "mlflow-peer", "site");

interface MlflowPython {
  readonly python: string;
  readonly pythonPath: string | undefined;
  readonly version: string;
}

function probe(python: string, pythonPath: string | undefined): MlflowPython | string {
  const result = spawnSync(python, ["-c", "import mlflow, mlflow.server; print(mlflow.__version__)"], {
    encoding: "utf8",
    env: { ...process.env, ...(pythonPath === undefined ? {} : { PYTHONPATH: pythonPath }) },
    timeout: 60_000,
  });
  if (result.status === 0) return { python, pythonPath, version: result.stdout.trim() };
  return `${python}${pythonPath === undefined ? "" : ` with PYTHONPATH=${pythonPath}`}: ${(result.stderr || String(result.error ?? "")).trim().split("\n").pop()}`;
}

let found: MlflowPython | string | undefined;

/** The Python that runs MLflow here, or why there is none. */
export function findMlflowPython(): MlflowPython | string {
  if (found !== undefined) return found;
  const explicit = process.env["RETAIL_INTEL_MLFLOW_PYTHON"];
  if (explicit !== undefined && explicit !== "") found = probe(explicit, process.env["RETAIL_INTEL_MLFLOW_PYTHONPATH"]);
  else if (existsSync(peerSite) && existsSync("/usr/bin/python3")) found = probe("/usr/bin/python3", peerSite);
  else found = `neither RETAIL_INTEL_MLFLOW_PYTHON nor ${peerSite} is there`;
  return found;
}

/** undefined when a real MLflow can run; else the reason to print with the skipped tests. */
export function realMlflowSkipReason(): string | undefined {
  const python = findMlflowPython();
  if (typeof python !== "string") return undefined;
  return (
    `no real MLflow (${python}). To run these contract tests set RETAIL_INTEL_MLFLOW_PYTHON to a Python where ` +
    "`import mlflow` works (e.g. a venv after `pip install mlflow`), or put MLflow's source at ../shared/mlflow-peer/site and run its install-deps.sh."
  );
}

export interface RealMlflow {
  readonly url: string;
  readonly version: string;
  stop(): Promise<void>;
}

/**
 * Starts `mlflow server` on a free loopback port with the given backend store URI (`sqlite:///...` or
 * `file:///.../mlruns`) and artifact folder, waits for /health (up to 90 s), and returns its URL.
 */
export async function startRealMlflow(backendStoreUri: string, artifactsDir: string): Promise<RealMlflow> {
  const python = findMlflowPython();
  if (typeof python === "string") throw new Error(python);
  mkdirSync(artifactsDir, { recursive: true });
  const port = await freePort();
  const log = join(dirname(artifactsDir), `mlflow-server-${port}.log`);
  const { openSync } = await import("node:fs");
  const out = openSync(log, "w");
  const child: ChildProcess = spawn(
    python.python,
    ["-m", "mlflow", "server", "--host", "127.0.0.1", "--port", String(port), "--backend-store-uri", backendStoreUri, "--artifacts-destination", artifactsDir, "--workers", "1"],
    { env: { ...process.env, ...(python.pythonPath === undefined ? {} : { PYTHONPATH: python.pythonPath }) }, stdio: ["ignore", out, out], detached: true },
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // gone
      }
    }, 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return { url, version: python.version, stop };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  await stop();
  throw new Error(`MLflow server did not answer ${url}/health: ${readFileSync(log, "utf8").slice(-2000)}`);
}
