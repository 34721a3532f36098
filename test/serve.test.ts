/**
 * `serve`: the routes, their errors, Prometheus metrics, draining on close and SIGTERM, and models:/ URIs,
 * on models built by the real commands from a small generated sample.
 */
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeOlistSample } from "../src/data/sample/index.js";
import { createHandler, MAX_K, type ServedModels } from "../src/serve/app.js";
import { recommendForUser, recommendForUserWith } from "../src/recommend/saved-model.js";
import { createServeMetrics, type ServeMetrics } from "../src/serve/metrics.js";
import { loadForecast, loadRecommender, loadSegments } from "../src/serve/served-models.js";
import { listen, type RunningServer } from "../src/serve/server.js";
import { FileStore } from "../src/tracking/index.js";
import { runMain } from "./support/cli-process.js";

const root = mkdtempSync(join(tmpdir(), "retail-intel-serve-"));
const BIN = join(import.meta.dirname, "..", "bin", "retail-intel.js");
let models: ServedModels;
let metrics: ServeMetrics;
let server: RunningServer;
let known: string;
let modelDir: string;

beforeAll(async () => {
  const raw = join(root, "raw");
  const processed = join(root, "processed");
  await writeOlistSample(raw, { orders: 2500, seed: "serve" });
  expect((await runMain(["features", "--raw", raw, "--out", processed])).code).toBe(0);
  const evalRun = await runMain(["recommend-eval", "--processed", processed, "--protocol", "temporal-full", "--seeds", "1", "--epochs", "1", "--workers", "0", "--out", join(root, "eval")]);
  expect(evalRun.code, evalRun.stderr).toBe(0);
  expect((await runMain(["segment", "--processed", processed, "--out", join(root, "segments")])).code).toBe(0);
  const series = ["ds,y", ...Array.from({ length: 120 }, (_, i) => `${new Date(Date.UTC(2018, 0, 1 + i)).toISOString().slice(0, 10)},${100 + (i % 7) * 5 + i * 0.3}`)].join("\n");
  writeFileSync(join(root, "series.csv"), series);
  expect((await runMain(["forecast", "--input", join(root, "series.csv"), "--out", join(root, "forecast.csv"), "--model", "ets", "--periods", "14"])).code).toBe(0);
  modelDir = join(root, "eval", "model");
  models = { recommender: await loadRecommender(modelDir), segments: await loadSegments(join(root, "segments")), forecast: await loadForecast(join(root, "forecast.csv")) };
  known = models.recommender!.model.users.ids[0]!;
  metrics = createServeMetrics();
  metrics.setModels([models.recommender!.info, models.segments!.info, models.forecast!.info]);
  server = await listen(createHandler(models, metrics), "127.0.0.1", 0);
}, 240_000);

afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

async function get(path: string, method = "GET"): Promise<{ status: number; body: any; text: string; type: string }> {
  const res = await fetch(`${server.url}${path}`, { method });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text, type: res.headers.get("content-type") ?? "" };
}

describe("serve routes", () => {
  it("GET /recommendations/{id}: the k best products for a known customer, as recommend ranks them", async () => {
    const res = await get(`/recommendations/${known}?k=5`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ customer: known, coldStart: false, model: { name: "retail-intel-two-tower", version: "local" } });
    expect(res.body.items).toHaveLength(5);
    for (const item of res.body.items) expect(Object.keys(item).sort()).toEqual(["category", "price", "productId", "score"]);
    const scores = res.body.items.map((i: { score: number }) => i.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const cli = await runMain(["recommend", "--model", modelDir, "--user", known, "--k", "5"]);
    for (const item of res.body.items) expect(cli.stdout).toContain(item.productId);
    expect((await get(`/recommendations/${known}`)).body.items).toHaveLength(10);
  });

  it("an unknown customer gets the cold-start answer", async () => {
    const res = await get("/recommendations/never-seen-customer?k=3");
    expect(res.status).toBe(200);
    expect(res.body.coldStart).toBe(true);
    expect(res.body.items).toHaveLength(3);
  });

  it("GET /segments/{id}: segment, cluster, R/F/M and scores; 404 for a customer not in the table", async () => {
    const segmentsCustomer = models.recommender!.model.users.ids.find((id) => models.segments!.lookup(id) !== undefined)!;
    const res = await get(`/segments/${segmentsCustomer}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ customer: segmentsCustomer, model: { name: "retail-intel-segmentation" }, ...models.segments!.lookup(segmentsCustomer) });
    expect(typeof res.body.segment).toBe("string");
    expect(Object.keys(res.body.scores).sort()).toEqual(["f", "m", "r"]);
    expect(res.body.frequency).toBeGreaterThanOrEqual(1);
    const unknown = await get("/segments/nobody-at-all");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("UNKNOWN_CUSTOMER");
  });

  it("GET /forecast?days=N: the first N future days with their intervals", async () => {
    const res = await get("/forecast?days=7");
    expect(res.status).toBe(200);
    expect(res.body.days).toBe(7);
    expect(res.body.points).toHaveLength(7);
    expect(res.body.points[0].ds).toBe("2018-05-01");
    for (const p of res.body.points) expect(typeof p.yhat).toBe("number");
    expect((await get("/forecast")).body.points).toHaveLength(14); // default 30, capped at what the forecast has
  });

  it("GET /health names the loaded models with versions and load times", async () => {
    const res = await get("/health");
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("ok");
    expect(Object.keys(res.body.models).sort()).toEqual(["forecast", "recommendations", "segments"]);
    expect(res.body.models.recommendations).toMatchObject({ name: "retail-intel-two-tower", version: "local" });
    expect(Number.isNaN(Date.parse(res.body.models.forecast.loadedAt))).toBe(false);
  });

  it("bad input gets a 4xx with a JSON error, and the server keeps answering", async () => {
    const cases: [string, number, string, string?][] = [
      [`/recommendations/${known}?k=0`, 400, "INVALID_PARAMETER"],
      [`/recommendations/${known}?k=${MAX_K + 1}`, 400, "INVALID_PARAMETER"],
      [`/recommendations/${known}?k=2.5`, 400, "INVALID_PARAMETER"],
      [`/recommendations/${known}?k=abc`, 400, "INVALID_PARAMETER"],
      ["/recommendations/bad%20id", 400, "MALFORMED_ID"],
      ["/recommendations/%E0%A4%A", 400, "MALFORMED_ID"],
      [`/recommendations/${"x".repeat(65)}`, 400, "MALFORMED_ID"],
      ["/segments/a;b", 400, "MALFORMED_ID"],
      ["/forecast?days=0", 400, "INVALID_PARAMETER"],
      ["/forecast?days=15", 400, "INVALID_PARAMETER"],
      ["/nope", 404, "NOT_FOUND"],
      ["/recommendations/", 404, "NOT_FOUND"],
      ["/health", 405, "METHOD_NOT_ALLOWED", "POST"],
      [`/recommendations/${known}`, 405, "METHOD_NOT_ALLOWED", "DELETE"],
    ];
    for (const [path, status, code, method] of cases) {
      const res = await get(path, method);
      expect(res.status, path).toBe(status);
      expect(res.type).toContain("application/json");
      expect(res.body.error.code, path).toBe(code);
      expect(typeof res.body.error.message).toBe("string");
    }
    // a request that is not HTTP at all does not bring the server down either
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(Number(new URL(server.url).port), "127.0.0.1", () => socket.end("GARBAGE \u0001\r\n\r\n"));
      let text = "";
      socket.on("data", (d: Buffer) => (text += String(d)));
      socket.on("close", () => resolve(text));
      socket.on("error", () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await get("/health")).status).toBe(200);
  });

  it("answers 503 naming the flag when a model is not loaded", async () => {
    const partial = await listen(createHandler({ forecast: models.forecast! }, createServeMetrics()), "127.0.0.1", 0);
    try {
      const res = await fetch(`${partial.url}/recommendations/${known}`);
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain("--model");
    } finally {
      await partial.close();
    }
  });
});

describe("the two-tower term weighted in (cosines over the catalogue)", () => {
  it("ONNX Runtime's cosines rank as the JS loop does, scores equal up to float rounding", async () => {
    const towerOn = join(root, "model-tower-on");
    cpSync(modelDir, towerOn, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(towerOn, "model.json"), "utf8"));
    manifest.hybrid.weights.warm.twoTower = manifest.hybrid.weights.cold.twoTower = 0.5;
    writeFileSync(join(towerOn, "model.json"), JSON.stringify(manifest));
    const served = await loadRecommender(towerOn);
    expect(served.cosines).toBeDefined();
    const lookup = served.userIndex as Map<string, number>;
    for (const id of [...served.model.users.ids.slice(0, 20), "cold-start-customer"]) {
      const js = recommendForUser(served.model, id, 10, lookup);
      const ort = await recommendForUserWith(served.model, id, 10, lookup, served.cosines!);
      expect(ort.known).toBe(js.known);
      ort.items.forEach((item, i) => expect(item.score).toBeCloseTo(js.items[i]!.score, 3));
      expect(new Set(ort.items.slice(0, 8).map((i) => i.productId))).toEqual(new Set(js.items.slice(0, 8).map((i) => i.productId)));
    }
  });
});

describe("GET /metrics (Prometheus text exposition)", () => {
  it("counts requests by route template and status, times them in a histogram, and reports model versions and memory", async () => {
    await get(`/recommendations/${known}?k=2`);
    await get("/recommendations/bad%20id");
    const res = await get("/metrics");
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const lines = res.text.split("\n");
    const value = (prefix: string): number => {
      const line = lines.find((l) => l.startsWith(prefix));
      expect(line, prefix).toBeDefined();
      return Number(line!.slice(line!.lastIndexOf(" ") + 1));
    };
    expect(value('retail_intel_http_requests_total{route="/recommendations/{customer_unique_id}",method="GET",status="200"}')).toBeGreaterThanOrEqual(1);
    expect(value('retail_intel_http_requests_total{route="/recommendations/{customer_unique_id}",method="GET",status="400"}')).toBeGreaterThanOrEqual(1);
    // ids never become label values
    expect(res.text).not.toContain(known);
    const count = value('retail_intel_http_request_duration_seconds_count{route="/recommendations/{customer_unique_id}"}');
    expect(value('retail_intel_http_request_duration_seconds_bucket{le="+Inf",route="/recommendations/{customer_unique_id}"}')).toBe(count);
    expect(value('retail_intel_model_info{kind="recommendations",name="retail-intel-two-tower",version="local"')).toBe(1);
    expect(value("process_resident_memory_bytes")).toBeGreaterThan(1e6);
    for (const line of lines) if (line !== "" && !line.startsWith("#")) expect(line, line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? [-+0-9.eEInfNa]+$/);
  });
});

describe("stopping", () => {
  it("close() lets a request in flight finish, then stops listening", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = await listen((_req, res) => void gate.then(() => res.end("done")), "127.0.0.1", 0);
    const inFlight = fetch(`${slow.url}/x`).then((r) => r.text());
    await new Promise((r) => setTimeout(r, 100));
    const closed = slow.close();
    release();
    expect(await inFlight).toBe("done");
    await closed;
    await expect(fetch(`${slow.url}/x`)).rejects.toThrow();
  });

  it("the CLI answers, then exits 0 on SIGTERM", async () => {
    const child = spawn(process.execPath, [BIN, "serve", "--port", "0", "--model", modelDir], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += String(d)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => {
        out += String(d);
        const m = /listening on (http:\/\/[^\s]+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on("exit", () => reject(new Error(`serve exited early: ${err}`)));
    });
    expect(out).toContain("serving recommendations: retail-intel-two-tower version local");
    expect((await fetch(`${url}/recommendations/${known}?k=1`)).status).toBe(200);
    const exit = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
    expect(err).toContain("SIGTERM: finishing requests in flight");
  }, 60_000);

  it("usage errors exit 2; a models:/ URI that cannot be resolved exits 1 without showing credentials", async () => {
    expect((await runMain(["serve"])).code).toBe(2);
    expect((await runMain(["serve", "--model", modelDir, "--port", "70000"])).code).toBe(2);
    const saved = process.env["MLFLOW_TRACKING_URI"];
    process.env["MLFLOW_TRACKING_URI"] = "http://alice:s3cret-pw@127.0.0.1:9/";
    process.env["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "0";
    try {
      const res = await runMain(["serve", "--model", "models:/retail-intel-two-tower@champion"]);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/error: /);
      expect(res.stderr + res.stdout).not.toContain("s3cret-pw");
    } finally {
      if (saved === undefined) delete process.env["MLFLOW_TRACKING_URI"];
      else process.env["MLFLOW_TRACKING_URI"] = saved;
      delete process.env["MLFLOW_HTTP_REQUEST_MAX_RETRIES"];
    }
  });
});

describe("models:/ URIs", () => {
  it("serve and recommend load a registered version through the registry (file store)", async () => {
    const mlruns = join(root, "mlruns");
    const store = new FileStore(mlruns);
    const run = await store.createRun(await store.getOrCreateExperiment("serve"), {});
    await store.logArtifact(run.runId, modelDir, "model");
    await store.registry.getOrCreateRegisteredModel("retail-intel-two-tower");
    await store.registry.createModelVersion("retail-intel-two-tower", { source: `${run.artifactUri}/model`, runId: run.runId });
    await store.registry.setAlias("retail-intel-two-tower", "champion", "1");
    const saved = process.env["MLFLOW_TRACKING_URI"];
    process.env["MLFLOW_TRACKING_URI"] = mlruns;
    try {
      const served = await loadRecommender("models:/retail-intel-two-tower@champion");
      expect(served.info).toMatchObject({ name: "retail-intel-two-tower", version: "1" });
      expect(served.model.items.productIds).toEqual(models.recommender!.model.items.productIds);
      const cli = await runMain(["recommend", "--model", "models:/retail-intel-two-tower/1", "--user", known, "--k", "3"]);
      expect(cli.code, cli.stderr).toBe(0);
      expect(cli.stdout).toContain("retail-intel-two-tower version 1");
    } finally {
      if (saved === undefined) delete process.env["MLFLOW_TRACKING_URI"];
      else process.env["MLFLOW_TRACKING_URI"] = saved;
    }
    expect(readFileSync(join(mlruns, "models", "retail-intel-two-tower", "aliases", "champion"), "utf8")).toBe("1");
  });
});
