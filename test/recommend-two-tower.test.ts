import seedrandom from "seedrandom";
import { beforeAll, describe, expect, it } from "vitest";
import { MS_PER_DAY } from "../src/io/time.js";
import { DEFAULT_TWO_TOWER_CONFIG, resolveTwoTowerConfig, type TwoTowerConfig } from "../src/recommend/config.js";
import { buildDataset } from "../src/recommend/dataset.js";
import { UNKNOWN, encodeItems, encodeUsers, fitEncoders, type EncodedItems, type Encoders } from "../src/recommend/encoders.js";
import { itemFeaturesFrom } from "../src/recommend/features.js";
import { fitTwoTower, trainingUserFeatures, twoTowerScorer } from "../src/recommend/fit.js";
import { temporalFullSplit } from "../src/recommend/protocols.js";
import { initTensorflow, tf } from "../src/recommend/tf-runtime.js";
import { matrixProducts } from "../src/recommend/matrix-products.js";
import {
  PARAM_NAMES,
  epochRows,
  initParams,
  itemEmbeddings,
  trainStep,
  trainTwoTower,
  userEmbeddings,
  type ParamName,
  type TrainingRows,
  type TwoTowerParams,
} from "../src/recommend/two-tower.js";
import type { EvalQuery, RecommendInput } from "../src/recommend/types.js";
import { PAYMENT_TYPES, productId, syntheticRecommendInput } from "./support/recommend-fixture.js";

const SMALL: Partial<TwoTowerConfig> = { epochs: 4, batchSize: 64, hiddenUnits: 32, embeddingDim: 16, itemIdDim: 8, categoryDim: 4, stateDim: 4, learningRate: 0.005 };

interface Setup {
  encoders: Encoders;
  rows: TrainingRows;
  items: EncodedItems;
}

/** Training rows of a temporal-full split of the synthetic data, encoded the way fitTwoTower does it. */
const CUTOFF = Date.UTC(2017, 0, 1) + 330 * MS_PER_DAY;
const syntheticInput = (users = 500, items = 150): RecommendInput => syntheticRecommendInput({ users, items, categories: 6, seed: "two-tower", repeatShare: 0.4 });

function setup(users = 500, items = 150): Setup {
  const ds = buildDataset(syntheticInput(users, items));
  const split = temporalFullSplit(ds, { cutoff: CUTOFF });
  const trainUsers = trainingUserFeatures(ds, split);
  const itemFeatures = itemFeaturesFrom(ds, split.train);
  const encoders = fitEncoders(ds, trainUsers, itemFeatures);
  return {
    encoders,
    rows: { users: encodeUsers(encoders, trainUsers, ds), items: Int32Array.from(split.train, (i) => ds.interactions.item[i]!) },
    items: encodeItems(encoders, ds, itemFeatures),
  };
}

/** Max |a - b| / max(1, |b|) over two arrays of the same length. */
function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return worst;
}

beforeAll(async () => {
  await initTensorflow();
});

describe("tf-runtime", () => {
  it("runs on the wasm backend", async () => {
    expect(tf.getBackend()).toBe(process.env["RETAIL_INTEL_TF_BACKEND"] ?? "wasm");
  });
});

describe("trainTwoTower", () => {
  let s: Setup;
  let config: TwoTowerConfig;
  let first: Awaited<ReturnType<typeof trainTwoTower>>;
  beforeAll(async () => {
    s = setup();
    config = resolveTwoTowerConfig(SMALL);
    first = await trainTwoTower(config, s.encoders, s.rows, s.items, "7");
  });

  it("trains on enough rows for several batches", async () => {
    expect(s.rows.items.length).toBeGreaterThan(5 * config.batchSize);
    expect(first.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4]);
    for (const h of first.history) {
      expect(Number.isFinite(h.loss)).toBe(true);
      // every row once, rows of users with history historyOversample times
      const epochLength = epochRows(s.rows, s.encoders, config.historyOversample).length;
      expect(epochLength).toBeGreaterThan(s.rows.items.length);
      expect(h.samples).toBeGreaterThan(epochLength - 2);
      expect(h.samples).toBeLessThanOrEqual(epochLength);
    }
  });

  it("is bit-identical with the same seed and differs with another", async () => {
    const again = await trainTwoTower(config, s.encoders, s.rows, s.items, "7");
    for (const name of PARAM_NAMES) expect(again.params[name].data, name).toEqual(first.params[name].data);
    expect(again.history.map((h) => h.loss)).toEqual(first.history.map((h) => h.loss));
    const other = await trainTwoTower(config, s.encoders, s.rows, s.items, "8");
    for (const name of PARAM_NAMES) {
      if (name === "userB1" || name === "userB2" || name === "itemB1" || name === "itemB2") continue;
      expect(other.params[name].data, name).not.toEqual(first.params[name].data);
    }
    expect(other.history.map((h) => h.loss)).not.toEqual(first.history.map((h) => h.loss));
  });

  it("lowers the training loss from the first epoch to the last", async () => {
    const losses = first.history.map((h) => h.loss);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
  });

  it("produces unit-norm user and item embeddings", async () => {
    const dim = config.embeddingDim;
    for (const [emb, n] of [
      [userEmbeddings(first.params, s.rows.users), s.rows.users.length],
      [itemEmbeddings(first.params, s.items), s.items.length],
    ] as const) {
      expect(emb.length).toBe(n * dim);
      for (let r = 0; r < n; r++) {
        let sq = 0;
        for (let k = 0; k < dim; k++) sq += emb[r * dim + k]! ** 2;
        expect(Math.abs(Math.sqrt(sq) - 1)).toBeLessThan(1e-5);
      }
    }
  });

  it("leaves embedding rows no training row uses at their initial values", async () => {
    const init = initParams(config, s.encoders, "7");
    const row = (p: TwoTowerParams, name: ParamName, r: number): Float32Array => {
      const dim = p[name].shape[1]!;
      return p[name].data.slice(r * dim, (r + 1) * dim);
    };
    // unknown state / category (row 0) and "(none)" as an item category (row 1) never occur in training
    expect(row(first.params, "stateEmbedding", 0)).toEqual(row(init, "stateEmbedding", 0));
    expect(row(first.params, "userCategoryEmbedding", 0)).toEqual(row(init, "userCategoryEmbedding", 0));
    expect(row(first.params, "itemCategoryEmbedding", 0)).toEqual(row(init, "itemCategoryEmbedding", 0));
    expect(row(first.params, "itemCategoryEmbedding", 1)).toEqual(row(init, "itemCategoryEmbedding", 1));
    // rows that do occur move
    expect(row(first.params, "stateEmbedding", 1)).not.toEqual(row(init, "stateEmbedding", 1));
    expect(row(first.params, "itemIdEmbedding", 1)).not.toEqual(row(init, "itemIdEmbedding", 1));
    expect(row(first.params, "itemIdEmbedding", 0)).toEqual(new Float32Array(config.itemIdDim));
  });

  it("keeps row 0 of the item-id table at zero even when training rows map to it", async () => {
    // drop half the trained items from the id vocabulary: their rows fall back to the shared row 0
    const encoders: Encoders = { ...s.encoders, itemIds: s.encoders.itemIds.filter((_, k) => k === 0 || k % 2 === 1) };
    const productIds = new Map(encoders.itemIds.map((id, k) => [id, k]));
    const items: EncodedItems = { ...s.items, id: Int32Array.from(s.items.id, (old) => productIds.get(s.encoders.itemIds[old]!) ?? 0) };
    const usingZero = Array.from(s.rows.items).filter((it) => items.id[it] === 0).length;
    expect(usingZero).toBeGreaterThan(s.rows.items.length / 10);
    const model = await trainTwoTower({ ...config, epochs: 1 }, encoders, s.rows, items, "7");
    expect(model.params.itemIdEmbedding.data.slice(0, config.itemIdDim)).toEqual(new Float32Array(config.itemIdDim));
  });

  it("moves an embedding row only in the steps whose batch uses it (lazy Adam)", async () => {
    const { product } = await matrixProducts();
    const params = initParams(config, s.encoders, "lazy");
    const moments = Object.fromEntries(
      PARAM_NAMES.map((n) => [n, { m: new Float32Array(params[n].data.length), v: new Float32Array(params[n].data.length) }]),
    ) as Parameters<typeof trainStep>[3];
    // a state used by some rows only: step 1 batch includes such rows, step 2 batch none of them
    const stateCounts = new Map<number, number[]>();
    s.rows.users.state.forEach((st, r) => stateCounts.set(st, [...(stateCounts.get(st) ?? []), r]));
    const [state, withState] = [...stateCounts].sort((a, b) => a[1].length - b[1].length)[0]!;
    const without = Array.from(s.rows.users.state.keys()).filter((r) => s.rows.users.state[r] !== state);
    const batch1 = Int32Array.from([...withState.slice(0, 4), ...without.slice(0, 28)]);
    const batch2 = Int32Array.from(without.slice(28, 60));
    const dim = config.stateDim;
    const stateRow = (): Float32Array => params.stateEmbedding.data.slice(state * dim, (state + 1) * dim);
    const w2Before = params.userW2.data.slice();
    const initial = stateRow();
    await trainStep(product, config, params, moments, 1, s.rows, s.items, batch1);
    const afterStep1 = stateRow();
    expect(afterStep1).not.toEqual(initial);
    const w2After1 = params.userW2.data.slice();
    expect(w2After1).not.toEqual(w2Before);
    await trainStep(product, config, params, moments, 2, s.rows, s.items, batch2);
    // dense Adam would keep moving the row on its momentum; lazy Adam leaves it
    expect(stateRow()).toEqual(afterStep1);
    expect(params.userW2.data).not.toEqual(w2After1);
  });

  it("moves the item-id row of a product seen only in a user's recent products (the pooled history's gradient, lazy Adam)", async () => {
    const { product } = await matrixProducts();
    const params = initParams(config, s.encoders, "pooled");
    const moments = Object.fromEntries(
      PARAM_NAMES.map((n) => [n, { m: new Float32Array(params[n].data.length), v: new Float32Array(params[n].data.length) }]),
    ) as Parameters<typeof trainStep>[3];
    const slots = s.encoders.historyItems;
    const users = s.rows.users;
    const recentOf = (r: number): number[] => Array.from(users.recent.subarray(r * slots, (r + 1) * slots)).filter((id) => id !== 0);
    const withHistory = Array.from(s.rows.items.keys()).filter((r) => recentOf(r).length > 0);
    expect(withHistory.length).toBeGreaterThan(5);
    const row = withHistory[0]!;
    const h = recentOf(row)[0]!;
    // other rows that neither bought h nor have it among their recent products
    const others = Array.from(s.rows.items.keys()).filter((r) => r !== row && s.items.id[s.rows.items[r]!] !== h && !recentOf(r).includes(h));
    const dim = config.itemIdDim;
    const idRow = (): Float32Array => params.itemIdEmbedding.data.slice(h * dim, (h + 1) * dim);
    const initial = idRow();
    await trainStep(product, config, params, moments, 1, s.rows, s.items, Int32Array.from([row, ...others.slice(0, 31)]));
    const after1 = idRow();
    expect(after1).not.toEqual(initial);
    await trainStep(product, config, params, moments, 2, s.rows, s.items, Int32Array.from(others.slice(31, 63)));
    expect(idRow()).toEqual(after1);
  });

  it("rejects fewer than two training rows", async () => {
    const one: TrainingRows = {
      users: {
        length: 1,
        state: s.rows.users.state.slice(0, 1),
        category: s.rows.users.category.slice(0, 1),
        lastCategory: s.rows.users.lastCategory.slice(0, 1),
        recent: s.rows.users.recent.slice(0, s.encoders.historyItems),
        numeric: s.rows.users.numeric.slice(0, s.encoders.userNumericFeatures.length),
      },
      items: s.rows.items.slice(0, 1),
    };
    await expect(trainTwoTower(config, s.encoders, one, s.items, "1")).rejects.toThrow(/two training rows/);
  });

  it("initialises the unseen-item row to zero and the other tables within (-0.05, 0.05)", async () => {
    const p = initParams(config, s.encoders, "init");
    expect(p.itemIdEmbedding.shape).toEqual([s.encoders.itemIds.length, config.itemIdDim]);
    expect(s.encoders.itemIds[0]).toBe(UNKNOWN);
    expect(p.itemIdEmbedding.data.slice(0, config.itemIdDim).every((v) => v === 0)).toBe(true);
    for (const name of ["stateEmbedding", "userCategoryEmbedding", "itemCategoryEmbedding"] as const) {
      expect(p[name].data.every((v) => Math.abs(v) <= 0.05)).toBe(true);
    }
    expect(p.userB1.data.every((v) => v === 0)).toBe(true);
  });
});

describe("fitTwoTower and twoTowerScorer", () => {
  const input = syntheticInput(300, 150);
  const ds = buildDataset(input);
  const split = temporalFullSplit(ds, { cutoff: CUTOFF });
  const config = resolveTwoTowerConfig({ ...SMALL, epochs: 1 });

  it("scores sampled candidates exactly as the full-catalogue path does", async () => {
    const fitted = await fitTwoTower(ds, split, config, "1");
    const scorer = twoTowerScorer(fitted, ds);
    const rng = seedrandom("cands");
    const full = split.queries.slice(0, 40);
    const sampled: EvalQuery[] = full.map((q) => ({ ...q, candidates: Int32Array.from({ length: 30 }, () => Math.floor(rng() * ds.items.length)) }));
    // mixed in one batch: both paths at once
    const scores = scorer.scoreBatch([...full, ...sampled]);
    full.forEach((_, k) => {
      expect(scores[k]).toHaveLength(ds.items.length);
      const picked = Array.from(sampled[k]!.candidates!, (c) => scores[k]![c]!);
      expect(maxRelDiff(scores[full.length + k]!, picked)).toBeLessThan(1e-5);
    });
  });

  it("scores a query from the data before its knownBefore only", async () => {
    const fitted = await fitTwoTower(ds, split, config, "1");
    // rewrite every order at or after the cut-off (same users, so the same user indices)
    const rng = seedrandom("future");
    const rewritten = buildDataset({
      items: input.items,
      orders: input.orders.map((o) =>
        o.time < CUTOFF
          ? o
          : { ...o, items: [{ productId: productId(Math.floor(rng() * input.items.length)), price: 1 + rng() * 999 }], paymentType: PAYMENT_TYPES[Math.floor(rng() * 4)]!, installments: 10, paymentValue: 4321, reviewScore: 1 },
      ),
    });
    expect(rewritten.userIds).toEqual(ds.userIds);
    const queries = split.queries.slice(0, 60);
    expect(queries.some((q) => !q.coldStart)).toBe(true);
    expect(twoTowerScorer(fitted, rewritten).scoreBatch(queries)).toEqual(twoTowerScorer(fitted, ds).scoreBatch(queries));
  });

  it("leaves no tensors behind after training, embedding and scoring", async () => {
    const before = tf.memory().numTensors;
    const fitted = await fitTwoTower(ds, split, config, "2");
    twoTowerScorer(fitted, ds).scoreBatch(split.queries.slice(0, 20));
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("resolveTwoTowerConfig", () => {
  it("fills defaults and keeps overrides", async () => {
    expect(resolveTwoTowerConfig()).toEqual(DEFAULT_TWO_TOWER_CONFIG);
    expect(resolveTwoTowerConfig({ epochs: 3 })).toEqual({ ...DEFAULT_TWO_TOWER_CONFIG, epochs: 3 });
  });

  it.each([
    [{ batchSize: 1 }, /batchSize/],
    [{ batchSize: 0 }, /batchSize/],
    [{ batchSize: 2.5 }, /batchSize/],
    [{ learningRate: 0 }, /learningRate/],
    [{ learningRate: Number.NaN }, /learningRate/],
    [{ beta1: 1 }, /beta1/],
    [{ beta1: -0.1 }, /beta1/],
    [{ beta2: 1 }, /beta2/],
    [{ epochs: 0 }, /epochs/],
    [{ embeddingDim: 1.5 }, /embeddingDim/],
    [{ temperature: 0 }, /temperature/],
    [{ epsilon: -1 }, /epsilon/],
  ] as [Partial<TwoTowerConfig>, RegExp][])("rejects %o naming the key", (override, message) => {
    expect(() => resolveTwoTowerConfig(override)).toThrow(message);
  });
});
