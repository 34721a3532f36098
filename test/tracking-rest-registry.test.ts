/**
 * The REST registry, metric history and artifact download against the in-test fake server (its registry
 * answers follow the real MLflow 2.11 server's, which test/mlflow-contract.test.ts checks when one is there).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RestStore, resolveModelUri, startRun, storeFromEnv } from "../src/tracking/index.js";
import { registerModel } from "../src/tracking/register-model.js";
import { FakeMlflow } from "./support/fake-mlflow.js";

let server: FakeMlflow;
let root: string;
beforeEach(async () => {
  server = await new FakeMlflow().start();
  root = mkdtempSync(join(tmpdir(), "retail-intel-rest-registry-"));
});
afterEach(async () => {
  await server.stop();
  rmSync(root, { recursive: true, force: true });
});

describe("REST registry (fake server)", () => {
  it("registers versions with the champion rule, resolves models:/ through the artifact proxy, reads metric history", async () => {
    const env = { MLFLOW_TRACKING_URI: server.url, MLFLOW_HTTP_REQUEST_BACKOFF_JITTER: "0" };
    const model = join(root, "model");
    mkdirSync(join(model, "sub"), { recursive: true });
    writeFileSync(join(model, "model.json"), '{"a":1}');
    writeFileSync(join(model, "sub", "w.bin"), Buffer.from([9, 8, 7]));
    const decisions = [];
    for (const value of [0.2, 0.2, 0.3]) {
      const run = await startRun({ env, cwd: root });
      run.logMetric("loss", value, 0);
      run.logMetric("loss", value / 2, 1);
      await run.logArtifact(model, "model");
      decisions.push(await registerModel(run, { name: "m", description: "d", artifactPath: "model", evaluation: { metric: "hr", value, higherIsBetter: true, data: "x" } }));
      await run.end();
      const history = await run.store.getMetricHistory(run.info.runId, "loss");
      expect(history.map((h) => [h.step, h.value])).toEqual([[0, value], [1, value / 2]]);
    }
    expect(decisions.map((d) => [d.version, d.champion])).toEqual([["1", true], ["2", false], ["3", true]]);
    const store = storeFromEnv(env) as RestStore;
    expect((await store.registry.getRegisteredModel("m"))!.aliases).toEqual({ champion: "3" });
    expect(await store.registry.getModelVersionByAlias("m", "challenger")).toBeUndefined();
    const resolved = await resolveModelUri("models:/m@champion", store, join(root, "cache"));
    expect(resolved.version.version).toBe("3");
    expect(readFileSync(join(resolved.dir, "model.json"), "utf8")).toBe('{"a":1}');
    expect([...readFileSync(join(resolved.dir, "sub", "w.bin"))]).toEqual([9, 8, 7]);
    // the second resolution comes from the cache: no new download
    const before = server.requests.filter((r) => r.path.startsWith("/api/2.0/mlflow-artifacts/artifacts/")).length;
    await resolveModelUri("models:/m@champion", store, join(root, "cache"));
    expect(server.requests.filter((r) => r.path.startsWith("/api/2.0/mlflow-artifacts/artifacts/")).length).toBe(before);
  });
});
