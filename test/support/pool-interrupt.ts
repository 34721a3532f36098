// Child process of recommend-train-pool.test.ts: trains a long job on a TrainingPool and sends itself
// SIGINT after the first epoch. Argument "handled": a SIGINT listener of its own is installed (as in a
// kernel), so the process lives on and prints how the job ended.
import { resolveTwoTowerConfig } from "../../src/recommend/config.js";
import { buildDataset } from "../../src/recommend/dataset.js";
import { protocolSplit } from "../../src/recommend/evaluate.js";
import { TrainingPool } from "../../src/recommend/train-pool.js";
import { syntheticRecommendInput } from "./recommend-fixture.js";

const handled = process.argv[2] === "handled";
if (handled) process.on("SIGINT", () => {});
const ds = buildDataset(syntheticRecommendInput({ users: 300, items: 200, categories: 8, seed: "train-pool", repeatShare: 0.4 }));
const split = protocolSplit(ds, "loo-sampled-99", { splitSeed: "pool" });
const pool = await TrainingPool.open(ds, 1);
const started = performance.now();
try {
  const long = { epochs: 10_000, patience: 10_000, batchSize: 64 }; // patience: no early stop (when the config has it)
  await pool.fit({ protocol: "loo-sampled-99", seed: 1, split, config: resolveTwoTowerConfig(long) }, {
    onEpoch: (stats) => {
      if (stats.epoch === 1) process.kill(process.pid, "SIGINT");
    },
  });
  console.log("finished");
} catch (error) {
  console.log(`rejected after ${((performance.now() - started) / 1000).toFixed(1)} s: ${(error as Error).message}`);
} finally {
  await pool.close();
}
