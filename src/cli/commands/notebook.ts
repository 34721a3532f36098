import { JUPYTER_PYTHON } from "../../pipeline/execute.js";
import { repoRoot } from "../../pipeline/notebook-support.js";
import { UsageError, type Command } from "../command.js";
import {
  assertUsableToken,
  checkPortFree,
  DEFAULT_IP,
  DEFAULT_PORT,
  isValidIp,
  missingJupyter,
  newToken,
  parsePort,
  ServerStartInterrupted,
  startNotebookServer,
  type RunningServer,
} from "../notebook-server.js";

/** A token from JUPYTER_TOKEN (for a stable URL) or a fresh random one; an empty JUPYTER_TOKEN is refused. */
function chooseToken(env: NodeJS.ProcessEnv): string {
  const fromEnv = env["JUPYTER_TOKEN"];
  if (fromEnv === undefined) return newToken();
  try {
    assertUsableToken(fromEnv);
  } catch (error) {
    throw new UsageError(`JUPYTER_TOKEN: ${(error as Error).message}; unset it to get a random token`);
  }
  return fromEnv;
}

/**
 * Runs until Jupyter stops. Ctrl-C (SIGINT) or SIGTERM stops Jupyter and its kernels and returns 130, the
 * project's "interrupted" code (as `pipeline`), so a script can tell a stop by hand from a crash; a second
 * Ctrl-C kills it at once. Jupyter quitting by itself (its Quit button) returns 0.
 */
async function runServer(ip: string, port: number, openBrowser: boolean): Promise<number> {
  const root = repoRoot();
  const token = chooseToken(process.env);
  try {
    await checkPortFree(ip, port);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "EADDRINUSE" ? "is in use" : code === "EADDRNOTAVAIL" ? "is not an address of this machine" : `cannot be listened on (${code ?? (error as Error).message})`;
    throw new Error(`port ${port} on ${ip} ${why}; choose another with --port or --ip`);
  }
  const missing = missingJupyter(JUPYTER_PYTHON, root);
  if (missing) throw new Error(`${missing}; run \`npm run setup\``);

  // Listening from before the start, so a Ctrl-C during start-up also stops Jupyter (in its own process group).
  let signals = 0;
  let server: RunningServer | undefined;
  const starting = new AbortController();
  const onSignal = (): void => {
    signals++;
    if (server) server.stop(signals > 1);
    else starting.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    try {
      server = await startNotebookServer({
        root,
        ip,
        port,
        openBrowser,
        token,
        allowRoot: process.getuid?.() === 0,
        python: JUPYTER_PYTHON,
        env: process.env,
        abort: starting.signal,
        log: (line) => process.stderr.write(`${line}\n`),
      });
    } catch (error) {
      if (error instanceof ServerStartInterrupted) return 130;
      throw error;
    }
    process.stdout.write(`Jupyter Notebook on notebooks/ (kernel "TypeScript"), open:\n    ${server.url}\nCtrl-C stops it.\n`);
    const code = await server.exited;
    if (signals > 0) return 130;
    if (code === 0) return 0;
    throw new Error(`Jupyter stopped with ${code === null ? "a signal" : `exit code ${code}`}`);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

export const notebookCommand: Command = {
  name: "notebook",
  brief: "start Jupyter Notebook on notebooks/ with the TypeScript kernel",
  usage: "notebook [--port 8888] [--no-browser] [--ip 127.0.0.1]",
  summary:
    "Start Jupyter Notebook (Debian's notebook 6, installed by `npm run setup`) on notebooks/ with the in-repo tslab kernel spec, and print the URL to open (it carries the login token). Listens on 127.0.0.1 unless --ip says otherwise; token authentication is always on (a random token, or JUPYTER_TOKEN when set). Ctrl-C stops the server and its kernels (exit 130). Kernels inherit the environment, so RETAIL_INTEL_PARAMS='{\"sampleOrders\":2000}' overrides the notebooks' parameters as `pipeline --params` does.",
  options: {
    port: { type: "string", valueName: "N", default: String(DEFAULT_PORT), description: "port to listen on (1-65535); an error if it is in use" },
    "no-browser": { type: "boolean", description: "do not open a browser (Jupyter's --no-browser)" },
    ip: { type: "string", valueName: "ADDRESS", default: DEFAULT_IP, description: "address to listen on, e.g. 0.0.0.0 for every interface" },
  },
  async run(values) {
    const portText = String(values["port"] ?? DEFAULT_PORT);
    const port = parsePort(portText);
    if (port === undefined) throw new UsageError(`--port must be an integer from 1 to 65535, got '${portText}'`);
    const ip = String(values["ip"] ?? DEFAULT_IP);
    if (!isValidIp(ip)) throw new UsageError(`--ip must be an IP address or host name, got '${ip}'`);
    return runServer(ip, port, values["no-browser"] !== true);
  },
};
