import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileStore, TrackingError, parseModelUri, resolveModelUri } from "../src/tracking/index.js";

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
