import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tableSpec } from "../src/data/olist-schema.js";
import { JUPYTER_PYTHON } from "../src/pipeline/execute.js";
import { runNotebooks, type RunNotebooksOptions } from "../src/pipeline/run-notebooks.js";
import { storeFromEnv } from "../src/tracking/index.js";
import { FakeMlflow } from "./support/fake-mlflow.js";

const ROOT = join(import.meta.dirname, "..");
const kernelSpec = join(ROOT, ".jupyter", "share", "jupyter", "kernels", "tslab", "kernel.json");
const jupyterReady = spawnSync(JUPYTER_PYTHON, ["-c", "import nbclient, nbconvert"]).status === 0 && existsSync(kernelSpec);
if (!jupyterReady) {
  console.warn(`skipping the headless notebook tests: Jupyter (${JUPYTER_PYTHON} with nbclient) or the tslab kernel spec is missing; run \`npm run setup\``);
}

describe.skipIf(!jupyterReady)("the headless runner", () => {
  const dir = mkdtempSync(join(tmpdir(), "retail-intel-runner-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const raw = join(dir, "raw");
  const reportsDir = join(dir, "reports");
  const env: NodeJS.ProcessEnv = { ...process.env, MLFLOW_TRACKING_URI: join(dir, "mlruns"), MLFLOW_EXPERIMENT_NAME: "runner-test" };
  delete env["MLFLOW_RUN_ID"];
  const lines: string[] = [];
  const options: RunNotebooksOptions = {
    root: ROOT,
    only: ["01"],
    overrides: { rawDir: raw, sampleOrders: "1500", sampleSeed: "runner" },
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

  it("logs to an MLflow server over REST: the kernel's metrics, the runner's params, status and artifacts", async () => {
    const server = await new FakeMlflow().start();
    try {
      const token = "tok-3f9a-secret";
      const restEnv: NodeJS.ProcessEnv = { ...env, MLFLOW_TRACKING_URI: server.url, MLFLOW_TRACKING_TOKEN: token };
      const restReports = join(dir, "reports-rest");
      const outcomes = await runNotebooks({ ...options, env: restEnv, reportsDir: restReports, force: true, overrides: { rawDir: join(dir, "raw-rest"), sampleOrders: "1000", sampleSeed: "rest" } });
      expect(outcomes.map((o) => o.status)).toEqual(["ok"]);
      const run = server.runs.get(outcomes[0]!.runId!)!;
      expect(run.info["status"]).toBe("FINISHED");
      expect(run.metrics.find((m) => m.key === "orders")?.value).toBe(1000); // logged by the notebook, in the kernel
      expect(run.params.get("sampleOrders")).toBe("1000"); // logged by the runner
      expect(run.tags.get("mlflow.source.type")).toBe("NOTEBOOK");
      const artifactPaths = [...server.artifacts.keys()];
      for (const file of ["01-transform-retail-data.html", "01-transform-retail-data.ipynb", "data-quality.json", "orders-per-day.svg"]) {
        expect(artifactPaths.some((p) => p.endsWith(`${outcomes[0]!.runId}/artifacts/${file}`))).toBe(true);
      }
      expect(server.requests.every((r) => r.headers.authorization === `Bearer ${token}`)).toBe(true);
      for (const file of readdirSync(restReports).filter((f) => f.endsWith(".html") || f.endsWith(".ipynb"))) {
        expect(readFileSync(join(restReports, file), "utf8")).not.toContain(token);
      }
    } finally {
      await server.stop();
    }
  });

  it("runs 02 then 03 in order: features from the raw data, then the forecast on them", async () => {
    const processed = join(dir, "processed");
    const outcomes = await runNotebooks({ ...options, only: ["02", "03"], overrides: { rawDir: raw, processedDir: processed, backtestCutoffs: "3", forecastDir: join(dir, "forecast") } });
    expect(outcomes.map((o) => [o.notebook, o.status])).toEqual([
      ["02-feature-engineering", "ok"],
      ["03-prophet-forecast", "ok"],
    ]);
    const { data } = await store.getRun(outcomes[1]!.runId!);
    for (const model of ["prophet", "naive", "seasonal_naive_7", "moving_average_7"]) {
      expect(data.metrics[`seed-split.${model}.mape`]).toBeGreaterThan(0);
      expect(data.metrics[`rolling-origin.${model}.smape`]).toBeGreaterThan(0);
    }
    expect(data.params["prophet.seasonalityMode"]).toBe("multiplicative");
    const artifacts = (await store.listArtifacts(outcomes[1]!.runId!)).map((a) => a.path);
    expect(artifacts).toEqual(expect.arrayContaining(["forecast.csv", "forecast-next-30-days.svg", "03-prophet-forecast.html"]));
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
    // The error as far as its first stack frame: no frames into tslab, no dump of the error's fields.
    expect(outcomes[0]!.message).not.toMatch(/^\s+at \S/m);
    expect(outcomes[0]!.message!.trimEnd().split("\n").at(-1)).toMatch(/^DataValidationError: olist_order_items_dataset\.csv, row 5/);
    const { info } = await store.getRun(outcomes[0]!.runId!);
    expect(info.status).toBe("FAILED");
    expect(readFileSync(join(reportsDir, "index.html"), "utf8")).toMatch(/failed/i);
  });

  it("with MLFLOW_REQUIRE_SERVER=1 and no server, fails before running anything", async () => {
    const down: NodeJS.ProcessEnv = { ...env, MLFLOW_TRACKING_URI: "http://127.0.0.1:9", MLFLOW_REQUIRE_SERVER: "1", MLFLOW_HTTP_REQUEST_MAX_RETRIES: "0" };
    await expect(runNotebooks({ ...options, env: down, force: true })).rejects.toThrow(/127\.0\.0\.1:9/);
  });

  it("on SIGINT stops the notebook, marks the run KILLED, exits 130 and writes no report", async () => {
    const reports2 = join(dir, "reports-interrupted");
    const script = `
      import { runNotebooks } from ${JSON.stringify(join(ROOT, "src/pipeline/run-notebooks.ts"))};
      const outcomes = await runNotebooks({ root: ${JSON.stringify(ROOT)}, only: ["01"], force: true,
        overrides: { rawDir: ${JSON.stringify(raw)} }, reportsDir: ${JSON.stringify(reports2)} });
      console.log(JSON.stringify(outcomes));
      process.exitCode = outcomes.some((o) => o.status === "interrupted") ? 130 : 0;`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: ROOT, env });
    let stderr = "";
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    const code = await new Promise<number | null>((resolveExit) => {
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
        if (/cell 2\//.test(stderr) && !child.killed) child.kill("SIGINT");
      });
      child.on("close", (c) => resolveExit(c));
    });
    expect(stderr).toMatch(/SIGINT: stopping the notebook/);
    expect(code).toBe(130);
    const outcome = (JSON.parse(stdout.trim().split("\n").pop()!) as { status: string; runId: string }[])[0]!;
    expect(outcome.status).toBe("interrupted");
    expect((await store.getRun(outcome.runId)).info.status).toBe("KILLED");
    const left = existsSync(reports2) ? readdirSync(reports2) : [];
    expect(left.filter((f) => f.endsWith(".html") && f !== "index.html" || f.endsWith(".ipynb") || f.startsWith(".tmp-"))).toEqual([]);
  });
});
