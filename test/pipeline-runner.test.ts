import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tableSpec } from "../src/data/olist-schema.js";
import { JUPYTER_PYTHON } from "../src/pipeline/execute.js";
import { runNotebooks, type RunNotebooksOptions } from "../src/pipeline/run-notebooks.js";
import { storeFromEnv } from "../src/tracking/index.js";

const ROOT = join(import.meta.dirname, "..");
const kernelSpec = join(ROOT, ".jupyter", "share", "jupyter", "kernels", "tslab", "kernel.json");
const jupyterReady = spawnSync(JUPYTER_PYTHON, ["-c", "import nbclient, nbconvert"]).status === 0 && existsSync(kernelSpec);
if (!jupyterReady) {
  console.warn(`skipping the headless notebook tests: Jupyter (${JUPYTER_PYTHON} with nbclient) or the tslab kernel spec is missing; run \`npm run setup\``);
}

describe.skipIf(!jupyterReady)("the headless runner on notebook 01", () => {
  const dir = mkdtempSync(join(tmpdir(), "retail-intel-runner-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const raw = join(dir, "raw");
  const reportsDir = join(dir, "reports");
  const env = { ...process.env, MLFLOW_TRACKING_URI: join(dir, "mlruns"), MLFLOW_EXPERIMENT_NAME: "runner-test" };
  delete env["MLFLOW_RUN_ID"];
  const lines: string[] = [];
  const options: RunNotebooksOptions = {
    root: ROOT,
    only: ["01"],
    overrides: { rawDir: raw, sampleOrders: "1500", seed: "runner" },
    reportsDir,
    env,
    log: (line) => lines.push(line),
  };
  const store = storeFromEnv(env, { cwd: dir });
  const html = join(reportsDir, "01-transform-retail-data.html");

  it("executes it into an executed notebook, HTML with charts, an index and a FINISHED MLflow run", async () => {
    const outcomes = await runNotebooks(options);
    expect(outcomes.map((o) => o.status)).toEqual(["ok"]);
    expect(lines.some((l) => /\[01-transform-retail-data\] cell 1\/\d+ /.test(l))).toBe(true);
    expect(readdirSync(raw)).toContain("retail-intel-sample.json"); // the notebook generated the sample
    const page = readFileSync(html, "utf8");
    expect(page.match(/<img src="data:image\/svg\+xml/g)?.length ?? 0).toBeGreaterThanOrEqual(4);
    expect(readFileSync(join(reportsDir, "index.html"), "utf8")).toContain('href="01-transform-retail-data.html"');

    const { info, data } = await store.getRun(outcomes[0]!.runId!);
    expect(info.status).toBe("FINISHED");
    expect(data.params["rawDir"]).toBe(raw);
    expect(data.metrics["orders"]).toBe(1500);
    expect(data.metrics["fk_orphans"]).toBe(0);
    expect(data.tags["mlflow.source.type"]).toBe("NOTEBOOK");
    expect(data.tags["mlflow.source.name"]).toBe("notebooks/01-transform-retail-data.ipynb");
    const artifacts = (await store.listArtifacts(info.runId)).map((a) => a.path);
    expect(artifacts).toEqual(expect.arrayContaining(["01-transform-retail-data.html", "01-transform-retail-data.ipynb", "data-quality.json", "orders-per-day.svg"]));
  });

  it("skips it when nothing changed, and runs it again with force", async () => {
    expect((await runNotebooks(options)).map((o) => o.status)).toEqual(["skipped"]);
    expect((await runNotebooks({ ...options, force: true })).map((o) => o.status)).toEqual(["ok"]);
  });

  it("stops at the failing cell, prints its source and error, and marks the run FAILED", async () => {
    const items = join(raw, tableSpec("order_items").file);
    const lines2 = readFileSync(items, "utf8").split("\n");
    const fields = lines2[4]!.split(",");
    fields[5] = "-3.00"; // price
    lines2[4] = fields.join(",");
    writeFileSync(items, lines2.join("\n"));
    lines.length = 0;
    const outcomes = await runNotebooks(options);
    expect(outcomes.map((o) => o.status)).toEqual(["failed"]);
    expect(outcomes[0]!.message).toMatch(/--- cell source ---\n.*validateRaw/s);
    expect(outcomes[0]!.message).toMatch(/olist_order_items_dataset\.csv, row 5, column 'price'/);
    const { info } = await store.getRun(outcomes[0]!.runId!);
    expect(info.status).toBe("FAILED");
    expect(readFileSync(join(reportsDir, "index.html"), "utf8")).toMatch(/failed/i);
  });
});
