// Kernel start and notebook 01 on the generated sample, headless, as the runner executes them.
// Usage: tsx scripts/bench-notebook.ts RAW_DIR [PROCESSED_DIR] [ORDERS]  (RAW_DIR holds the sample of ORDERS
// orders, default 100000, so notebook 01 validates it instead of generating another; with PROCESSED_DIR, its
// processed tables, notebook 03 also runs on them; reports and runs go to a temp folder)
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { executeNotebook } from "../src/pipeline/execute.js";
import { runNotebooks } from "../src/pipeline/run-notebooks.js";

const root = resolve(import.meta.dirname, "..");
const raw = resolve(process.argv[2] ?? "data/raw");
const tmp = mkdtempSync(join(tmpdir(), "retail-intel-bench-nb-"));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  JUPYTER_PATH: join(root, ".jupyter", "share", "jupyter"),
  MLFLOW_TRACKING_URI: join(tmp, "mlruns"),
  MLFLOW_EXPERIMENT_NAME: "bench",
};
delete env["MLFLOW_RUN_ID"];
try {
  const trivial = join(tmp, "trivial.ipynb");
  writeFileSync(
    trivial,
    JSON.stringify({
      cells: [{ cell_type: "code", id: "a", metadata: {}, source: "1 + 1", outputs: [], execution_count: null }],
      metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
      nbformat: 4,
      nbformat_minor: 5,
    }),
  );
  const kernel = await executeNotebook({
    notebookPath: trivial,
    outputNotebook: join(tmp, "trivial.out.ipynb"),
    outputHtml: join(tmp, "trivial.html"),
    root,
    env,
    label: "trivial",
    log: () => {},
  });
  const start = performance.now();
  const outcomes = await runNotebooks({ root, only: ["01"], force: true, overrides: { rawDir: raw, sampleOrders: process.argv[4] ?? "100000" }, reportsDir: join(tmp, "reports"), env, log: () => {} });
  const notebookSeconds = (performance.now() - start) / 1000;
  if (kernel.status !== "ok" || outcomes[0]?.status !== "ok") throw new Error(`bench run failed: ${kernel.status}, ${JSON.stringify(outcomes)}`);
  let forecastNotebookSeconds: number | null = null;
  const processed = process.argv[3];
  if (processed) {
    const start03 = performance.now();
    const forecast = await runNotebooks({ root, only: ["03"], force: true, overrides: { processedDir: resolve(processed) }, reportsDir: join(tmp, "reports"), env, log: () => {} });
    forecastNotebookSeconds = (performance.now() - start03) / 1000;
    if (forecast[0]?.status !== "ok") throw new Error(`notebook 03 failed in the bench: ${JSON.stringify(forecast)}`);
  }
  process.stdout.write(`${JSON.stringify({ kernelSeconds: kernel.seconds, notebookSeconds, forecastNotebookSeconds })}\n`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
