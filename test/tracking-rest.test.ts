/**
 * The REST store and ActiveRun against an in-test MLflow tracking server (node:http on 127.0.0.1, random
 * port) that implements the documented request/response shapes of the endpoints used, with state in memory.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readGitCommit } from "../src/tracking/git.js";
import { FileStore, RestStore, TrackingError, replayUnsent, resumeRun, startRun, storeFromEnv, type Metric } from "../src/tracking/index.js";

import { FakeMlflow } from "./support/fake-mlflow.js";

// ------------------------------------------------------------------ helpers

const noSleep = { sleeps: [] as number[] };
const sleep = async (ms: number) => {
  noSleep.sleeps.push(ms);
};

let server: FakeMlflow;
let cwd: string;
let warnings: string[];
const warn = (m: string) => {
  warnings.push(m);
};

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { MLFLOW_TRACKING_URI: server.url, MLFLOW_HTTP_REQUEST_BACKOFF_JITTER: "0", ...extra };
}

function rest(extra: Record<string, string> = {}): RestStore {
  const store = storeFromEnv(env(extra), { cwd, sleep, warn });
  expect(store).toBeInstanceOf(RestStore);
  return store as RestStore;
}

async function caught(promise: Promise<unknown>): Promise<TrackingError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TrackingError);
    return error as TrackingError;
  }
  throw new Error("expected a TrackingError");
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const metricsOf = (n: number, key = "m"): Metric[] => Array.from({ length: n }, (_, i) => ({ key, value: i, timestamp: 1_700_000_000_000 + i, step: i }));

beforeEach(async () => {
  server = await new FakeMlflow().start();
  cwd = mkdtempSync(join(tmpdir(), "tracking-rest-"));
  warnings = [];
  noSleep.sleeps = [];
});

afterEach(async () => {
  await server.stop().catch(() => undefined);
  rmSync(cwd, { recursive: true, force: true });
});

// ------------------------------------------------------------------ tests

describe("REST store: experiments and runs", () => {
  it("gets or creates an experiment and creates a run with the documented request shapes", async () => {
    const store = rest();
    expect(store.description).toBe(`MLflow server ${server.url} (REST)`);
    const id = await store.getOrCreateExperiment("retail");
    expect(await store.getOrCreateExperiment("retail")).toBe(id);
    expect(server.calls("/api/2.0/mlflow/experiments/create")).toHaveLength(1);
    expect(server.calls("/api/2.0/mlflow/experiments/get-by-name")[0]!.query.get("experiment_name")).toBe("retail");

    const info = await store.createRun(id, { runName: "r1", startTime: 1_700_000_000_123, tags: { "mlflow.user": "ana", "mlflow.source.type": "NOTEBOOK" } });
    const body = server.calls("/api/2.0/mlflow/runs/create")[0]!.json!;
    expect(body).toMatchObject({ experiment_id: id, start_time: 1_700_000_000_123, run_name: "r1", user_id: "ana" });
    expect(body.tags).toEqual(
      expect.arrayContaining([
        { key: "mlflow.runName", value: "r1" },
        { key: "mlflow.user", value: "ana" },
        { key: "mlflow.source.type", value: "NOTEBOOK" },
      ]),
    );
    expect(info).toEqual({
      runId: info.runId,
      experimentId: id,
      runName: "r1",
      status: "RUNNING",
      startTime: 1_700_000_000_123,
      artifactUri: `mlflow-artifacts:/${id}/${info.runId}/artifacts`,
      lifecycleStage: "active",
      userId: "ana",
    });
    await store.updateRun(info.runId, "FINISHED", 1_700_000_009_000);
    expect(server.calls("/api/2.0/mlflow/runs/update")[0]!.json).toEqual({ run_id: info.runId, status: "FINISHED", end_time: 1_700_000_009_000 });
    await store.setTag(info.runId, "mlflow.note.content", "hello");
    expect(server.calls("/api/2.0/mlflow/runs/set-tag")[0]!.json).toEqual({ run_id: info.runId, key: "mlflow.note.content", value: "hello" });

    server.int64AsString = true; // old servers: int64 as strings
    const run = await store.getRun(info.runId);
    expect(run.info.status).toBe("FINISHED");
    expect(run.info.endTime).toBe(1_700_000_009_000);
    expect(run.info.startTime).toBe(1_700_000_000_123);
    expect(run.data.tags["mlflow.note.content"]).toBe("hello");
  });

  it("resolves a create race (RESOURCE_ALREADY_EXISTS) by getting the experiment again", async () => {
    const store = rest();
    let first = true;
    server.interceptors.push((req, res) => {
      if (req.path.endsWith("/experiments/create") && first) {
        first = false;
        server.experiments.set("77", { name: "raced", artifact_location: "mlflow-artifacts:/77", lifecycle_stage: "active" });
        res.writeHead(400, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ error_code: "RESOURCE_ALREADY_EXISTS", message: "Experiment 'raced' already exists." }));
        return true;
      }
      return false;
    });
    expect(await store.getOrCreateExperiment("raced")).toBe("77");
    expect(server.calls("/api/2.0/mlflow/experiments/get-by-name")).toHaveLength(2);
  });

  it("follows search page tokens and stops at maxResults", async () => {
    const store = rest();
    for (let i = 0; i < 5; i++) await store.createRun("0", { runName: `r${i}` });
    server.pageSize = 2;
    const all = await store.searchRuns(["0"], { filter: "attributes.status = 'RUNNING'", orderBy: ["attributes.start_time DESC"] });
    expect(all.map((r) => r.info.runName)).toEqual(["r0", "r1", "r2", "r3", "r4"]);
    const searches = server.calls("/api/2.0/mlflow/runs/search");
    expect(searches).toHaveLength(3);
    expect(searches[0]!.json).toMatchObject({ experiment_ids: ["0"], filter: "attributes.status = 'RUNNING'", order_by: ["attributes.start_time DESC"] });
    expect(searches[0]!.json!.page_token).toBeUndefined();
    expect(searches[1]!.json!.page_token).toBeTypeOf("string");
    expect((await store.searchRuns(["0"], { maxResults: 3 })).length).toBe(3);
  });
});

describe("REST store: log-batch", () => {
  it("splits 2,500 metrics into 3 requests and 250 params into 3 requests within MLflow's limits", async () => {
    const store = rest();
    const { runId } = await store.createRun("0", {});
    await store.logBatch(runId, { metrics: metricsOf(2500) });
    const batches = server.calls("/api/2.0/mlflow/runs/log-batch");
    expect(batches.map((r) => (r.json!.metrics as unknown[]).length)).toEqual([1000, 1000, 500]);
    expect(batches[0]!.json!.metrics).toContainEqual({ key: "m", value: 0, timestamp: 1_700_000_000_000, step: 0 });

    const params = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`p${i}`, `v${i}`]));
    await store.logBatch(runId, { params });
    const paramBatches = server.calls("/api/2.0/mlflow/runs/log-batch").slice(3);
    expect(paramBatches.map((r) => (r.json!.params as unknown[]).length)).toEqual([100, 100, 50]);
    expect(paramBatches[0]!.json!.params).toContainEqual({ key: "p0", value: "v0" });

    const stored = server.runs.get(runId)!;
    expect(stored.metrics).toHaveLength(2500);
    expect(stored.params.size).toBe(250);
    expect((await store.getRun(runId)).data.metrics.m).toBe(2499);
  });

  it("keeps each request under 1 MB and 1000 entities when params, tags and metrics are mixed", async () => {
    const store = rest();
    const { runId } = await store.createRun("0", {});
    const big = "x".repeat(6000);
    await store.logBatch(runId, {
      params: Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`p${i}`, big])),
      tags: Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`t${i}`, "y".repeat(7000)])),
      metrics: metricsOf(1500),
    });
    for (const r of server.calls("/api/2.0/mlflow/runs/log-batch")) {
      const j = r.json!;
      const [m, p, t] = [j.metrics, j.params, j.tags].map((a) => (a as unknown[] | undefined)?.length ?? 0) as [number, number, number];
      expect(r.body.length).toBeLessThanOrEqual(1_000_000);
      expect(p).toBeLessThanOrEqual(100);
      expect(t).toBeLessThanOrEqual(100);
      expect(m + p + t).toBeLessThanOrEqual(1000);
    }
    const stored = server.runs.get(runId)!;
    expect([stored.params.size, stored.tags.size - 1, stored.metrics.length]).toEqual([150, 120, 1500]);
  });

  it("sends NaN and ±Infinity as protobuf JSON strings and reads them back", async () => {
    const store = rest();
    const { runId } = await store.createRun("0", {});
    await store.logBatch(runId, {
      metrics: [
        { key: "nan", value: NaN, timestamp: 1, step: 0 },
        { key: "inf", value: Infinity, timestamp: 1, step: 0 },
        { key: "ninf", value: -Infinity, timestamp: 1, step: 0 },
      ],
    });
    const sent = server.calls("/api/2.0/mlflow/runs/log-batch")[0]!;
    expect(sent.body.toString()).toContain('"value":"NaN"');
    expect(sent.json!.metrics).toEqual([
      { key: "nan", value: "NaN", timestamp: 1, step: 0 },
      { key: "inf", value: "Infinity", timestamp: 1, step: 0 },
      { key: "ninf", value: "-Infinity", timestamp: 1, step: 0 },
    ]);
    const { metrics } = (await store.getRun(runId)).data;
    expect(metrics.nan).toBeNaN();
    expect(metrics.inf).toBe(Infinity);
    expect(metrics.ninf).toBe(-Infinity);
  });

  it("rejects invalid keys with a clear TrackingError before any request", async () => {
    const store = rest();
    const { runId } = await store.createRun("0", {});
    const before = server.requests.length;
    for (const bad of ["a:b", "../up", "/abs", "a//b", "x".repeat(251)]) {
      const error = await caught(store.logBatch(runId, { metrics: metricsOf(3), params: { [bad]: "1" } }));
      expect(error.errorCode).toBe("INVALID_PARAMETER_VALUE");
      expect(error.message).toMatch(/Invalid parameter name/);
      expect(error.endpoint).toBe("/api/2.0/mlflow/runs/log-batch");
    }
    expect((await caught(store.logBatch(runId, { metrics: [{ key: "m", value: 1, timestamp: 1.5, step: 0 }] }))).message).toMatch(/timestamp/);
    expect(server.requests.length).toBe(before);
  });

  it("truncates a param value over 6000 characters (MLflow's default) or rejects it with MLFLOW_TRUNCATE_LONG_VALUES=false", async () => {
    const store = rest();
    const { runId } = await store.createRun("0", {});
    await store.logBatch(runId, { params: { long: "z".repeat(7000) } });
    expect(server.runs.get(runId)!.params.get("long")).toHaveLength(6000);
    expect(warnings.join("\n")).toMatch(/truncated to 6000/);

    const strict = rest({ MLFLOW_TRUNCATE_LONG_VALUES: "false" });
    const error = await caught(strict.logBatch(runId, { params: { long2: "z".repeat(6001) } }));
    expect(error.errorCode).toBe("INVALID_PARAMETER_VALUE");
    expect(error.message).toMatch(/6001.*6000/);
  });
});

describe("REST client: errors, retries, timeouts, auth", () => {
  it("turns {error_code, message} bodies into TrackingError with status and code, and does not retry 400 or 404", async () => {
    const store = rest();
    const missing = await caught(store.getRun("ffffffffffffffffffffffffffffffff"));
    expect(missing).toMatchObject({ status: 404, errorCode: "RESOURCE_DOES_NOT_EXIST", endpoint: "/api/2.0/mlflow/runs/get", transient: false });
    expect(missing.message).toContain("Run 'ffffffffffffffffffffffffffffffff' not found");
    expect(server.calls("/api/2.0/mlflow/runs/get")).toHaveLength(1);

    const { runId } = await store.createRun("0", {});
    await store.logBatch(runId, { params: { a: "1" } });
    const changed = await caught(store.logBatch(runId, { params: { a: "2" } }));
    expect(changed).toMatchObject({ status: 400, errorCode: "INVALID_PARAMETER_VALUE" });
    expect(server.calls("/api/2.0/mlflow/runs/log-batch")).toHaveLength(2);
  });

  it("gives a non-JSON error MLflow's status-derived code", async () => {
    const store = new RestStore({ baseUrl: `${server.url}/not-mlflow`, retry: { maxRetries: 0, backoffFactor: 0, backoffJitter: 0, timeoutMs: 5000, respectRetryAfter: true } });
    const error = await caught(store.getExperimentByName("x"));
    expect(error).toMatchObject({ status: 404, errorCode: "ENDPOINT_NOT_FOUND" });
  });

  it("retries 429 (honouring Retry-After) then 503, then succeeds", async () => {
    const store = rest();
    const script = [
      { status: 429, headers: { "Retry-After": "3" } },
      { status: 503, headers: {} },
    ];
    server.interceptors.push((req, res) => {
      if (!req.path.endsWith("/runs/get")) return false;
      const next = script.shift();
      if (!next) return false;
      res.writeHead(next.status, { "Content-Type": "application/json", ...next.headers });
      res.end(JSON.stringify({ error_code: "TEMPORARILY_UNAVAILABLE", message: "busy" }));
      return true;
    });
    const { runId } = await store.createRun("0", { runName: "retried" });
    expect((await store.getRun(runId)).info.runName).toBe("retried");
    expect(server.calls("/api/2.0/mlflow/runs/get")).toHaveLength(3);
    // Retry-After: 3 -> 3 s; then urllib3's backoff for the 2nd failure: factor 2 * 2^(2-1) = 4 s (jitter 0)
    expect(noSleep.sleeps).toEqual([3000, 4000]);
  });

  it("gives up after MLFLOW_HTTP_REQUEST_MAX_RETRIES with MLflow's backoff schedule and a transient error", async () => {
    const store = rest();
    server.interceptors.push((req, res) => {
      if (!req.path.endsWith("/runs/get")) return false;
      res.writeHead(503, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error_code: "TEMPORARILY_UNAVAILABLE", message: "down for maintenance" }));
      return true;
    });
    const error = await caught(store.getRun("abc"));
    expect(error).toMatchObject({ status: 503, errorCode: "TEMPORARILY_UNAVAILABLE", transient: true });
    expect(server.calls("/api/2.0/mlflow/runs/get")).toHaveLength(6);
    expect(noSleep.sleeps).toEqual([0, 4000, 8000, 16000, 32000]);

    noSleep.sleeps = [];
    await caught(rest({ MLFLOW_HTTP_REQUEST_MAX_RETRIES: "1", MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR: "1" }).getRun("abc"));
    expect(noSleep.sleeps).toEqual([0]);
  });

  it("does not retry 401 and names the credential variables without showing the token", async () => {
    const store = rest({ MLFLOW_TRACKING_TOKEN: "s3cr3t-t0ken" });
    server.interceptors.push((req, res) => {
      res.writeHead(401, { "Content-Type": "application/json" });
      // A proxy that echoes the header it rejected.
      res.end(JSON.stringify({ error_code: "UNAUTHENTICATED", message: `bad credentials: ${String(req.headers.authorization)}` }));
      return true;
    });
    const error = await caught(store.getExperimentByName("x"));
    expect(error).toMatchObject({ status: 401, errorCode: "UNAUTHENTICATED", transient: false });
    expect(server.requests).toHaveLength(1);
    expect(error.message).toMatch(/MLFLOW_TRACKING_TOKEN/);
    expect(error.message).not.toContain("s3cr3t-t0ken");
    expect(error.message).toContain("Bearer ***");
  });

  it("aborts a hanging request at MLFLOW_HTTP_REQUEST_TIMEOUT and retries it", async () => {
    const store = rest({ MLFLOW_HTTP_REQUEST_TIMEOUT: "0.2", MLFLOW_HTTP_REQUEST_MAX_RETRIES: "1" });
    server.interceptors.push((req) => req.path.endsWith("/runs/get")); // never answers
    const started = Date.now();
    const error = await caught(store.getRun("abc"));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error.transient).toBe(true);
    expect(error.message).toMatch(/within 0\.2 s.*MLFLOW_HTTP_REQUEST_TIMEOUT/);
    expect(server.calls("/api/2.0/mlflow/runs/get")).toHaveLength(2);
  });

  it("sends Bearer for MLFLOW_TRACKING_TOKEN and Basic for username/password (also from the URI), never showing them", async () => {
    await rest({ MLFLOW_TRACKING_TOKEN: "tok-123" }).getExperimentByName("a");
    expect(server.requests.at(-1)!.headers.authorization).toBe("Bearer tok-123");

    const basic = rest({ MLFLOW_TRACKING_USERNAME: "ana", MLFLOW_TRACKING_PASSWORD: "pa55word!" });
    await basic.getExperimentByName("a");
    expect(server.requests.at(-1)!.headers.authorization).toBe(`Basic ${Buffer.from("ana:pa55word!").toString("base64")}`);
    expect(basic.description).not.toContain("pa55word!");

    const inUri = storeFromEnv({ MLFLOW_TRACKING_URI: `http://bob:hunter22@127.0.0.1:${server.port}/` }, { cwd, sleep, warn });
    await inUri.getExperimentByName("a");
    expect(server.requests.at(-1)!.headers.authorization).toBe(`Basic ${Buffer.from("bob:hunter22").toString("base64")}`);
    expect(inUri.description).toBe(`MLflow server ${server.url} (REST)`);
    expect(inUri.location).toBeUndefined(); // the caller keeps the URI that carries the credentials

    await rest().getExperimentByName("a");
    expect(server.requests.at(-1)!.headers.authorization).toBeUndefined();
  });

  it("validates MLflow's HTTP variables", () => {
    expect(() => storeFromEnv(env({ MLFLOW_HTTP_REQUEST_MAX_RETRIES: "12" }))).toThrow(/MLFLOW_HTTP_REQUEST_MAX_RETRIES.*0 to 9/);
    expect(() => storeFromEnv(env({ MLFLOW_HTTP_REQUEST_TIMEOUT: "soon" }))).toThrow(/MLFLOW_HTTP_REQUEST_TIMEOUT/);
    expect(() => storeFromEnv({ MLFLOW_TRACKING_URI: "sqlite:///mlflow.db" })).toThrow(/scheme 'sqlite' is not supported/);
    const insecure = storeFromEnv(env({ MLFLOW_TRACKING_INSECURE_TLS: "true" }), { warn });
    expect(insecure).toBeInstanceOf(RestStore);
    expect(warnings.join()).toMatch(/MLFLOW_TRACKING_INSECURE_TLS is ignored/);
  });
});

describe("REST store: artifacts", () => {
  it("PUTs files and directories to the mlflow-artifacts proxy path and lists them", async () => {
    const store = rest();
    const id = await store.getOrCreateExperiment("art");
    const { runId } = await store.createRun(id, {});
    const dir = join(cwd, "figs");
    mkdirSync(join(dir, "sub"), { recursive: true });
    writeFileSync(join(dir, "a.svg"), "<svg/>");
    writeFileSync(join(dir, "sub", "b.json"), "{}");
    writeFileSync(join(cwd, "report.html"), "<html>report</html>");

    await store.logArtifact(runId, join(cwd, "report.html"));
    await store.logArtifact(runId, dir, "figures");
    const puts = server.requests.filter((r) => r.method === "PUT").map((r) => [r.path, r.headers["content-type"]]);
    expect(puts).toEqual([
      [`/api/2.0/mlflow-artifacts/artifacts/${id}/${runId}/artifacts/report.html`, "text/html"],
      [`/api/2.0/mlflow-artifacts/artifacts/${id}/${runId}/artifacts/figures/a.svg`, "image/svg+xml"],
      [`/api/2.0/mlflow-artifacts/artifacts/${id}/${runId}/artifacts/figures/sub/b.json`, "application/json"],
    ]);
    expect(server.artifacts.get(`${id}/${runId}/artifacts/report.html`)!.body.toString()).toBe("<html>report</html>");

    expect(await store.listArtifacts(runId)).toEqual([
      { path: "figures", isDir: true },
      { path: "report.html", isDir: false, fileSize: 19 },
    ]);
    expect(await store.listArtifacts(runId, "figures")).toEqual([
      { path: "figures/a.svg", isDir: false, fileSize: 6 },
      { path: "figures/sub", isDir: true },
    ]);
    expect(server.requests.filter((r) => r.method === "GET" && r.path === "/api/2.0/mlflow-artifacts/artifacts").map((r) => r.query.get("path"))).toEqual([
      `${id}/${runId}/artifacts`,
      `${id}/${runId}/artifacts/figures`,
    ]);
  });

  it("refuses, with an explanation, artifact locations it cannot reach (s3://, a server-side path)", async () => {
    const store = rest();
    server.experiments.set("9", { name: "s3", artifact_location: "s3://bucket/mlflow/9", lifecycle_stage: "active" });
    const { runId } = await store.createRun("9", {});
    writeFileSync(join(cwd, "f.txt"), "x");
    const error = await caught(store.logArtifact(runId, join(cwd, "f.txt")));
    expect(error.message).toMatch(/s3:\/\/bucket\/mlflow\/9\/.*not served by the MLflow server.*--serve-artifacts/);
    expect(server.requests.some((r) => r.method === "PUT")).toBe(false);

    const run = await resumeRun(runId, { env: env(), cwd, sleep, warn });
    await expect(run.logArtifact(join(cwd, "f.txt"))).rejects.toThrow(/not served by the MLflow server/);
  });
});

describe("ActiveRun against a server", () => {
  it("starts a run with system tags, buffers, flushes at 1000 metrics and ends FINISHED", async () => {
    const run = await startRun({ experimentName: "nb", runName: "03-prophet", tags: { "mlflow.source.type": "NOTEBOOK" }, env: env({ USER: "ana" }), cwd: process.cwd(), sleep, warn });
    const stored = server.runs.get(run.info.runId)!;
    expect(Object.fromEntries(stored.tags)).toMatchObject({ "mlflow.runName": "03-prophet", "mlflow.user": "ana", "mlflow.source.type": "NOTEBOOK" });
    expect(stored.tags.get("mlflow.source.git.commit")).toBe(readGitCommit(process.cwd())); // this repository's HEAD

    run.logParams({ alpha: 0.05, seasonality: "additive", yearly: true });
    for (let i = 0; i < 999; i++) run.logMetric("loss", i, i);
    expect(server.calls("/api/2.0/mlflow/runs/log-batch")).toHaveLength(0);
    run.logMetric("loss", 999, 999); // the 1000th: sent without waiting for flush()
    await new Promise((r) => setTimeout(r, 100));
    const sent = server.calls("/api/2.0/mlflow/runs/log-batch").flatMap((r) => (r.json!.metrics as unknown[] | undefined) ?? []);
    expect(sent).toHaveLength(1000); // 3 params + 997 metrics, then 3 metrics: <= 1000 entities a request
    run.logMetrics({ mape: 0.12, rmse: 3.4 }, 5);
    await run.end();
    expect(stored.metrics).toHaveLength(1002);
    expect(Object.fromEntries(stored.params)).toEqual({ alpha: "0.05", seasonality: "additive", yearly: "true" });
    expect(stored.info.status).toBe("FINISHED");
    expect(run.info.status).toBe("FINISHED");
    expect(() => run.logParams({ alpha: 0.1 })).toThrow(TrackingError);
    expect(warnings).toEqual([]);
  });

  it("throws at once when a param is re-logged with another value", async () => {
    const run = await startRun({ env: env(), cwd, sleep, warn });
    run.logParams({ k: 1 });
    run.logParams({ k: 1 });
    expect(() => run.logParams({ k: 2 })).toThrow(/Changing param values is not allowed/);
    expect(() => run.logMetric("bad:key", 1)).toThrow(/Invalid metric name/);
    await run.end();
  });

  it("resumes the run named by MLFLOW_RUN_ID instead of creating one", async () => {
    const store = rest();
    const created = await store.createRun("0", { runName: "made-by-runner" });
    await store.updateRun(created.runId, "FINISHED", 5);
    const before = server.calls("/api/2.0/mlflow/runs/create").length;
    const run = await startRun({ runName: "ignored", tags: { "mlflow.source.name": "notebooks/03.ipynb" }, env: env({ MLFLOW_RUN_ID: created.runId }), cwd, sleep, warn });
    expect(server.calls("/api/2.0/mlflow/runs/create").length).toBe(before);
    expect(run.info.runId).toBe(created.runId);
    expect(server.runs.get(created.runId)!.info.status).toBe("RUNNING"); // MLflow sets a resumed run back to RUNNING
    run.logMetric("hr_at_10", 0.31);
    await run.end("FAILED");
    const stored = server.runs.get(created.runId)!;
    expect(stored.info.status).toBe("FAILED");
    expect(stored.tags.get("mlflow.source.name")).toBe("notebooks/03.ipynb");
    expect(stored.info.run_name).toBe("made-by-runner");
  });

  it("falls back to the local file store when the server is down at start, unless MLFLOW_REQUIRE_SERVER=1", async () => {
    const port = await freePort();
    const down = { MLFLOW_TRACKING_URI: `http://ana:pa55word!@127.0.0.1:${port}`, MLFLOW_TRACKING_TOKEN: "tok-s3cret", MLFLOW_HTTP_REQUEST_MAX_RETRIES: "2" };
    const run = await startRun({ experimentName: "offline", env: down, cwd, sleep, warn });
    expect(run.store).toBeInstanceOf(FileStore);
    expect(run.store.description).toBe(`local file store ${join(cwd, "mlruns")}`);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`http://127.0.0.1:${port}`);
    expect(warnings[0]).toMatch(/local file store/);
    for (const secret of ["pa55word!", "tok-s3cret", "ana:"]) expect(warnings[0]).not.toContain(secret);
    run.logMetric("m", 1);
    await run.end();
    expect((await run.store.getRun(run.info.runId)).info.status).toBe("FINISHED");

    const error = await caught(startRun({ env: { ...down, MLFLOW_REQUIRE_SERVER: "1" }, cwd, sleep, warn }));
    expect(error.transient).toBe(true);
    expect(error.message).toContain(`http://127.0.0.1:${port}`);
    expect(error.message).not.toContain("pa55word!");
  });

  it("keeps everything not sent when the server dies mid-run, in an .unsent file that replayUnsent sends later", async () => {
    const run = await startRun({ experimentName: "dies", env: env({ MLFLOW_TRACKING_TOKEN: "tok-abc" }), cwd, sleep, warn });
    run.logParams({ before: "yes" });
    run.logMetric("m", 1, 0);
    await run.flush();
    const port = server.port;
    const state = server;
    await server.stop();

    run.logParams({ after: "x" });
    run.setTags({ phase: "late" });
    for (let i = 1; i <= 1500; i++) run.logMetric("m", i, i);
    run.logMetric("nan", NaN);
    await run.flush(); // reports, does not throw
    await run.end("FINISHED");

    const files = readdirSync(join(cwd, "mlruns")).filter((f) => f.startsWith(".unsent-"));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^\\.unsent-${run.info.runId}-\\d+\\.json$`));
    const saved = JSON.parse(readFileSync(join(cwd, "mlruns", files[0]!), "utf8"));
    expect(saved.metrics).toHaveLength(1501);
    expect(saved.metrics).toContainEqual(expect.objectContaining({ key: "nan", value: "NaN" }));
    expect(saved.params).toEqual({ after: "x" });
    expect(saved.tags).toEqual({ phase: "late" });
    expect(saved.status).toBe("FINISHED");
    expect(JSON.stringify(saved)).not.toContain("tok-abc");
    expect(warnings.join("\n")).toMatch(/1,501 metric values, 1 param, 1 tag and the final status FINISHED could not be sent/);
    expect(warnings.join("\n")).toContain(files[0]);
    expect(warnings.join("\n")).not.toContain("tok-abc");
    expect(readdirSync(join(cwd, "mlruns")).filter((f) => f.startsWith(".tmp-"))).toEqual([]);

    // The server comes back: replay the file.
    server = state;
    await server.start(port);
    const sent = await replayUnsent(join(cwd, "mlruns", files[0]!), { env: env(), cwd, sleep });
    expect(sent).toEqual({ metrics: 1501, params: 1, tags: 1, artifacts: 0 });
    const stored = server.runs.get(run.info.runId)!;
    expect(stored.metrics).toHaveLength(1502);
    expect(stored.params.get("after")).toBe("x");
    expect(stored.info.status).toBe("FINISHED");
  });

  it("with MLFLOW_REQUIRE_SERVER=1, flush throws after saving what it could not send", async () => {
    const run = await startRun({ env: env({ MLFLOW_REQUIRE_SERVER: "1", MLFLOW_HTTP_REQUEST_MAX_RETRIES: "0" }), cwd, sleep, warn });
    await server.stop();
    run.logMetric("m", 1);
    const error = await caught(run.flush());
    expect(error.transient).toBe(true);
    const files = readdirSync(join(cwd, "mlruns")).filter((f) => f.startsWith(".unsent-"));
    expect(JSON.parse(readFileSync(join(cwd, "mlruns", files[0]!), "utf8")).metrics).toHaveLength(1);
    await expect(run.end()).rejects.toThrow(TrackingError);
  });

  it("logs offline when resuming a run while the server is down", async () => {
    const port = await freePort();
    const run = await resumeRun("0123456789abcdef0123456789abcdef", { env: { MLFLOW_TRACKING_URI: `http://127.0.0.1:${port}`, MLFLOW_HTTP_REQUEST_MAX_RETRIES: "0" }, cwd, sleep, warn });
    run.logMetric("m", 2);
    await run.end();
    const files = readdirSync(join(cwd, "mlruns")).filter((f) => f.startsWith(".unsent-0123456789abcdef0123456789abcdef-"));
    expect(files).toHaveLength(1);
    const saved = JSON.parse(readFileSync(join(cwd, "mlruns", files[0]!), "utf8"));
    expect(saved).toMatchObject({ runId: "0123456789abcdef0123456789abcdef", status: "FINISHED" });
    expect(saved.metrics).toHaveLength(1);
  });
});
