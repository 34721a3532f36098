import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { fitProphet } from "../src/forecast/index.js";

/**
 * Prophet from a notebook: `load("src/forecast/index.ts")` through src/report/notebook-env.cjs, then
 * fitProphet, in a plain CommonJS Node process (always) and in a real tslab kernel started by Jupyter
 * (skipped with the reason when Jupyter or the kernel spec is missing, as in report-notebook.test.ts).
 * Both must give exactly the numbers this process gets: the wasm loads from node_modules wherever the
 * caller runs, and the fit is deterministic.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const PY = "/usr/bin/python3";
const JUPYTER_PATH = join(ROOT, ".jupyter", "share", "jupyter");
const KERNEL_JSON = join(JUPYTER_PATH, "kernels", "tslab", "kernel.json");
const ENV_HELPER = join(ROOT, "src", "report", "notebook-env.cjs");

function whyNoKernel(): string | undefined {
  if (!existsSync(PY)) return `${PY} not found`;
  if (spawnSync(PY, ["-m", "jupyter", "nbconvert", "--version"], { encoding: "utf8" }).status !== 0) return `${PY} -m jupyter nbconvert is not available`;
  if (spawnSync(PY, ["-c", "import nbclient"]).status !== 0) return `${PY} has no nbclient`;
  if (!existsSync(KERNEL_JSON)) return `no tslab kernel spec at ${KERNEL_JSON} (run: bash scripts/setup.sh)`;
  const argv0 = (JSON.parse(readFileSync(KERNEL_JSON, "utf8")) as { argv?: string[] }).argv?.[0];
  if (argv0 === undefined || !existsSync(argv0)) return `the tslab kernel spec points at a missing binary: ${argv0}`;
  return undefined;
}
const skipReason = whyNoKernel();
if (skipReason) console.warn(`forecast notebook (tslab) test SKIPPED: ${skipReason}`);

/** The same little fit everywhere: 120 days with a weekly pattern and BR holidays; prints one JSON line. */
const FIT_CODE = `
const start = Date.UTC(2018, 0, 1);
const ds = Array.from({ length: 120 }, (_, i) => new Date(start + i * 86400000));
const y = ds.map((_, i) => 100 + 0.5 * i + 10 * Math.sin((2 * Math.PI * i) / 7) + 3 * Math.sin(i * 1.7));
const fitted = await forecast.fitProphet({ ds, y }, { holidays: "BR", uncertaintySamples: 200 });
const fc = fitted.predict(fitted.futureDates(5));
console.log(JSON.stringify({ k: fitted.params.k, sigma: fitted.params.sigmaObs, yhat: fc.yhat, lower: fc.yhat_lower, names: fitted.params.betaNames }));
`;

async function expectedResult(): Promise<unknown> {
  const forecast = { fitProphet };
  let printed = "";
  const console = { log: (s: string) => (printed = s) };
  await new Function("forecast", "console", `return (async () => {${FIT_CODE}})();`)(forecast, console);
  return JSON.parse(printed);
}

const work = mkdtempSync(join(tmpdir(), "forecast-notebook-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("fitProphet through notebook-env.cjs", () => {
  it("in a plain CommonJS Node process started elsewhere", async () => {
    const code = `const { load } = require(${JSON.stringify(ENV_HELPER)});
(async () => { const forecast = await load("src/forecast/index.ts"); ${FIT_CODE} })().catch((e) => { console.error(e); process.exit(1); });`;
    const run = spawnSync(process.execPath, ["-e", code], { cwd: tmpdir(), encoding: "utf8", timeout: 120_000 });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout.trim())).toEqual(await expectedResult());
  });

  it.skipIf(skipReason !== undefined)("in a tslab kernel (Jupyter, headless)", async () => {
    const input = join(work, "prophet.ipynb");
    const cells = [`const { load } = require(${JSON.stringify(ENV_HELPER)});\nconst forecast = await load("src/forecast/index.ts");`, FIT_CODE.trim()];
    writeFileSync(
      input,
      JSON.stringify({
        cells: cells.map((source, i) => ({ cell_type: "code", execution_count: null, id: `cell-${i}`, metadata: {}, outputs: [], source })),
        metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
        nbformat: 4,
        nbformat_minor: 5,
      }),
    );
    const run = spawnSync(
      PY,
      ["-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", input, "--output", "prophet.out.ipynb", "--ExecutePreprocessor.timeout=600"],
      { cwd: work, env: { ...process.env, JUPYTER_PATH }, encoding: "utf8", timeout: 300_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    type Output = { output_type: string; name?: string; text?: string | string[] };
    const outputs = (JSON.parse(readFileSync(join(work, "prophet.out.ipynb"), "utf8")) as { cells: { outputs: Output[] }[] }).cells.flatMap((c) => c.outputs);
    const text = (o: Output): string => (Array.isArray(o.text) ? o.text.join("") : (o.text ?? ""));
    expect(outputs.filter((o) => o.name === "stderr").map(text).join("")).toBe("");
    const stdout = outputs.filter((o) => o.output_type === "stream" && o.name === "stdout").map(text).join("");
    expect(JSON.parse(stdout.trim())).toEqual(await expectedResult());
  }, 300_000);
});
