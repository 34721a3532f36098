import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveTwoTowerConfig } from "../src/recommend/config.js";
import { buildDataset } from "../src/recommend/dataset.js";
import { protocolSplit } from "../src/recommend/evaluate.js";
import { fitTwoTower, type FittedTwoTower } from "../src/recommend/fit.js";
import { initTensorflow } from "../src/recommend/tf-runtime.js";
import { fitSummary, TrainingJobError, TrainingPool } from "../src/recommend/train-pool.js";
import { PARAM_NAMES, type EpochStats } from "../src/recommend/two-tower.js";
import { syntheticRecommendInput } from "./support/recommend-fixture.js";

const DS = buildDataset(syntheticRecommendInput({ users: 300, items: 200, categories: 8, seed: "train-pool", repeatShare: 0.4 }));
const SPLIT = protocolSplit(DS, "loo-sampled-99", { splitSeed: "pool" });
const CONFIG = resolveTwoTowerConfig({ epochs: 2, batchSize: 64, hiddenUnits: 16, embeddingDim: 8, itemIdDim: 4, categoryDim: 4, stateDim: 2 });

const bytes = (a: Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
function expectBitIdentical(a: FittedTwoTower, b: FittedTwoTower): void {
  for (const name of PARAM_NAMES) expect(bytes(a.model.params[name].data).equals(bytes(b.model.params[name].data)), name).toBe(true);
  expect(bytes(a.itemEmbeddings).equals(bytes(b.itemEmbeddings))).toBe(true);
  expect(a.model.history.map((e) => e.loss)).toEqual(b.model.history.map((e) => e.loss));
}

let pool: TrainingPool;
beforeAll(async () => {
  await initTensorflow();
  pool = await TrainingPool.open(DS, 2);
});
afterAll(async () => {
  await pool?.close();
});

describe("TrainingPool", () => {
  it("trains a seed on a worker thread bit-identically to the main thread, and reports its epochs", async () => {
    const epochs: EpochStats[] = [];
    const batches: number[] = [];
    const [inWorker, other] = await Promise.all([
      pool.fit({ protocol: "loo-sampled-99", seed: 1, split: SPLIT, config: CONFIG }, { onEpoch: (s) => epochs.push(s), onBatch: (b) => batches.push(b.batch) }),
      pool.fit({ protocol: "loo-sampled-99", seed: 2, split: SPLIT, config: CONFIG }),
    ]);
    const inMain = await fitTwoTower(DS, SPLIT, CONFIG, "1");
    expectBitIdentical(inWorker, inMain);
    expect(epochs.map((e) => e.epoch)).toEqual(inMain.model.history.map((e) => e.epoch));
    expect(batches.length).toBeGreaterThan(0);
    expect(other.model.history[0]!.loss).not.toBe(inMain.model.history[0]!.loss);
    // a third seed reuses a worker's prepared split, and still matches the main thread
    expectBitIdentical(await pool.fit({ protocol: "loo-sampled-99", seed: 3, split: SPLIT, config: CONFIG }), await fitTwoTower(DS, SPLIT, CONFIG, "3"));
    expect(pool.stats.jobs).toBe(3);
    expect(pool.stats.preparations).toBeLessThanOrEqual(2);
  });

  it("trains in the main thread with 0 workers, preparing the split once for all seeds", async () => {
    const local = await TrainingPool.open(DS, 0);
    try {
      const [first, second] = await Promise.all([1, 2].map((seed) => local.fit({ protocol: "loo-sampled-99", seed, split: SPLIT, config: CONFIG })));
      expectBitIdentical(first!, await fitTwoTower(DS, SPLIT, CONFIG, "1"));
      expectBitIdentical(second!, await fitTwoTower(DS, SPLIT, CONFIG, "2"));
      expect(local.stats).toMatchObject({ jobs: 2, preparations: 1 });
    } finally {
      await local.close();
    }
  });

  it("hands back only the summary of a scored seed whose model is not kept, the same in a worker and in the main thread", async () => {
    const local = await TrainingPool.open(DS, 0);
    try {
      for (const p of [pool, local]) {
        const kept = await p.fitAndScore({ protocol: "loo-sampled-99", seed: 6, split: SPLIT, config: CONFIG });
        const slim = await p.fitAndScore({ protocol: "loo-sampled-99", seed: 6, split: SPLIT, config: CONFIG, keepModel: false });
        expect(kept.fitted).not.toBeNull();
        expect(slim.fitted).toBeNull();
        expect(kept.summary).toEqual(fitSummary(kept.fitted!));
        // the same training, so the same summary but for the seconds each epoch took
        const untimed = (s: typeof slim.summary) => ({ ...s, history: s.history.map(({ seconds: _, ...rest }) => rest) });
        expect(untimed(slim.summary)).toEqual(untimed(kept.summary));
        expect(slim.scores).toEqual(kept.scores);
      }
    } finally {
      await local.close();
    }
  });

  it("names the protocol and seed of a failed job and stops every worker", async () => {
    const failing = await TrainingPool.open(DS, 2);
    try {
      const bad = failing.fit({ protocol: "temporal-full", seed: 3, split: { ...SPLIT, train: new Int32Array(1) }, config: CONFIG });
      const queued = failing.fit({ protocol: "loo-sampled-99", seed: 4, split: SPLIT, config: CONFIG });
      queued.catch(() => {});
      await expect(bad).rejects.toThrow(TrainingJobError);
      await expect(bad).rejects.toThrow(/temporal-full, seed 3\): two-tower: need at least two training rows/);
      await expect(failing.fit({ protocol: "loo-sampled-99", seed: 5, split: SPLIT, config: CONFIG })).rejects.toThrow(/seed 3/);
    } finally {
      await failing.close();
    }
  });
});

describe("evaluateRecommenders with worker threads", () => {
  it("gives the same rows and histories with 2 workers as in the main thread", async () => {
    const { evaluateRecommenders } = await import("../src/recommend/evaluate.js");
    const options = { protocols: ["loo-sampled-99"] as const, seeds: 2, config: CONFIG, splitSeed: "pool" };
    const etas: (number | null)[] = [];
    const threaded = await evaluateRecommenders(DS, { ...options, workers: 2, onEpoch: (e) => etas.push(e.etaSeconds) });
    // every epoch of both seeds is reported with a training ETA that ends at 0
    expect(etas).toHaveLength(threaded.histories.reduce((n, h) => n + h.history.length, 0));
    for (const eta of etas) expect(eta).toBeGreaterThanOrEqual(0);
    const inMain = await evaluateRecommenders(DS, { ...options, workers: 0 });
    expect(threaded.rows).toEqual(inMain.rows);
    // the first protocol's seed 1 comes back whole, for the saved model
    expect(threaded.firstModel?.fitted.model.seed).toBe("1");
    expectBitIdentical(threaded.firstModel!.fitted, inMain.firstModel!.fitted);
    expect(threaded.histories.map((h) => h.history.map((e) => e.loss))).toEqual(inMain.histories.map((h) => h.history.map((e) => e.loss)));
  });
});

describe("TrainingPool and Ctrl-C", () => {
  const child = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, "support", "pool-interrupt.ts"), ...args], { encoding: "utf8", timeout: 60_000 });

  it("ends the process on SIGINT when nothing else handles it", () => {
    const run = child();
    expect(run.stdout).not.toMatch(/finished/);
    expect(run.signal).toBe("SIGINT");
  });

  it("stops the workers and rejects the job when the process handles SIGINT itself (a kernel)", () => {
    const run = child("handled");
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/rejected after [\d.]+ s: two-tower training interrupted \(SIGINT\)/);
  });

  // Terminating a worker inside an ONNX Runtime call aborted the process about once in twenty runs
  // ("terminate called after throwing an instance of 'Napi::Error'"): the pool now stops workers
  // between steps. Several at once, so that a regression shows.
  it("never aborts the process when stopping workers in the middle of training (6 runs at once)", async () => {
    const runs = await Promise.all(
      Array.from({ length: 6 }, () =>
        new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
          const proc = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "support", "pool-interrupt.ts"), "handled"], { stdio: ["ignore", "ignore", "pipe"] });
          let stderr = "";
          proc.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
          proc.on("close", (code, signal) => resolve({ code, signal, stderr }));
        }),
      ),
    );
    for (const run of runs) expect({ code: run.code, signal: run.signal }, run.stderr).toEqual({ code: 0, signal: null });
  });
});

describe("TrainingEta", () => {
  it("has no estimate before an epoch is done, and none left when all are", async () => {
    const { TrainingEta } = await import("../src/recommend/evaluate.js");
    const eta = new TrainingEta(10);
    expect(eta.advance(0)).toBeNull();
    expect(eta.advance(4)).toBeGreaterThanOrEqual(0);
    expect(eta.advance(100)).toBe(0);
  });
});
