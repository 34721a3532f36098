import { spawnSync } from "node:child_process";
import { createServer, type Server } from "node:net";
import { delimiter, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notebookCommand } from "../src/cli/commands/notebook.js";
import { jupyterArgs, newToken, notebookUrl, parsePort, type ServerOptions } from "../src/cli/notebook-server.js";
import { jupyterEnv } from "../src/pipeline/jupyter-env.js";
import { freePort } from "./support/browser.js";

const ROOT = resolve(import.meta.dirname, "..");
const BIN = join(ROOT, "bin", "retail-intel.js");

function cli(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, "notebook", ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env }, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const options = (over: Partial<ServerOptions> = {}): ServerOptions => ({ root: "/repo", ip: "127.0.0.1", port: 8888, openBrowser: true, token: newToken(), ...over });

describe("notebook command: Jupyter's command line", () => {
  it("listens on 127.0.0.1 and port 8888 unless told otherwise", () => {
    expect(notebookCommand.options["ip"]?.default).toBe("127.0.0.1");
    expect(notebookCommand.options["port"]?.default).toBe("8888");
    expect(Object.keys(notebookCommand.options).sort()).toEqual(["ip", "no-browser", "port"]);
  });

  it("runs notebook 6 as a module on notebooks/ with the token, the address and a fixed port", () => {
    const token = newToken();
    const args = jupyterArgs(options({ token, port: 9123 }));
    expect(args.slice(0, 2)).toEqual(["-m", "notebook"]);
    expect(args).toContain("--notebook-dir=/repo/notebooks");
    expect(args).toContain("--ip=127.0.0.1");
    expect(args).toContain("--port=9123");
    expect(args).toContain("--NotebookApp.port_retries=0");
    expect(args).toContain(`--NotebookApp.token=${token}`);
    expect(args).not.toContain("--no-browser");
    expect(jupyterArgs(options({ openBrowser: false }))).toContain("--no-browser");
    expect(jupyterArgs(options({ allowRoot: true }))).toContain("--allow-root");
  });

  it("makes a fresh random token each time, 48 hex characters", () => {
    const a = newToken();
    expect(a).toMatch(/^[0-9a-f]{48}$/);
    expect(newToken()).not.toBe(a);
  });

  it("refuses to start without a token (an empty token turns Jupyter's authentication off)", () => {
    expect(() => jupyterArgs(options({ token: "" }))).toThrow(/without token authentication/);
    expect(() => jupyterArgs(options({ token: "short" }))).toThrow(/without token authentication/);
    expect(() => jupyterArgs(options({ token: "abc def ghi jkl mno" }))).toThrow(/without token authentication/);
  });

  it("puts the in-repo kernel spec first on JUPYTER_PATH, keeping the caller's entries once", () => {
    const specs = join("/repo", ".jupyter", "share", "jupyter");
    expect(jupyterEnv("/repo", {})["JUPYTER_PATH"]).toBe(specs);
    expect(jupyterEnv("/repo", { JUPYTER_PATH: ["/a", specs].join(delimiter) })["JUPYTER_PATH"]).toBe([specs, "/a"].join(delimiter));
  });

  it("gives the kernels glibc's fixed mmap threshold unless the caller set their own", () => {
    expect(jupyterEnv("/repo", {})["MALLOC_MMAP_THRESHOLD_"]).toBe("1048576");
    expect(jupyterEnv("/repo", { MALLOC_MMAP_THRESHOLD_: "131072" })["MALLOC_MMAP_THRESHOLD_"]).toBe("131072");
  });

  it("prints a URL a browser can open, with the token", () => {
    expect(notebookUrl("127.0.0.1", 8888, "t0k")).toBe("http://127.0.0.1:8888/?token=t0k");
    expect(notebookUrl("0.0.0.0", 8888, "t0k")).toBe("http://127.0.0.1:8888/?token=t0k");
    expect(notebookUrl("::1", 8888, "t0k")).toBe("http://[::1]:8888/?token=t0k");
  });

  it("takes ports 1 to 65535 only", () => {
    expect(parsePort("8888")).toBe(8888);
    expect(parsePort("65535")).toBe(65535);
    for (const bad of ["0", "65536", "-1", "88.5", "abc", "", "8888x"]) expect(parsePort(bad)).toBeUndefined();
  });
});

describe("npx retail-intel notebook: errors", () => {
  let busy: Server;
  let busyPort = 0;
  beforeAll(async () => {
    busyPort = await freePort();
    busy = createServer();
    await new Promise<void>((r) => busy.listen(busyPort, "127.0.0.1", () => r()));
  });
  afterAll(() => new Promise<void>((r) => busy.close(() => r())));

  it("a bad --port or --ip is a usage error, exit 2", () => {
    for (const port of ["abc", "0", "70000"]) {
      const run = cli(["--port", port, "--no-browser"]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(`--port must be an integer from 1 to 65535, got '${port}'`);
    }
    const ip = cli(["--ip", "not an address", "--no-browser"]);
    expect(ip.status).toBe(2);
    expect(ip.stderr).toContain("--ip must be an IP address or host name");
  });

  it("an empty JUPYTER_TOKEN is refused, not taken as 'no authentication'", () => {
    const run = cli(["--no-browser", "--port", String(busyPort + 1)], { JUPYTER_TOKEN: "" });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^error: JUPYTER_TOKEN: refusing to start Jupyter without token authentication/);
  });

  it("a port in use: one error line naming it, exit 1", () => {
    const run = cli(["--no-browser", "--port", String(busyPort)]);
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split("\n")).toEqual([`error: port ${busyPort} on 127.0.0.1 is in use; choose another with --port or --ip`]);
    expect(run.stdout).toBe("");
  });

  it("Jupyter missing: one error line telling to run npm run setup, exit 1", async () => {
    const run = cli(["--no-browser", "--port", String(await freePort())], { JUPYTER_PYTHON: "/nonexistent/python3" });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split("\n")).toEqual(["error: Jupyter Notebook is not installed for /nonexistent/python3; run `npm run setup`"]);
  });
});
