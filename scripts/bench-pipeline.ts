// The whole main job (notebooks 01-06, as `npx retail-intel pipeline` runs them) on the bench's sample:
// seconds and the peak RSS of the largest process (runner, nbclient, kernel with its worker threads) per
// notebook, sampled from /proc every 500 ms. Outputs go to a temp folder.
// Usage: tsx scripts/bench-pipeline.ts RAW_DIR ORDERS   (RAW_DIR holds the sample `sample --orders ORDERS`
// generated, so notebook 01 validates it instead of generating another)
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { jupyterEnv } from "../src/pipeline/jupyter-env.js";
import { runNotebooks } from "../src/pipeline/run-notebooks.js";

const root = resolve(import.meta.dirname, "..");
const raw = resolve(process.argv[2] ?? "data/raw");
const orders = process.argv[3] ?? "100000";
const tmp = mkdtempSync(join(tmpdir(), "retail-intel-bench-pipeline-"));

/** RSS in KiB of this process and every descendant, from /proc (Linux). */
function processTreeRssKiB(): number[] {
  const parentOf = new Map<number, number>();
  const rssOf = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parentOf.set(Number(entry), Number(fields[1]));
      const rssLine = readFileSync(`/proc/${entry}/status`, "utf8").match(/^VmRSS:\s+(\d+)/m);
      rssOf.set(Number(entry), rssLine ? Number(rssLine[1]) : 0);
    } catch {
      // the process ended between the listing and the read
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parentOf.get(p)) if (p === process.pid) return true;
    return false;
  };
  return [...rssOf].filter(([pid]) => inTree(pid)).map(([, rss]) => rss);
}

const peakKiB = new Map<string, number>();
let current = "start";
const sampler = setInterval(() => {
  const largest = Math.max(0, ...processTreeRssKiB());
  peakKiB.set(current, Math.max(peakKiB.get(current) ?? 0, largest));
}, 500);
const seconds = new Map<string, number>();
const env: NodeJS.ProcessEnv = { ...jupyterEnv(root, process.env), MLFLOW_TRACKING_URI: join(tmp, "mlruns"), MLFLOW_EXPERIMENT_NAME: "bench" };
delete env["MLFLOW_RUN_ID"];
delete env["RETAIL_INTEL_DATABASE_URL"];
try {
  const start = performance.now();
  const outcomes = await runNotebooks({
    root,
    force: true,
    overrides: {
      rawDir: raw,
      sampleOrders: orders,
      processedDir: join(tmp, "processed"),
      forecastDir: join(tmp, "forecast"),
      segmentsDir: join(tmp, "segments"),
      recommendDir: join(tmp, "recommend"),
    },
    reportsDir: join(tmp, "reports"),
    env,
    log: (line) => {
      const started = line.match(/^\[([^\]]+)\] MLflow run /);
      if (started) current = started[1]!;
      const done = line.match(/^\[([^\]]+)\] done in ([\d.]+) s/);
      if (done) seconds.set(done[1]!, Number(done[2]));
    },
  });
  const totalSeconds = (performance.now() - start) / 1000;
  const failed = outcomes.filter((o) => o.status !== "ok");
  if (failed.length > 0) throw new Error(`pipeline failed in the bench: ${JSON.stringify(failed)}`);
  clearInterval(sampler);
  const notebooks = outcomes.map((o) => ({ notebook: o.notebook, seconds: seconds.get(o.notebook) ?? NaN, peakRssMiB: (peakKiB.get(o.notebook) ?? 0) / 1024 }));
  process.stdout.write(`${JSON.stringify({ totalSeconds, notebooks })}\n`);
} finally {
  clearInterval(sampler);
  rmSync(tmp, { recursive: true, force: true });
}
