/**
 * End to end in headless Chromium (Debian's, driven by playwright-core):
 * - `retail-intel notebook` serves notebooks/; notebook 01 runs to the end in Jupyter's classic UI on a small
 *   generated sample, showing tables and SVG charts and no error; Ctrl-C stops the server (exit 130).
 * - An exported HTML report and a reports index open from file:// with no request leaving their folder.
 * Skipped (saying why) when Chromium or Jupyter is missing: `npm run setup` installs both.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { missingJupyter } from "../src/cli/notebook-server.js";
import { JUPYTER_PYTHON } from "../src/pipeline/execute.js";
import { renderIndexHtml } from "../src/report/html-index.js";
import { chromiumMissing, exitOf, freePort, launchChromium, waitFor } from "./support/browser.js";

const ROOT = resolve(import.meta.dirname, "..");
const BIN = join(ROOT, "bin", "retail-intel.js");
const NOTEBOOK = "01-transform-retail-data.ipynb";

const skipReason = chromiumMissing() ?? missingJupyter(JUPYTER_PYTHON, ROOT);
const howToEnable = "`npm run setup` (as root) installs Chromium and Jupyter";
if (skipReason && process.env["CI"] !== "true") console.warn(`notebook-browser tests SKIPPED: ${skipReason}. To run them: ${howToEnable}.`);

// CI's set-up installs both, so there a missing one is a failure, not a silent skip.
describe.runIf(skipReason !== undefined && process.env["CI"] === "true")("notebooks in a real browser, in CI", () => {
  it("has Chromium and Jupyter", () => {
    throw new Error(`${skipReason}; ${howToEnable}`);
  });
});

/** Whether something accepts TCP connections on host:port. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3_000 });
    const done = (result: boolean): void => {
      socket.destroy();
      resolve(result);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    socket.once("timeout", () => done(false));
  });
}

/** How many runs in an MLflow file store are FINISHED (status 3 in their meta.yaml). */
function finishedRuns(mlruns: string): number {
  if (!existsSync(mlruns)) return 0;
  return readdirSync(mlruns, { recursive: true, encoding: "utf8" })
    .filter((p) => p.endsWith("meta.yaml"))
    .filter((p) => /^status: 3$/m.test(readFileSync(join(mlruns, p), "utf8"))).length;
}

/** This machine's first non-loopback IPv4 address, if it has one. */
function externalIpv4(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((a) => a !== undefined && a.family === "IPv4" && !a.internal)?.address;
}

describe.skipIf(skipReason !== undefined)("notebooks in a real browser (headless Chromium)", () => {
  let work = "";
  let context: BrowserContext | undefined;
  let server: ChildProcess | undefined;
  let stdout = "";
  let stderr = "";
  let port = 0;
  const notebookBefore = readFileSync(join(ROOT, "notebooks", NOTEBOOK));

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "retail-intel-browser-"));
    port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // The kernel inherits these: notebook 01 generates its sample, artifacts and MLflow runs in `work`.
      RETAIL_INTEL_PARAMS: JSON.stringify({ rawDir: join(work, "raw"), sampleOrders: 2000 }),
      RETAIL_INTEL_ARTIFACT_DIR: join(work, "artifacts"),
      MLFLOW_TRACKING_URI: join(work, "mlruns"),
      // Jupyter's own state (runtime files, config, trust database) stays out of the user's home.
      JUPYTER_RUNTIME_DIR: join(work, "jupyter-runtime"),
      JUPYTER_CONFIG_DIR: join(work, "jupyter-config"),
      JUPYTER_DATA_DIR: join(work, "jupyter-data"),
    };
    for (const name of ["MLFLOW_RUN_ID", "MLFLOW_EXPERIMENT_NAME", "JUPYTER_TOKEN", "RETAIL_INTEL_PROGRESS_FILE"]) delete env[name];
    server = spawn(process.execPath, [BIN, "notebook", "--no-browser", "--port", String(port)], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    server.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    server.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    context = await launchChromium(work);
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    if (server && server.exitCode === null && server.signalCode === null) {
      server.kill("SIGINT");
      const stopped = await Promise.race([exitOf(server), new Promise((r) => setTimeout(() => r("timeout"), 30_000))]);
      if (stopped === "timeout") server.kill("SIGKILL");
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const serverUrl = (): Promise<URL> =>
    waitFor(
      "the notebook command to print its URL",
      () => {
        const match = /http:\/\/\S+\/\?token=\S+/.exec(stdout);
        if (match) return new URL(match[0]);
        if (server?.exitCode !== null) throw new Error(`notebook command exited ${server?.exitCode}:\n${stderr}`);
        return undefined;
      },
      120_000,
    );

  it("prints a URL with a token, serves only 127.0.0.1 and requires the token", async () => {
    const url = await serverUrl();
    expect(url.origin).toBe(`http://127.0.0.1:${port}`);
    const token = url.searchParams.get("token") ?? "";
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    expect(stdout).toContain("Ctrl-C stops it");

    expect((await fetch(`${url.origin}/api/status`)).status).toBe(403);
    expect((await fetch(`${url.origin}/api/status`, { headers: { Authorization: `token ${token}` } })).status).toBe(200);
    const kernels = (await (await fetch(`${url.origin}/api/kernelspecs?token=${token}`)).json()) as { kernelspecs: Record<string, unknown> };
    expect(Object.keys(kernels.kernelspecs)).toContain("tslab");

    const external = externalIpv4();
    if (external) expect(await accepts(external, port)).toBe(false);
    expect(await accepts("127.0.0.1", port)).toBe(true);
  }, 180_000);

  it("runs notebook 01 with Cell > Run All: tables and SVG charts, no error output", async () => {
    const url = await serverUrl();
    const page = await context!.newPage();
    // Jupyter's UI is served by the local server; anything else (a CDN) is blocked and recorded.
    const blocked: string[] = [];
    await page.route("**", (route) => {
      const target = route.request().url();
      if (target.startsWith(url.origin) || target.startsWith("data:")) return route.continue();
      blocked.push(target);
      return route.abort();
    });
    await page.goto(`${url.origin}/notebooks/${NOTEBOOK}?token=${url.searchParams.get("token")}`);
    await waitForIdleKernel(page, 180_000);
    const codeCells = await page.evaluate(() => {
      const notebook = (window as unknown as { Jupyter: JupyterGlobal }).Jupyter.notebook;
      notebook.set_autosave_interval(0); // the run must not write outputs into the repository's notebook
      const win = window as unknown as { finishedCells: number };
      win.finishedCells = 0;
      notebook.events.on("finished_execute.CodeCell", () => win.finishedCells++);
      return notebook.get_cells().filter((c) => c.cell_type === "code" && c.get_text().trim() !== "").length;
    });
    expect(codeCells).toBeGreaterThan(3);

    await page.click("#celllink");
    await page.click("#run_all_cells > a");
    // Done when every code cell has finished, or as soon as one shows an error (tslab runs on after it).
    await page.waitForFunction(
      (cells) =>
        (window as unknown as { finishedCells: number }).finishedCells >= cells ||
        document.querySelector(".output_error, .output_stderr") !== null,
      codeCells,
      { timeout: 240_000, polling: 500 },
    );
    await waitForIdleKernel(page, 60_000);

    const errors = await page.$$eval(".output_error, .output_stderr", (nodes) => nodes.map((n) => (n.textContent ?? "").slice(0, 500)));
    expect(errors).toEqual([]);
    expect(await page.locator(".output_area table").count()).toBeGreaterThanOrEqual(3);
    // Charts come as Markdown images of SVG (see chartBundle); each must have decoded into a real picture.
    const charts = await page.$$eval('.output_area img[src^="data:image/svg+xml"]', (imgs) =>
      imgs.map((img) => ({ width: (img as HTMLImageElement).naturalWidth, svg: atob((img as HTMLImageElement).src.split(",")[1] ?? "").slice(0, 200) })),
    );
    expect(charts.length).toBeGreaterThanOrEqual(4);
    for (const chart of charts) {
      expect(chart.width).toBeGreaterThan(0);
      expect(chart.svg).toMatch(/<svg/);
    }
    expect(blocked).toEqual([]);

    // The kernel used the parameters from the server's environment: the sample and the run are in `work`.
    expect(readdirSync(join(work, "raw"))).toContain("olist_orders_dataset.csv");
    expect(finishedRuns(join(work, "mlruns"))).toBe(1); // the last cell ended the MLflow run: the notebook ran to the end
    expect(readdirSync(join(work, "artifacts")).some((f) => f.endsWith(".svg"))).toBe(true);
    await page.close();
    expect(readFileSync(join(ROOT, "notebooks", NOTEBOOK)).equals(notebookBefore)).toBe(true);
    expect(existsSync(join(ROOT, "notebooks", ".ipynb_checkpoints", "01-transform-retail-data-checkpoint.ipynb"))).toBe(false);
  }, 420_000);

  it("stops the server and its kernel on Ctrl-C (SIGINT), exit 130", async () => {
    await serverUrl();
    server!.kill("SIGINT");
    const code = await Promise.race([exitOf(server!), new Promise<string>((r) => setTimeout(() => r("still running after 30 s"), 30_000))]);
    expect(code).toBe(130);
    expect(stderr).toMatch(/Shutting down \d+ kernel/);
    expect(stderr).not.toMatch(/Shutdown this notebook server/);
    expect(await accepts("127.0.0.1", port)).toBe(false);
  }, 60_000);

  it("renders an exported report and the reports index offline: no request leaves their folder", async () => {
    const reports = join(work, "reports");
    mkdirSync(reports, { recursive: true });
    const html = await executeSmallNotebook(reports);
    writeFileSync(
      join(reports, "index.html"),
      renderIndexHtml([{ notebook: "00-offline", title: "Offline check", htmlFile: html, status: "ok", keyMetrics: { rows: 3 } }], { generatedBy: "notebook-browser.test.ts" }),
    );

    const page = await context!.newPage();
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.route("**", (route) => (route.request().url().startsWith("file://") ? route.continue() : route.abort()));
    const folder = pathToFileURL(reports).href;

    await page.goto(`${folder}/index.html`);
    await page.waitForLoadState("load");
    expect(await page.locator("table").count()).toBe(1);
    await page.click(`a[href="${html}"]`);
    await page.waitForLoadState("load");
    expect(page.url()).toBe(`${folder}/${html}`);
    // The load event waits for every <script src>, so by now any request a script tag makes has been seen.
    const body = await page.locator("body").innerText();
    expect(body).not.toContain("MathJax");
    expect(await page.locator("script[src]").count()).toBe(0);
    expect(await page.locator(".jp-OutputArea-output table").count()).toBeGreaterThanOrEqual(1);
    const widths = await page.$$eval('img[src^="data:image/svg+xml"]', (imgs) => imgs.map((img) => (img as HTMLImageElement).naturalWidth));
    expect(widths.length).toBeGreaterThanOrEqual(1);
    for (const width of widths) expect(width).toBeGreaterThan(0);

    const outside = requests.filter((r) => !r.startsWith(`${folder}/`) && !r.startsWith("data:"));
    expect(outside).toEqual([]);
    await page.close();
  }, 360_000);
});

/** The classic notebook's global, typed as far as these tests use it. */
interface JupyterGlobal {
  notebook: {
    _fully_loaded?: boolean;
    kernel?: { is_connected(): boolean };
    set_autosave_interval(ms: number): void;
    events: { on(event: string, handler: () => void): void };
    get_cells(): { cell_type: string; get_text(): string }[];
  };
}

async function waitForIdleKernel(page: Page, timeout: number): Promise<void> {
  await page.waitForFunction(
    () => {
      const nb = (window as unknown as { Jupyter?: JupyterGlobal }).Jupyter?.notebook;
      return nb?._fully_loaded === true && nb.kernel?.is_connected() === true && document.querySelector("#kernel_indicator_icon.kernel_idle_icon") !== null;
    },
    null,
    { timeout, polling: 500 },
  );
}

/**
 * Executes a three-cell notebook (a table, a chart, markdown with a dollar sign) with the pipeline's driver,
 * scripts/execute_notebook.py, into `dir`; returns the HTML report's file name.
 */
async function executeSmallNotebook(dir: string): Promise<string> {
  const source = (lines: string[]): string[] => lines.map((l, i) => (i < lines.length - 1 ? `${l}\n` : l));
  const code = (lines: string[]) => ({ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source: source(lines) });
  const notebook = {
    cells: [
      { cell_type: "markdown", metadata: {}, source: ["# Offline check\n", "Prices cost $5 to $10 here."] },
      code([`const { load } = require(${JSON.stringify(join(ROOT, "src", "report", "notebook-env.cjs"))});`, `const nb = await load("src/notebook-api.ts");`]),
      code([`nb.showTable([{ month: "2017-01", orders: 10 }, { month: "2017-02", orders: 12 }, { month: "2017-03", orders: 9 }], { title: "Orders" });`]),
      code([`await nb.showChart(nb.barChart({ data: [{ month: "2017-01", orders: 10 }, { month: "2017-02", orders: 12 }], category: "month", value: "orders", title: "Orders" }));`]),
    ],
    metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  const input = join(dir, "00-offline.ipynb");
  writeFileSync(input, JSON.stringify(notebook));
  // Asynchronously: a synchronous wait of this length would block vitest's worker.
  const driver = spawn(
    JUPYTER_PYTHON,
    [join(ROOT, "scripts", "execute_notebook.py"), input, join(dir, "00-offline.out.ipynb"), join(dir, "00-offline.html"), "--kernel", "tslab", "--timeout", "300", "--cwd", dir],
    { cwd: ROOT, env: { ...process.env, JUPYTER_PATH: join(ROOT, ".jupyter", "share", "jupyter") }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  driver.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  driver.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const status = await exitOf(driver);
  if (status !== 0) throw new Error(`execute_notebook.py exited ${status}:\n${output}`);
  return "00-offline.html";
}
