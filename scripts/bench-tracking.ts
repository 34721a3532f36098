/**
 * Speed of tracking: 10,000 metric points logged through ActiveRun (buffered log-batch) into
 *  1. the REST store, against an in-process MLflow-shaped server on 127.0.0.1 (counts HTTP requests);
 *  2. the local file store in a temporary directory.
 * Prints figures only. Run: `npx tsx scripts/bench-tracking.ts` (POINTS=100000 for more).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRun } from "../src/tracking/index.js";

const POINTS = Number(process.env.POINTS ?? 10_000);

/** Just enough of the MLflow REST API for a run: experiments/get-by-name|create, runs/create|log-batch|update. */
function mlflowShapedServer() {
  const counts = new Map<string, number>();
  let metricsReceived = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      counts.set(path, (counts.get(path) ?? 0) + 1);
      const body = chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>) : {};
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(json));
      };
      switch (path) {
        case "/api/2.0/mlflow/experiments/get-by-name":
          return send(404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: "no such experiment" });
        case "/api/2.0/mlflow/experiments/create":
          return send(200, { experiment_id: "1" });
        case "/api/2.0/mlflow/runs/create":
          return send(200, {
            run: {
              info: { run_id: "b".repeat(32), experiment_id: "1", run_name: "bench", status: "RUNNING", start_time: Date.now(), artifact_uri: "mlflow-artifacts:/1/b/artifacts", lifecycle_stage: "active", user_id: "bench" },
              data: {},
            },
          });
        case "/api/2.0/mlflow/runs/log-batch":
          metricsReceived += ((body.metrics as unknown[] | undefined) ?? []).length;
          return send(200, {});
        case "/api/2.0/mlflow/runs/update":
          return send(200, { run_info: {} });
        default:
          return send(404, { error_code: "ENDPOINT_NOT_FOUND", message: path });
      }
    });
  });
  return { server, counts, received: () => metricsReceived };
}

async function logPoints(env: NodeJS.ProcessEnv, cwd: string): Promise<{ seconds: number }> {
  const started = performance.now();
  const run = await startRun({ experimentName: "bench", runName: "bench", env, cwd, warn: () => undefined });
  for (let i = 0; i < POINTS; i++) run.logMetric(i % 2 === 0 ? "loss" : "val/loss", 1 / (i + 1), i);
  await run.end();
  return { seconds: (performance.now() - started) / 1000 };
}

const cwd = mkdtempSync(join(tmpdir(), "bench-tracking-"));
try {
  const { server, counts, received } = mlflowShapedServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const rest = await logPoints({ MLFLOW_TRACKING_URI: url }, cwd);
  server.closeAllConnections();
  server.close();
  const requests = [...counts.values()].reduce((a, b) => a + b, 0);
  console.log(`REST store (${url}): ${POINTS.toLocaleString("en-US")} points`);
  console.log(`  HTTP requests: ${requests} (log-batch ${counts.get("/api/2.0/mlflow/runs/log-batch") ?? 0}); points received: ${received().toLocaleString("en-US")}`);
  console.log(`  seconds: ${rest.seconds.toFixed(3)}; points/s: ${Math.round(POINTS / rest.seconds).toLocaleString("en-US")}`);

  const file = await logPoints({}, cwd);
  console.log(`file store (${join(cwd, "mlruns")}): ${POINTS.toLocaleString("en-US")} points`);
  console.log(`  HTTP requests: 0`);
  console.log(`  seconds: ${file.seconds.toFixed(3)}; points/s: ${Math.round(POINTS / file.seconds).toLocaleString("en-US")}`);
} finally {
  rmSync(cwd, { recursive: true, force: true });
}
