// The serving API under load (part of `npm run bench`; alone: `npx tsx scripts/bench-serve.ts PROCESSED_DIR`):
// trains a model (recommend-eval, temporal-full, 1 seed, 1 epoch) on the processed tables, starts
// `npx retail-intel serve` in its own process, and loads GET /recommendations/{id}?k=10 over the whole
// catalogue with autocannon (10 connections, bounded: BENCH_SERVE_SECONDS, default 10 s) for known
// customers, then for unknown ones (cold start), with the model as trained and with its two-tower weight
// set to 0.5. Prints requests/s and p50/p99 latency; a JSON line last.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";

const processed = process.argv[2];
if (!processed) throw new Error("usage: tsx scripts/bench-serve.ts PROCESSED_DIR");
const seconds = Number(process.env["BENCH_SERVE_SECONDS"] ?? 10);
const bin = join("bin", "retail-intel.js");
const work = mkdtempSync(join(tmpdir(), "retail-intel-bench-serve-"));

try {
  const trained = spawnSync(process.execPath, [bin, "recommend-eval", "--processed", processed, "--protocol", "temporal-full", "--seeds", "1", "--epochs", "1", "--out", work], { encoding: "utf8" });
  if (trained.status !== 0) throw new Error(`recommend-eval failed: ${trained.stderr}`);
  const model = join(work, "model");
  const users = JSON.parse(readFileSync(join(model, "users.json"), "utf8")) as string[];
  const items = (JSON.parse(readFileSync(join(model, "items.json"), "utf8")) as { productIds: string[] }).productIds.length;

  // the same model with the two-tower term weighted in (the validation window may give it 0, which lets
  // serving skip the catalogue scan of cosines): the general case's cost
  const towerOn = join(work, "model-tower-on");
  cpSync(model, towerOn, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(towerOn, "model.json"), "utf8")) as { hybrid: { weights: { warm: { twoTower: number }; cold: { twoTower: number } } } };
  const chosen = { warm: manifest.hybrid.weights.warm.twoTower, cold: manifest.hybrid.weights.cold.twoTower };
  manifest.hybrid.weights.warm.twoTower = manifest.hybrid.weights.cold.twoTower = 0.5;
  writeFileSync(join(towerOn, "model.json"), JSON.stringify(manifest));

  const runs: Record<string, unknown> = {};
  for (const [name, dir] of [[`as chosen (two-tower weight warm ${chosen.warm}, cold ${chosen.cold})`, model], ["two-tower weight 0.5 (cosines over the catalogue)", towerOn]] as const) {
    const server = spawn(process.execPath, [bin, "serve", "--port", "0", "--model", dir], { stdio: ["ignore", "pipe", "inherit"] });
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      server.stdout.on("data", (d: Buffer) => {
        out += String(d);
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      server.on("exit", (code) => reject(new Error(`serve exited with ${code}`)));
    });
    const load = async (label: string, ids: readonly string[]) => {
      let next = 0;
      const result = await autocannon({
        url,
        connections: 10,
        duration: seconds,
        requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: `/recommendations/${ids[next++ % ids.length]}?k=10` }) }],
      });
      const row = { requestsPerSecond: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99, requests: result.requests.total, errors: result.errors, non2xx: result.non2xx };
      console.log(
        `    ${label.padEnd(22)} ${row.requestsPerSecond.toFixed(0).padStart(6)} requests/s   p50 ${row.p50Ms.toFixed(2)} ms   p99 ${row.p99Ms.toFixed(2)} ms   (${row.requests} requests, ${row.errors} errors, ${row.non2xx} non-2xx; targets >= 1,000 requests/s, p99 < 10 ms)`,
      );
      return row;
    };
    console.log(`  model ${name}: ${users.length.toLocaleString("en-US")} known customers, top 10 of ${items.toLocaleString("en-US")} products (exact), 10 connections, ${seconds} s per line, autocannon in the bench process`);
    await load("warm-up (not counted)", users.slice(0, 1000));
    const known = await load("known customers", users);
    const cold = await load("unknown (cold start)", Array.from({ length: 1000 }, (_, i) => `bench-unknown-${i}`));
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const rss = /^process_resident_memory_bytes (\S+)$/m.exec(metrics);
    console.log(`    server RSS after the load: ${rss ? (Number(rss[1]) / 2 ** 20).toFixed(0) : "?"} MiB`);
    const exited = new Promise<number | null>((r) => server.on("exit", (code) => r(code)));
    server.kill("SIGTERM");
    runs[name] = { known, cold, exitCodeOnSigterm: await exited };
  }
  console.log(JSON.stringify(runs));
} finally {
  rmSync(work, { recursive: true, force: true });
}
