/**
 * Contract tests: our tracking client, registry and file store against a real MLflow server (see
 * test/support/real-mlflow.ts for where it comes from; skipped, saying how to enable them, without one).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileStore, RestStore, TrackingError, resolveModelUri, startRun, storeFromEnv, type TrackingStore } from "../src/tracking/index.js";
import { registerModel } from "../src/tracking/register-model.js";
import { JUPYTER_PYTHON } from "../src/pipeline/execute.js";
import { runNotebooks } from "../src/pipeline/run-notebooks.js";
import { createHandler } from "../src/serve/app.js";
import { createServeMetrics } from "../src/serve/metrics.js";
import { loadForecast, loadRecommender, loadSegments } from "../src/serve/served-models.js";
import { listen } from "../src/serve/server.js";
import { realMlflowSkipReason, startRealMlflow, type RealMlflow } from "./support/real-mlflow.js";

const skip = realMlflowSkipReason();
if (skip !== undefined) console.warn(`[mlflow-contract] skipped: ${skip}`);

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "retail-intel-mlflow-contract-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function modelFolder(dir: string): string {
  mkdirSync(join(dir, "nested"), { recursive: true });
  writeFileSync(join(dir, "model.json"), JSON.stringify({ kind: "test", weights: [1, 2, 3] }));
  writeFileSync(join(dir, "nested", "table.bin"), Buffer.from([0, 1, 2, 255]));
  return dir;
}

/** The same sequence against either backend: a run with params, stepped metrics and tags, searched, with artifacts; a registered model with versions and aliases. */
async function exercise(store: TrackingStore, experimentName: string) {
  const experimentId = await store.getOrCreateExperiment(experimentName);
  const runs = [];
  for (const [i, score] of [0.4, 0.9, 0.7].entries()) {
    const info = await store.createRun(experimentId, { runName: `run-${i}`, tags: { "retail_intel.data": "sample" } });
    await store.logBatch(info.runId, {
      params: { k: String(i), "segment.thresholds.recency": "quantiles 0.2|0.4|0.6|0.8" },
      metrics: [0, 1, 2].map((step) => ({ key: "hr_at_10.temporal-full", value: score - 0.1 * (2 - step), timestamp: 1_700_000_000_000 + step, step })),
      tags: { stage: i === 1 ? "best" : "other" },
    });
    await store.setTag(info.runId, "mlflow.note.content", `run ${i}`);
    await store.updateRun(info.runId, "FINISHED", Date.now());
    runs.push(info.runId);
  }
  return { experimentId, runs };
}

describe.skipIf(skip !== undefined)("contract: our REST client against a real MLflow server (sqlite backend)", () => {
  let server: RealMlflow;
  let store: RestStore;
  let ctx: Awaited<ReturnType<typeof exercise>>;
  beforeAll(async () => {
    server = await startRealMlflow(`sqlite:///${join(root, "sqlite", "mlflow.db")}`, join(root, "sqlite", "artifacts"));
    store = storeFromEnv({ MLFLOW_TRACKING_URI: server.url }) as RestStore;
    ctx = await exercise(store, "contract");
  }, 120_000);
  afterAll(async () => server?.stop());

  it("runs keep params, tags, status and the latest metric; metric history has every step", async () => {
    const run = await store.getRun(ctx.runs[1]!);
    expect(run.info.status).toBe("FINISHED");
    expect(run.info.runName).toBe("run-1");
    expect(run.data.params).toMatchObject({ k: "1", "segment.thresholds.recency": "quantiles 0.2|0.4|0.6|0.8" });
    expect(run.data.tags).toMatchObject({ stage: "best", "mlflow.note.content": "run 1", "retail_intel.data": "sample" });
    expect(run.data.metrics["hr_at_10.temporal-full"]).toBeCloseTo(0.9, 12);
    const history = await store.getMetricHistory(ctx.runs[1]!, "hr_at_10.temporal-full");
    expect(history.map((m) => m.step).sort()).toEqual([0, 1, 2]);
    expect(history.find((m) => m.step === 0)!.value).toBeCloseTo(0.7, 12);
    expect(await store.getMetricHistory(ctx.runs[1]!, "no-such-metric")).toEqual([]);
  });

  it("runs/search with a filter and order_by", async () => {
    const found = await store.searchRuns([ctx.experimentId], { filter: "metrics.`hr_at_10.temporal-full` > 0.5 and tags.`retail_intel.data` = 'sample'", orderBy: ["metrics.`hr_at_10.temporal-full` DESC"] });
    expect(found.map((r) => r.info.runName)).toEqual(["run-1", "run-2"]);
    const byParam = await store.searchRuns([ctx.experimentId], { filter: "params.k = '0'" });
    expect(byParam.map((r) => r.info.runId)).toEqual([ctx.runs[0]]);
  });

  it("artifacts go through the mlflow-artifacts proxy and come back byte for byte", async () => {
    const local = modelFolder(join(root, "model-src"));
    await store.logArtifact(ctx.runs[1]!, local, "model");
    const listed = await store.listArtifacts(ctx.runs[1]!, "model");
    expect(listed.map((e) => e.path)).toEqual(["model/model.json", "model/nested"]);
    const run = await store.getRun(ctx.runs[1]!);
    const dest = await store.downloadArtifacts(`${run.info.artifactUri}/model`, join(root, "download", "a"));
    expect(readFileSync(join(dest, "model.json"), "utf8")).toBe(readFileSync(join(local, "model.json"), "utf8"));
    expect([...readFileSync(join(dest, "nested", "table.bin"))]).toEqual([0, 1, 2, 255]);
    const viaRuns = await store.downloadArtifacts(`runs:/${ctx.runs[1]}/model`, join(root, "download", "b"));
    expect(readFileSync(join(viaRuns, "model.json"), "utf8")).toBe(readFileSync(join(local, "model.json"), "utf8"));
  });

  it("registered models, versions with tags, aliases, and models:/ URIs", async () => {
    const run = await store.getRun(ctx.runs[1]!);
    const registry = store.registry;
    expect(await registry.getRegisteredModel("contract-model")).toBeUndefined();
    await registry.getOrCreateRegisteredModel("contract-model", { tags: { project: "retail-intel" }, description: "contract" });
    expect((await registry.getOrCreateRegisteredModel("contract-model")).tags).toEqual({ project: "retail-intel" });
    const v1 = await registry.createModelVersion("contract-model", { source: `${run.info.artifactUri}/model`, runId: run.info.runId, tags: { data: "sample" } });
    const v2 = await registry.createModelVersion("contract-model", { source: `${run.info.artifactUri}/model`, runId: run.info.runId });
    expect([v1.version, v2.version]).toEqual(["1", "2"]);
    expect(v1.tags).toEqual({ data: "sample" });
    expect(v1.runId).toBe(run.info.runId);
    expect(await registry.getModelVersionByAlias("contract-model", "champion")).toBeUndefined();
    await registry.setAlias("contract-model", "champion", "1");
    await registry.setAlias("contract-model", "challenger", "2");
    expect((await registry.getModelVersionByAlias("contract-model", "champion"))!.version).toBe("1");
    await registry.setAlias("contract-model", "champion", "2"); // moves
    expect((await registry.getRegisteredModel("contract-model"))!.aliases).toEqual({ champion: "2", challenger: "2" });
    await registry.deleteAlias("contract-model", "challenger");
    expect((await registry.getRegisteredModel("contract-model"))!.aliases).toEqual({ champion: "2" });
    await registry.setModelVersionTag("contract-model", "2", "verdict", "champion");
    expect((await registry.getModelVersion("contract-model", "2")).tags).toEqual({ verdict: "champion" });
    const resolved = await resolveModelUri("models:/contract-model@champion", store, join(root, "cache"));
    expect(resolved.version.version).toBe("2");
    expect(JSON.parse(readFileSync(join(resolved.dir, "model.json"), "utf8"))).toEqual({ kind: "test", weights: [1, 2, 3] });
    expect((await resolveModelUri("models:/contract-model/1", store, join(root, "cache"))).version.version).toBe("1");
    await expect(resolveModelUri("models:/contract-model@nope", store, join(root, "cache"))).rejects.toThrow(/no alias 'nope'.*champion/);
    await expect(registry.getModelVersion("contract-model", "9")).rejects.toBeInstanceOf(TrackingError);
  });
});

describe.skipIf(skip !== undefined)("contract: a real MLflow server reads what our file store wrote (file backend)", () => {
  let server: RealMlflow;
  let ctx: Awaited<ReturnType<typeof exercise>>;
  let mlruns: string;
  let modelSource: string;
  beforeAll(async () => {
    mlruns = join(root, "file", "mlruns");
    const local = new FileStore(mlruns);
    ctx = await exercise(local, "file-contract");
    await local.logArtifact(ctx.runs[1]!, modelFolder(join(root, "file-model")), "model");
    modelSource = `${(await local.getRun(ctx.runs[1]!)).info.artifactUri}/model`;
    await local.registry.getOrCreateRegisteredModel("file-model", { tags: { project: "retail-intel" } });
    await local.registry.createModelVersion("file-model", { source: modelSource, runId: ctx.runs[1]!, tags: { data: "sample" } });
    await local.registry.createModelVersion("file-model", { source: modelSource, runId: ctx.runs[2]! });
    await local.registry.setAlias("file-model", "champion", "1");
    await local.registry.setAlias("file-model", "challenger", "2");
    server = await startRealMlflow(pathToFileURL(mlruns).href, join(root, "file", "artifacts"));
  }, 120_000);
  afterAll(async () => server?.stop());

  it("lists the runs with their params, metrics and tags, searches and orders them", async () => {
    const remote = storeFromEnv({ MLFLOW_TRACKING_URI: server.url });
    const experiment = await remote.getExperimentByName("file-contract");
    expect(experiment?.experimentId).toBe(ctx.experimentId);
    const found = await remote.searchRuns([ctx.experimentId], { filter: "metrics.`hr_at_10.temporal-full` > 0.5", orderBy: ["metrics.`hr_at_10.temporal-full` ASC"] });
    expect(found.map((r) => r.info.runName)).toEqual(["run-2", "run-1"]);
    expect(found[1]!.data.params.k).toBe("1");
    expect(found[1]!.data.tags.stage).toBe("best");
    expect((await remote.getMetricHistory(ctx.runs[1]!, "hr_at_10.temporal-full")).length).toBe(3);
  });

  it("lists the registered model, its versions, tags and aliases", async () => {
    const remote = storeFromEnv({ MLFLOW_TRACKING_URI: server.url });
    const model = await remote.registry.getRegisteredModel("file-model");
    expect(model).toMatchObject({ name: "file-model", tags: { project: "retail-intel" }, aliases: { champion: "1", challenger: "2" } });
    const champion = await remote.registry.getModelVersionByAlias("file-model", "champion");
    expect(champion).toMatchObject({ version: "1", source: modelSource, runId: ctx.runs[1], status: "READY", tags: { data: "sample" } });
    expect((await remote.registry.getModelVersion("file-model", "2")).runId).toBe(ctx.runs[2]);
  });
});

/** A real MLflow server on a fresh sqlite store under `root/name`, for the enclosing describe block. */
function sqliteServer(name: string): () => RealMlflow {
  let server: RealMlflow | undefined;
  beforeAll(async () => {
    server = await startRealMlflow(`sqlite:///${join(root, name, "mlflow.db")}`, join(root, name, "artifacts"));
  }, 120_000);
  afterAll(async () => server?.stop());
  return () => server!;
}

describe.skipIf(skip !== undefined)("contract: a notebook's registration against a real MLflow server", () => {
  const real = sqliteServer("register");

  it("champion for the first version, challenger for one that does not beat it, champion for one that does; models:/ resolves", async () => {
    const env = { MLFLOW_TRACKING_URI: real().url, MLFLOW_EXPERIMENT_NAME: "register" };
    const evaluation = (value: number) => ({ metric: "temporal-full.two-tower+prior.hr_at_10", value, higherIsBetter: true, data: "abc" });
    const decisions = [];
    for (const value of [0.15, 0.14, 0.16]) {
      const run = await startRun({ env, cwd: root });
      await run.logArtifact(modelFolder(join(root, `register-model-${value}`)), "model");
      decisions.push(await registerModel(run, { name: "retail-intel-two-tower", description: "test", artifactPath: "model", evaluation: evaluation(value) }));
      await run.end();
    }
    expect(decisions.map((d) => [d.version, d.champion])).toEqual([["1", true], ["2", false], ["3", true]]);
    const store = storeFromEnv(env);
    expect((await store.registry.getRegisteredModel("retail-intel-two-tower"))!.aliases).toEqual({ champion: "3" });
    const v2 = await store.registry.getModelVersion("retail-intel-two-tower", "2");
    expect(v2.tags["retail_intel.decision"]).toMatch(/does not beat the champion/);
    const resolved = await resolveModelUri("models:/retail-intel-two-tower@champion", store, join(root, "register-cache"));
    expect(resolved.version.version).toBe("3");
    expect(readFileSync(join(resolved.dir, "nested", "table.bin")).length).toBe(4);
  });
});

const kernelSpec = join(import.meta.dirname, "..", ".jupyter", "share", "jupyter", "kernels", "tslab", "kernel.json");
const jupyterReady = spawnSync(JUPYTER_PYTHON, ["-c", "import nbclient, nbconvert"]).status === 0 && existsSync(kernelSpec);

describe.skipIf(skip !== undefined || !jupyterReady)("contract: the pipeline against a real MLflow server registers three models; serve answers from their champions", () => {
  const real = sqliteServer("pipeline");

  it("notebooks 01-05 on a small sample leave retail-intel-forecaster, -segmentation and -two-tower with a champion", async () => {
    const dir = join(root, "pipeline");
    const env: NodeJS.ProcessEnv = { ...process.env, MLFLOW_TRACKING_URI: real().url, MLFLOW_EXPERIMENT_NAME: "pipeline-contract", RETAIL_INTEL_MODEL_CACHE: join(dir, "cache") };
    delete env["MLFLOW_RUN_ID"];
    const outcomes = await runNotebooks({
      root: join(import.meta.dirname, ".."),
      only: ["01", "02", "03", "04", "05"],
      overrides: {
        rawDir: join(dir, "raw"), sampleOrders: "2500", sampleSeed: "pipeline-contract", processedDir: join(dir, "processed"),
        backtestCutoffs: "2", autoOrigins: "2", forecastDir: join(dir, "forecast"), segmentsDir: join(dir, "segments"), recommendDir: join(dir, "recommend"), bootstrapResamples: "5",
        protocol: "temporal-full", trainSeeds: "1", epochs: "1",
      },
      reportsDir: join(dir, "reports"),
      env,
      log: () => undefined,
    });
    expect(outcomes.map((o) => [o.notebook.slice(0, 2), o.status])).toEqual([["01", "ok"], ["02", "ok"], ["03", "ok"], ["04", "ok"], ["05", "ok"]]);
    const store = storeFromEnv(env);
    for (const name of ["retail-intel-forecaster", "retail-intel-segmentation", "retail-intel-two-tower"]) {
      const model = await store.registry.getRegisteredModel(name);
      expect(model?.aliases.champion, name).toBe("1");
      const champion = await store.registry.getModelVersionByAlias(name, "champion");
      expect(outcomes.map((o) => o.runId)).toContain(champion!.runId);
      expect(champion!.tags["retail_intel.evaluation.metric"]).toBeTruthy();
    }
    const previous = { ...process.env };
    Object.assign(process.env, { MLFLOW_TRACKING_URI: real().url, RETAIL_INTEL_MODEL_CACHE: join(dir, "cache") });
    try {
      const models = {
        recommender: await loadRecommender("models:/retail-intel-two-tower@champion"),
        segments: await loadSegments("models:/retail-intel-segmentation@champion"),
        forecast: await loadForecast("models:/retail-intel-forecaster@champion"),
      };
      const running = await listen(createHandler(models, createServeMetrics()), "127.0.0.1", 0);
      try {
        const id = models.recommender.model.users.ids[0]!;
        const res = (await (await fetch(`${running.url}/recommendations/${id}?k=3`)).json()) as { model: { name: string; version: string }; items: unknown[] };
        expect(res.model).toEqual({ name: "retail-intel-two-tower", version: "1" });
        expect(res.items).toHaveLength(3);
        const forecast = (await (await fetch(`${running.url}/forecast?days=5`)).json()) as { points: unknown[] };
        expect(forecast.points).toHaveLength(5);
        expect((await fetch(`${running.url}/health`)).status).toBe(200);
      } finally {
        await running.close();
      }
    } finally {
      for (const key of ["MLFLOW_TRACKING_URI", "RETAIL_INTEL_MODEL_CACHE"]) {
        if (previous[key] === undefined) delete process.env[key];
        else process.env[key] = previous[key];
      }
    }
  }, 600_000);
});
