// Notebook 05's evaluation with its defaults (part of `npm run bench`; alone:
// `npx tsx scripts/bench-recommend-eval.ts PROCESSED_DIR [workers ...]`): evaluateRecommenders end to end
// (every protocol, 5 seeds, the default config, as the notebook's cell calls it) on the processed tables,
// once per worker count given (default: the default count). Prints one line per run and a JSON line last.
import { recommendInputFromProcessed } from "../src/pipeline/recommend-io.js";
import { buildDataset } from "../src/recommend/dataset.js";
import { evaluateRecommenders } from "../src/recommend/evaluate.js";
import { initTensorflow } from "../src/recommend/tf-runtime.js";
import { defaultTrainingWorkers } from "../src/recommend/train-pool.js";
import { PROTOCOLS } from "../src/recommend/types.js";

const processed = process.argv[2];
if (!processed) throw new Error("usage: tsx scripts/bench-recommend-eval.ts PROCESSED_DIR [workers ...]");
const workerCounts = process.argv.length > 3 ? process.argv.slice(3).map(Number) : [defaultTrainingWorkers()];
// BENCH_RECOMMEND_SEEDS / BENCH_RECOMMEND_EPOCHS shrink the run (for a quick ratio between worker counts)
const seeds = Number(process.env["BENCH_RECOMMEND_SEEDS"] ?? 5);
const config = process.env["BENCH_RECOMMEND_EPOCHS"] ? { epochs: Number(process.env["BENCH_RECOMMEND_EPOCHS"]) } : {};

await initTensorflow();
const loadStart = performance.now();
const dataset = buildDataset(await recommendInputFromProcessed(processed));
const loadSeconds = (performance.now() - loadStart) / 1000;
const runs: { workers: number; seconds: number; cpuSeconds: number; trainSeconds: number; epochsUsed: number[] }[] = [];
for (const workers of workerCounts) {
  const start = performance.now();
  const cpuStart = process.cpuUsage(); // the whole process: main thread and worker threads
  let trainSeconds = 0;
  const result = await evaluateRecommenders(dataset, { protocols: PROTOCOLS, seeds, config, workers, onEpoch: (e) => (trainSeconds += e.stats.seconds) });
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const epochsUsed = result.histories.map((h) => h.epochsUsed ?? h.history.length);
  runs.push({ workers, seconds, cpuSeconds, trainSeconds, epochsUsed });
  console.log(
    `  notebook 05 evaluation (evaluateRecommenders, ${PROTOCOLS.length} protocols x ${seeds} seeds, ${config.epochs === undefined ? "default config" : `at most ${config.epochs} epochs`}), ${workers === 0 ? "seeds in the main thread" : `${workers} worker thread${workers > 1 ? "s" : ""}`}: ${seconds.toFixed(1).padStart(6)} s wall, ${cpuSeconds.toFixed(0)} s CPU   (training epochs summed over seeds ${trainSeconds.toFixed(0)} s; epochs used ${Math.min(...epochsUsed)}-${Math.max(...epochsUsed)}; data load ${loadSeconds.toFixed(1)} s not included; target <= 120 s)`,
  );
}
if (runs.length > 1) {
  const base = runs.find((r) => r.workers === 0) ?? runs[0]!;
  for (const r of runs) if (r !== base) console.log(`  ${r.workers} workers vs ${base.workers === 0 ? "main thread" : `${base.workers} workers`}: ${(base.seconds / r.seconds).toFixed(2)}x faster`);
}
process.stdout.write(`${JSON.stringify({ dataset: processed, interactions: dataset.interactions.length, runs })}\n`);
