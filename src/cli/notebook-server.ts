import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer, isIP } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { jupyterEnv, kernelSpecPath } from "../pipeline/jupyter-env.js";

/**
 * Starts Debian's Jupyter Notebook 6 on the repository's notebooks/ with the in-repo tslab kernel spec,
 * token authentication always on. Used by `npx retail-intel notebook`.
 */

export const DEFAULT_IP = "127.0.0.1";
export const DEFAULT_PORT = 8888;

export interface ServerOptions {
  readonly root: string;
  readonly ip: string;
  readonly port: number;
  readonly openBrowser: boolean;
  readonly token: string;
  /** Notebook 6 refuses to run as root without --allow-root; containers and CI here run as root. */
  readonly allowRoot?: boolean;
}

/** A token for Jupyter's authentication: 48 hex characters from node:crypto. */
export function newToken(): string {
  return randomBytes(24).toString("hex");
}

/** Throws unless the token would keep authentication on (Jupyter treats an empty token as "no auth"). */
export function assertUsableToken(token: string): void {
  if (!/^[A-Za-z0-9_-]{16,}$/.test(token)) {
    throw new Error("refusing to start Jupyter without token authentication: the token must be at least 16 letters, digits, '-' or '_'");
  }
}

/** Arguments after the Python executable: `python3 -m notebook ...` (notebook 6's own entry point). */
export function jupyterArgs(options: ServerOptions): string[] {
  assertUsableToken(options.token);
  return [
    "-m",
    "notebook",
    `--notebook-dir=${join(options.root, "notebooks")}`,
    `--ip=${options.ip}`,
    `--port=${options.port}`,
    // Fail on a busy port instead of silently moving to the next one (the printed URL would be wrong).
    "--NotebookApp.port_retries=0",
    // On the command line so it wins over any jupyter_notebook_config that empties it.
    `--NotebookApp.token=${options.token}`,
    ...(options.openBrowser ? [] : ["--no-browser"]),
    ...(options.allowRoot ? ["--allow-root"] : []),
  ];
}

const isUnspecified = (ip: string): boolean => ip === "0.0.0.0" || ip === "::" || ip === "";

/** Where a local browser reaches the server: 127.0.0.1 when bound to all interfaces. */
function browserHost(ip: string): string {
  if (isUnspecified(ip)) return "127.0.0.1";
  return isIP(ip) === 6 ? `[${ip}]` : ip;
}

/** The URL to paste into a browser; it logs in with the token. */
export function notebookUrl(ip: string, port: number, token: string): string {
  return `http://${browserHost(ip)}:${port}/?token=${token}`;
}

/** A port option: an integer 1..65535, else undefined. */
export function parsePort(value: string): number | undefined {
  if (!/^\d{1,5}$/.test(value)) return undefined;
  const port = Number(value);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** An --ip value: an IPv4/IPv6 address or a host name. */
export const isValidIp = (value: string): boolean => isIP(value) !== 0 || /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(value);

/** What is missing for `python -m notebook` with the tslab kernel, or undefined when all is there. */
export function missingJupyter(python: string, root: string): string | undefined {
  const probe = spawnSync(python, ["-c", "import notebook, jupyter_client"], { stdio: "ignore", timeout: 30_000 });
  if (probe.error || probe.status !== 0) return `Jupyter Notebook is not installed for ${python}`;
  const kernel = join(kernelSpecPath(root), "kernels", "tslab", "kernel.json");
  if (!existsSync(kernel)) return `the tslab kernel spec is missing (${kernel})`;
  return undefined;
}

/** Resolves when ip:port can be listened on; otherwise rejects with why (e.g. EADDRINUSE). */
export function checkPortFree(ip: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen({ host: isUnspecified(ip) ? undefined : ip, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** How long Jupyter gets to answer /api/status after it is spawned. */
const READY_TIMEOUT_MS = 120_000;

/** Polls Jupyter's /api/status with the token until it answers 200, the child exits, or the time runs out. */
async function waitUntilReady(child: ChildProcess, statusUrl: string, token: string, timeoutMs: number, abort?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (abort?.aborted) throw new Error("aborted");
    if (child.exitCode !== null || child.signalCode !== null) throw new Error("exited");
    try {
      const response = await fetch(statusUrl, { headers: { Authorization: `token ${token}` }, signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("timeout");
}

export interface RunningServer {
  readonly url: string;
  /** Resolves with Jupyter's exit code (null when it ended by a signal). */
  readonly exited: Promise<number | null>;
  /** Asks Jupyter to stop (SIGTERM: it shuts its kernels down); `force` kills its whole process group. */
  stop(force?: boolean): void;
}

/** Start-up was interrupted through StartOptions.abort (e.g. Ctrl-C); Jupyter has been stopped. */
export class ServerStartInterrupted extends Error {
  override name = "ServerStartInterrupted";
}

export interface StartOptions extends ServerOptions {
  readonly python: string;
  readonly env: NodeJS.ProcessEnv;
  /** Aborting during start-up stops Jupyter and rejects with ServerStartInterrupted. */
  readonly abort?: AbortSignal;
  /** Jupyter's log lines once it is up (before that they are kept to explain a failed start). */
  readonly log: (line: string) => void;
}

/**
 * Starts Jupyter in its own process group, so a terminal's Ctrl-C reaches only us (notebook 6 would ask
 * "Shutdown this notebook server (y/[n])?" on SIGINT); we stop it with SIGTERM, which it handles by
 * shutting its kernels down and exiting.
 */
export async function startNotebookServer(options: StartOptions): Promise<RunningServer> {
  const child = spawn(options.python, jupyterArgs(options), {
    cwd: join(options.root, "notebooks"),
    env: jupyterEnv(options.root, options.env),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let ready = false;
  const startupLines: string[] = [];
  const onLine = (line: string): void => {
    if (ready) options.log(line);
    else if (line.trim() !== "") startupLines.push(line);
  };
  createInterface({ input: child.stdout! }).on("line", onLine);
  createInterface({ input: child.stderr! }).on("line", onLine);

  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const spawnFailed = new Promise<never>((_, reject) => child.once("error", reject));
  const killGroup = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  // If we exit for any reason, Jupyter (in its own group) must not outlive us.
  const killOnExit = (): void => killGroup("SIGTERM");
  process.once("exit", killOnExit);
  void exited.then(() => process.off("exit", killOnExit));

  const statusUrl = `http://${browserHost(options.ip)}:${options.port}/api/status`;
  try {
    await Promise.race([waitUntilReady(child, statusUrl, options.token, READY_TIMEOUT_MS, options.abort), spawnFailed]);
  } catch (error) {
    killGroup("SIGKILL");
    const why = (error as Error).message;
    if (why === "aborted") {
      await exited;
      throw new ServerStartInterrupted("interrupted while Jupyter was starting");
    }
    if (why === "timeout") {
      throw new Error(`Jupyter did not answer on ${statusUrl} within ${READY_TIMEOUT_MS / 1000} s`);
    }
    if (why !== "exited") throw new Error(`cannot start ${options.python}: ${why}; run \`npm run setup\``);
    await exited;
    const last = startupLines.at(-1)?.trim() ?? "no output"; // blank lines were never kept
    throw new Error(`Jupyter exited during start-up: ${last}`);
  }
  ready = true;
  return {
    url: notebookUrl(options.ip, options.port, options.token),
    exited,
    stop: (force = false) => killGroup(force ? "SIGKILL" : "SIGTERM"),
  };
}
