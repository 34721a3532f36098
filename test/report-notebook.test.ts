import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { VEGA_LITE_MIME } from "../src/report/index.js";

/**
 * The notebook route for real: a tslab kernel started by Jupyter loads src/ through notebook-env.cjs and
 * shows a chart and a table. Needs Debian's Jupyter (/usr/bin/python3 -m jupyter) and the in-repo tslab
 * kernel spec (bash scripts/setup.sh); skipped with the reason otherwise.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const PY = "/usr/bin/python3";
const JUPYTER_PATH = join(ROOT, ".jupyter", "share", "jupyter");
const KERNEL_JSON = join(JUPYTER_PATH, "kernels", "tslab", "kernel.json");
const ENV_HELPER = join(ROOT, "src", "report", "notebook-env.cjs");
const env = { ...process.env, JUPYTER_PATH };

function whyNoKernel(): string | undefined {
  if (!existsSync(PY)) return `${PY} not found`;
  const jupyter = spawnSync(PY, ["-m", "jupyter", "nbconvert", "--version"], { encoding: "utf8" });
  if (jupyter.status !== 0) return `${PY} -m jupyter nbconvert is not available (Debian package jupyter-nbconvert)`;
  if (spawnSync(PY, ["-c", "import nbclient"]).status !== 0) return `${PY} has no nbclient (Debian package python3-nbclient)`;
  if (!existsSync(KERNEL_JSON)) return `no tslab kernel spec at ${KERNEL_JSON} (run: bash scripts/setup.sh)`;
  const argv0 = (JSON.parse(readFileSync(KERNEL_JSON, "utf8")) as { argv?: string[] }).argv?.[0];
  if (argv0 === undefined || !existsSync(argv0)) return `the tslab kernel spec points at a missing binary: ${argv0} (run: bash scripts/setup.sh)`;
  return undefined;
}

const skipReason = whyNoKernel();
if (skipReason) console.warn(`report-notebook tests SKIPPED: ${skipReason}`);

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}
interface Notebook {
  cells: { outputs: Output[] }[];
}

const joinText = (t: unknown): string => (Array.isArray(t) ? t.join("") : String(t ?? ""));

function notebook(...cells: string[]): string {
  return JSON.stringify({
    cells: cells.map((source, i) => ({ cell_type: "code", execution_count: null, id: `cell-${i}`, metadata: {}, outputs: [], source })),
    metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

function outputsOf(path: string): Output[] {
  return (JSON.parse(readFileSync(path, "utf8")) as Notebook).cells.flatMap((c) => c.outputs);
}

/** tslab reports a failing cell as stderr text; show it when a test fails. */
function stderrOf(outputs: Output[]): string {
  return outputs
    .filter((o) => o.output_type === "stream" && o.name === "stderr")
    .map((o) => joinText(o.text))
    .join("\n");
}

/** Executes `input` with the kernel's cwd set to `cwd` (nbclient: resources.metadata.path), writes `output`. */
function executeWithCwd(input: string, output: string, cwd: string): void {
  const script = [
    "import sys, nbformat",
    "from nbclient import NotebookClient",
    "nb = nbformat.read(sys.argv[1], as_version=4)",
    "NotebookClient(nb, timeout=600, kernel_name='tslab', resources={'metadata': {'path': sys.argv[3]}}).execute()",
    "nbformat.write(nb, sys.argv[2])",
  ].join("\n");
  const run = spawnSync(PY, ["-c", script, input, output, cwd], { env, encoding: "utf8", timeout: 300_000 });
  if (run.status !== 0) throw new Error(`nbclient failed (${run.status}): ${run.stderr}`);
}

const work = mkdtempSync(join(tmpdir(), "report-notebook-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(skipReason !== undefined)("tslab kernel (Jupyter)", () => {
  it("nbconvert --execute: src loads in the kernel; a chart is ONE display_data with vega-lite + SVG + text; the HTML export shows it", () => {
    const input = join(work, "chart.ipynb");
    writeFileSync(
      input,
      notebook(
        `const { load } = require(${JSON.stringify(ENV_HELPER)});
const report = await load("src/report/index.ts");
const spec = report.barChart({ title: "Kernel <test> chart", data: [{ c: "a", v: 1 }, { c: "b", v: 2 }, { c: "c", v: 3 }], category: "c", value: "v" });
const shown = await report.showChart(spec, { saveDir: "charts", name: "kernel test" });`,
        `report.showTable([{ name: "<b>x</b>", revenue: 1234567.891 }], { title: "Top rows" })`,
      ),
    );
    const run = spawnSync(
      PY,
      ["-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", input, "--output", "chart.out.ipynb", "--ExecutePreprocessor.timeout=600"],
      { cwd: work, env, encoding: "utf8", timeout: 300_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const outputs = outputsOf(join(work, "chart.out.ipynb"));
    expect(stderrOf(outputs)).toBe("");
    const displays = outputs.filter((o) => o.output_type === "display_data");
    expect(displays).toHaveLength(2);

    const chart = displays[0]!.data!;
    expect(Object.keys(chart).sort()).toEqual([VEGA_LITE_MIME, "image/svg+xml", "text/markdown", "text/plain"].sort());
    const spec = chart[VEGA_LITE_MIME] as { $schema: string; data: { values: unknown[] } };
    expect(spec.$schema).toMatch(/vega-lite\/v5\.json$/);
    expect(spec.data.values).toHaveLength(3);
    const svg = joinText(chart["image/svg+xml"]);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/aria-roledescription="bar"/g)).toHaveLength(3);
    expect(svg).toContain("Kernel &lt;test&gt; chart");
    expect(joinText(chart["text/plain"])).toBe("Kernel <test> chart");
    // saveDir is relative to the kernel's cwd (the notebook's folder under nbconvert).
    expect(readFileSync(join(work, "charts", "kernel-test.svg"), "utf8")).toBe(svg);

    const table = displays[1]!.data!;
    expect(Object.keys(table).sort()).toEqual(["text/html", "text/plain"]);
    expect(joinText(table["text/html"])).toContain("&lt;b&gt;x&lt;/b&gt;");
    expect(joinText(table["text/html"])).toContain("1,234,567.89");

    const html = spawnSync(PY, ["-m", "jupyter", "nbconvert", "--to", "html", join(work, "chart.out.ipynb"), "--output", "chart.html"], {
      cwd: work,
      env,
      encoding: "utf8",
      timeout: 300_000,
    });
    expect(html.status, html.stderr).toBe(0);
    const page = readFileSync(join(work, "chart.html"), "utf8");
    const img = /<img src="data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)"/.exec(page);
    expect(img, "the HTML export embeds the chart as an SVG image").not.toBeNull();
    expect(Buffer.from(img![1]!, "base64").toString("utf8")).toBe(svg);
    expect(page).toContain("&lt;b&gt;x&lt;/b&gt;");
  });

  it.each([
    { where: "notebooks/", cwd: join(ROOT, "notebooks"), line: 'require("../src/report/notebook-env.cjs")' },
    { where: "the repo root", cwd: ROOT, line: 'require("./src/report/notebook-env.cjs")' },
  ])("the documented loading line works with the kernel's cwd in $where", ({ cwd, line }) => {
    const name = cwd === ROOT ? "root" : "notebooks";
    const input = join(work, `cwd-${name}.ipynb`);
    const output = join(work, `cwd-${name}.out.ipynb`);
    writeFileSync(
      input,
      notebook(
        `const { load, repoRoot } = ${line};
const report = await load("src/report/index.ts");
const { loadedWith } = await report.loadVega();
console.log(JSON.stringify({ cwd: process.cwd(), repoRoot, loadedWith, same: report === (await load("src/report/index")) }));`,
      ),
    );
    executeWithCwd(input, output, cwd);
    const outputs = outputsOf(output);
    expect(stderrOf(outputs)).toBe("");
    const stdout = outputs.filter((o) => o.output_type === "stream" && o.name === "stdout").map((o) => joinText(o.text)).join("");
    expect(JSON.parse(stdout.trim())).toEqual({ cwd, repoRoot: ROOT, loadedWith: "import", same: true });
  });
});

describe("notebook-env.cjs outside a kernel", () => {
  const require = createRequire(import.meta.url);
  const helper = require("../src/report/notebook-env.cjs") as typeof import("../src/report/notebook-env.cjs");

  it("resolves paths from the repo root: .ts optional, .js mapped to .ts, folders to index.ts", () => {
    expect(helper.repoRoot).toBe(ROOT);
    const index = join(ROOT, "src", "report", "index.ts");
    expect(helper.resolveSource("src/report/index.ts")).toBe(index);
    expect(helper.resolveSource("src/report/index.js")).toBe(index);
    expect(helper.resolveSource("src/report/index")).toBe(index);
    expect(helper.resolveSource("src/report")).toBe(index);
    expect(helper.resolveSource(index)).toBe(index);
  });

  it("names the missing file and the root when a path is wrong", () => {
    expect(() => helper.resolveSource("src/nope.ts")).toThrow(/no such source file: .*src\/nope\.ts .*relative to the repo root/);
    expect(() => helper.resolveSource("")).toThrow(/expected a path/);
  });

  it("load() imports TypeScript sources in a plain CommonJS Node process started elsewhere", () => {
    const code = `require(${JSON.stringify(ENV_HELPER)}).load("src/report/index.ts")
      .then((r) => r.renderSvg(r.barChart({ title: "t", data: [{ c: "a", v: 1 }], category: "c", value: "v" })))
      .then((svg) => console.log(svg.slice(0, 4)), (e) => { console.error(e); process.exit(1); });`;
    const run = spawnSync(process.execPath, ["-e", code], { cwd: tmpdir(), encoding: "utf8", timeout: 120_000 });
    expect(run.stderr).toBe("");
    expect(run.stdout.trim()).toBe("<svg");
  });
});
