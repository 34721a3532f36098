import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileStore, TrackingError, parseModelUri, resolveModelUri, startRun } from "../src/tracking/index.js";
import { decide, describeDecision, fingerprint, registerModel } from "../src/tracking/register-model.js";

let root: string;
let store: FileStore;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "retail-intel-registry-"));
  store = new FileStore(join(root, "mlruns"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("file registry (MLflow's FileStore registry layout)", () => {
  it("writes models/<name>/meta.yaml, version-<n>/meta.yaml, tags and aliases where MLflow reads them", async () => {
    await store.registry.getOrCreateRegisteredModel("m", { tags: { project: "x" }, description: "d" });
    const v1 = await store.registry.createModelVersion("m", { source: "file:///tmp/a/model", runId: "r1", tags: { data: "sample" } });
    const v2 = await store.registry.createModelVersion("m", { source: "file:///tmp/b/model", runId: "r2" });
    expect([v1.version, v2.version]).toEqual(["1", "2"]);
    await store.registry.setAlias("m", "champion", "1");
    const dir = join(root, "mlruns", "models", "m");
    expect(readFileSync(join(dir, "aliases", "champion"), "utf8")).toBe("1");
    expect(readFileSync(join(dir, "tags", "project"), "utf8")).toBe("x");
    expect(readFileSync(join(dir, "version-1", "tags", "data"), "utf8")).toBe("sample");
    const meta = readFileSync(join(dir, "version-2", "meta.yaml"), "utf8");
    for (const line of ["name: m", "version: 2", "run_id: r2", "source: file:///tmp/b/model", "storage_location: file:///tmp/b/model", "status: READY", "current_stage: None"]) expect(meta).toContain(line);
    expect(readFileSync(join(dir, "meta.yaml"), "utf8")).toContain("description: d");
    expect((await store.registry.getModelVersionByAlias("m", "champion"))!.aliases).toEqual(["champion"]);
    expect((await store.registry.getRegisteredModel("m"))!.aliases).toEqual({ champion: "1" });
    await store.registry.setAlias("m", "champion", "2");
    expect((await store.registry.getModelVersion("m", "1")).aliases).toEqual([]);
    await store.registry.deleteAlias("m", "champion");
    expect(await store.registry.getModelVersionByAlias("m", "champion")).toBeUndefined();
    // the models folder is not taken for an experiment
    expect(await store.getExperimentByName("models")).toBeUndefined();
  });

  it("numbers concurrent versions without gaps or repeats", async () => {
    await store.registry.getOrCreateRegisteredModel("m");
    const versions = await Promise.all(Array.from({ length: 6 }, (_, i) => store.registry.createModelVersion("m", { source: `file:///x/${i}`, runId: `r${i}` })));
    expect(versions.map((v) => Number(v.version)).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("refuses bad aliases and names, unknown models and versions with TrackingErrors", async () => {
    await store.registry.getOrCreateRegisteredModel("m");
    await expect(store.registry.setAlias("m", "latest", "1")).rejects.toThrow(/not valid/);
    await expect(store.registry.setAlias("m", "v3", "1")).rejects.toThrow(/not valid/);
    await expect(store.registry.setAlias("m", "ok", "7")).rejects.toThrow(/version=7\) not found/);
    await expect(store.registry.createModelVersion("other", { source: "s", runId: "r" })).rejects.toBeInstanceOf(TrackingError);
    await expect(store.registry.getOrCreateRegisteredModel("a/b")).rejects.toThrow(/not valid/);
    expect(await store.registry.getRegisteredModel("nothing")).toBeUndefined();
  });
});

describe("models:/ URIs", () => {
  it("parses NAME@ALIAS and NAME/VERSION and refuses anything else", () => {
    expect(parseModelUri("models:/retail-intel-two-tower@champion")).toEqual({ name: "retail-intel-two-tower", alias: "champion" });
    expect(parseModelUri("models:/m/3")).toEqual({ name: "m", version: "3" });
    for (const bad of ["models:/m", "models:/m/x", "runs:/abc/model", "models:/@a"]) expect(() => parseModelUri(bad)).toThrow(/models:\/NAME@ALIAS/);
  });

  it("resolve to the version's folder on the file store, and name what is missing", async () => {
    const run = await store.createRun(await store.getOrCreateExperiment("e"), {});
    const src = join(root, "model");
    mkdirSync(src);
    writeFileSync(join(src, "model.json"), "{}");
    await store.logArtifact(run.runId, src, "model");
    await store.registry.getOrCreateRegisteredModel("m");
    await store.registry.createModelVersion("m", { source: `${run.artifactUri}/model`, runId: run.runId });
    await store.registry.setAlias("m", "champion", "1");
    const resolved = await resolveModelUri("models:/m@champion", store, join(root, "cache"));
    expect(readFileSync(join(resolved.dir, "model.json"), "utf8")).toBe("{}");
    expect(resolved.version.version).toBe("1");
    await expect(resolveModelUri("models:/m@other", store, join(root, "cache"))).rejects.toThrow(/no alias 'other' \(aliases: champion\)/);
    await expect(resolveModelUri("models:/nope@champion", store, join(root, "cache"))).rejects.toThrow(/no registered model 'nope'/);
  });
});

describe("registerModel: challenger, and champion only when it beats the champion on the same data", () => {
  const evaluation = (value: number, data = "d1") => ({ metric: "rolling-origin.auto.mape", value, higherIsBetter: false, data });

  it("the first version is champion; an equal one stays challenger; a better one on the same data takes over; other data is not comparable", async () => {
    const run = await startRun({ env: { MLFLOW_TRACKING_URI: join(root, "mlruns") }, cwd: root, runName: "r" });
    const src = join(root, "m");
    mkdirSync(src);
    writeFileSync(join(src, "model.json"), "{}");
    await run.logArtifact(src, "model");
    const register = (value: number, data?: string) => registerModel(run, { name: "f", description: "forecaster", artifactPath: "model", evaluation: evaluation(value, data), tags: { "retail_intel.data": "sample" } });

    const first = await register(0.12);
    expect(first).toMatchObject({ registered: true, version: "1", champion: true });
    expect(first.reason).toMatch(/no champion yet/);
    const v1 = await store.registry.getModelVersion("f", "1");
    expect(v1.source).toBe(`${run.info.artifactUri}/model`);
    expect(v1.runId).toBe(run.info.runId);
    expect(v1.tags).toMatchObject({ "retail_intel.data": "sample", "retail_intel.evaluation.metric": "rolling-origin.auto.mape", "retail_intel.evaluation.value": "0.12" });

    const same = await register(0.12);
    expect(same).toMatchObject({ version: "2", champion: false, previousChampion: { version: "1", value: 0.12 } });
    expect(same.reason).toMatch(/does not beat the champion.*0\.1200 against champion v1's 0\.1200.*lower is better/);
    expect((await store.registry.getRegisteredModel("f"))!.aliases).toEqual({ champion: "1", challenger: "2" });

    const better = await register(0.1);
    expect(better).toMatchObject({ version: "3", champion: true });
    expect(better.reason).toMatch(/beats the champion/);
    expect((await store.registry.getRegisteredModel("f"))!.aliases).toEqual({ champion: "3" });

    const otherData = await register(0.01, "d2");
    expect(otherData).toMatchObject({ version: "4", champion: false });
    expect(otherData.reason).toMatch(/other evaluation data/);
    expect((await store.registry.getModelVersion("f", "4")).tags["retail_intel.decision"]).toBe(otherData.reason);
    expect(describeDecision(otherData)).toMatch(/^\*\*f v4: challenger\*\*/);
    await run.end();
  });

  it("decide compares only the same metric and direction", () => {
    const champion = { name: "f", version: "1", source: "s", runId: "r", status: "READY", creationTimestamp: 0, description: "", aliases: ["champion"], tags: { "retail_intel.evaluation.metric": "hr_at_10", "retail_intel.evaluation.value": "0.5", "retail_intel.evaluation.higher_is_better": "true", "retail_intel.evaluation.data": "d" } };
    expect(decide({ metric: "hr_at_10", value: 0.6, higherIsBetter: true, data: "d" }, champion).promote).toBe(true);
    expect(decide({ metric: "hr_at_10", value: 0.4, higherIsBetter: true, data: "d" }, champion).promote).toBe(false);
    expect(decide({ metric: "mrr", value: 0.9, higherIsBetter: true, data: "d" }, champion).reason).toMatch(/not comparable/);
    expect(decide({ metric: "hr_at_10", value: 0.9, higherIsBetter: true, data: "d" }, { ...champion, tags: {} }).reason).toMatch(/carries no evaluation/);
    expect(fingerprint([1, 2], "x")).toBe(fingerprint([1, 2], "x"));
    expect(fingerprint(new Float32Array([1, 2]))).toBe(fingerprint([1, 2]));
    expect(fingerprint([1, 2])).not.toBe(fingerprint([2, 1]));
  });

  it("when the tracking server cannot be reached, nothing is registered and the decision says so", async () => {
    const run = await startRun({ env: { MLFLOW_TRACKING_URI: join(root, "mlruns") }, cwd: root });
    const unreachable = { ...run, store: { ...run.store, description: "MLflow server http://127.0.0.1:9 (REST)", registry: { ...store.registry, getOrCreateRegisteredModel: async () => { throw new TrackingError("down", { endpoint: "x", transient: true }); } } }, flush: async () => undefined, info: run.info } as unknown as Parameters<typeof registerModel>[0];
    const d = await registerModel(unreachable, { name: "f", description: "", artifactPath: "model", evaluation: evaluation(0.1) });
    expect(d).toMatchObject({ registered: false, champion: false });
    expect(d.reason).toMatch(/not registered: .*could not be reached/);
    await run.end();
  });
});
