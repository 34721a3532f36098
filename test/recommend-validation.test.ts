import { beforeAll, describe, expect, it } from "vitest";
import { MS_PER_DAY } from "../src/io/time.js";
import { resolveTwoTowerConfig, type TwoTowerConfig } from "../src/recommend/config.js";
import { buildDataset, groupOf } from "../src/recommend/dataset.js";
import { fitTwoTower, prepareSplit } from "../src/recommend/fit.js";
import { leaveLastOutSplit, temporalFullSplit } from "../src/recommend/protocols.js";
import { initTensorflow } from "../src/recommend/tf-runtime.js";
import { epochRows, trainTwoTower } from "../src/recommend/two-tower.js";
import { carveValidation } from "../src/recommend/validation.js";
import { trainingChoiceRows } from "../src/recommend/report.js";
import type { Dataset, ProtocolSplit, RecommendInput } from "../src/recommend/types.js";
import { productId, syntheticRecommendInput } from "./support/recommend-fixture.js";

const SMALL: Partial<TwoTowerConfig> = { epochs: 4, patience: 1, batchSize: 64, hiddenUnits: 16, embeddingDim: 8, itemIdDim: 8, categoryDim: 4, stateDim: 4, learningRate: 0.01 };
const INPUT = syntheticRecommendInput({ users: 400, items: 120, categories: 6, seed: "validation", repeatShare: 0.5 });
const CUTOFF = Date.UTC(2017, 0, 1) + 320 * MS_PER_DAY;

beforeAll(async () => {
  await initTensorflow();
});

/** Replaces the products of the given orders by other products (none already in the order, as many distinct ones). */
function swapProducts(input: RecommendInput, orders: Set<string>): RecommendInput {
  const n = input.items.length;
  return {
    items: input.items,
    orders: input.orders.map((o) => {
      if (!orders.has(o.orderId)) return o;
      const own = new Set(o.items.map((l) => l.productId));
      const mapping = new Map<string, string>();
      let next = 0;
      for (const id of [...own].sort()) {
        while (own.has(productId(next)) || [...mapping.values()].includes(productId(next))) next = (next + 7) % n;
        mapping.set(id, productId(next));
        next = (next + 7) % n;
      }
      return { ...o, items: o.items.map((l) => ({ ...l, productId: mapping.get(l.productId)! })) };
    }),
  };
}

describe("carveValidation", () => {
  const ds = buildDataset(INPUT);

  it("temporal-full: validation purchases are the training period's last days, fit rows all before them, nothing from the test window", () => {
    const split = temporalFullSplit(ds, { cutoff: CUTOFF });
    const carve = carveValidation(ds, split, { fraction: 0.1 });
    const train = new Set(split.train);
    expect(carve.start).toBeDefined();
    expect(carve.queries.length).toBeGreaterThan(10);
    for (const i of carve.fit) {
      expect(train.has(i)).toBe(true);
      expect(ds.interactions.time[i]!).toBeLessThan(carve.start!);
    }
    for (const q of carve.queries) {
      expect(q.time).toBeGreaterThanOrEqual(carve.start!);
      expect(q.time).toBeLessThan(CUTOFF);
      expect(q.knownBefore).toBe(carve.start);
    }
    expect(carve.fit.length + carve.queries.length).toBe(split.train.length);
  });

  it("leave-last-out: each user's last training order is held out of fit; never a test order", () => {
    const split = leaveLastOutSplit(ds, { seed: "v", negatives: 20 });
    const carve = carveValidation(ds, split);
    const trainOrders = new Set(Array.from(split.train, (i) => ds.interactions.order[i]!));
    const fitOrders = new Set(Array.from(carve.fit, (i) => ds.interactions.order[i]!));
    expect(carve.queries.length).toBeGreaterThan(10);
    for (const q of carve.queries) {
      const own = groupOf(ds.userOrders, q.user).filter((o) => trainOrders.has(o));
      const last = own[own.length - 1]!;
      expect(q.time).toBe(ds.orderTime[last]);
      expect(q.knownBefore).toBe(q.time);
      expect(fitOrders.has(last)).toBe(false);
      expect(Array.from(groupOf(ds.orderItems, last))).toContain(q.target);
      expect(q.candidates).toHaveLength(100);
    }
    for (const o of fitOrders) expect(trainOrders.has(o)).toBe(true);
  });

  it("is deterministic", () => {
    const split = leaveLastOutSplit(ds, { seed: "v", negatives: 20 });
    expect(carveValidation(ds, split)).toEqual(carveValidation(ds, split));
  });
});

describe("history oversampling", () => {
  it("repeats the rows of returning customers, the same rows in the leaky view as in the point-in-time one", () => {
    const ds = buildDataset(INPUT);
    const config = resolveTwoTowerConfig({ ...SMALL, historyOversample: 3 });
    const plain = prepareSplit(ds, leaveLastOutSplit(ds, { seed: "v", negatives: 20 }), config);
    const leaky = prepareSplit(ds, leaveLastOutSplit(ds, { seed: "v", negatives: 20, leaky: true }), config);
    const returning = Array.from(plain.rows.returning!).filter((r) => r === 1).length;
    expect(returning).toBeGreaterThan(10);
    expect(Array.from(leaky.rows.returning!)).toEqual(Array.from(plain.rows.returning!));
    expect(epochRows(plain.rows, plain.encoders, 3)).toHaveLength(plain.rows.items.length + 2 * returning);
    expect(epochRows(leaky.rows, leaky.encoders, 3)).toHaveLength(plain.rows.items.length + 2 * returning);
  });
});

describe("early stopping", () => {
  it("stops after `patience` epochs without a better validation score and keeps the best epoch's parameters", async () => {
    const ds = buildDataset(INPUT);
    const prepared = prepareSplit(ds, temporalFullSplit(ds, { cutoff: CUTOFF }), resolveTwoTowerConfig(SMALL));
    const config = resolveTwoTowerConfig({ ...SMALL, epochs: 6, patience: 2 });
    const scores = [0.1, 0.3, 0.2, 0.25, 0.9, 0.9];
    const stopped = await trainTwoTower(config, prepared.encoders, prepared.rows, prepared.items, "3", { validate: (_, epoch) => scores[epoch - 1]! });
    expect(stopped.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4]);
    expect(stopped.history.map((h) => h.validation)).toEqual([0.1, 0.3, 0.2, 0.25]);
    expect(stopped.epochsUsed).toBe(2);
    const twoEpochs = await trainTwoTower({ ...config, epochs: 2 }, prepared.encoders, prepared.rows, prepared.items, "3");
    expect(twoEpochs.epochsUsed).toBe(2);
    expect(stopped.params).toEqual(twoEpochs.params);
  });

  // The test targets are rewritten; the chosen epoch, the validation scores, the weights and the blend must not move.
  const cases: [string, (ds: Dataset) => ProtocolSplit, (ds: Dataset, split: ProtocolSplit) => Set<string>][] = [
    ["temporal-full", (ds) => temporalFullSplit(ds, { cutoff: CUTOFF }), () => new Set(INPUT.orders.filter((o) => o.time >= CUTOFF).map((o) => o.orderId))],
    [
      "loo-sampled-99",
      (ds) => leaveLastOutSplit(ds, { seed: "v", negatives: 20 }),
      (ds, split) => {
        const train = new Set(Array.from(split.train, (i) => ds.interactions.order[i]!));
        // the Dataset's order index is the position in (time, orderId) order
        const ids = INPUT.orders.slice().sort((a, b) => a.time - b.time || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0)).map((o) => o.orderId);
        return new Set(ids.filter((_, o) => !train.has(o)));
      },
    ],
  ];
  it.each(cases)("%s: never reads the test queries (rewritten test targets change nothing)", async (_, splitOf, testOrders) => {
    const config = resolveTwoTowerConfig(SMALL);
    const ds = buildDataset(INPUT);
    const split = splitOf(ds);
    const changedDs = buildDataset(swapProducts(INPUT, testOrders(ds, split)));
    const changedSplit = splitOf(changedDs);
    // the rewrite really changed the test targets, and kept the training rows
    expect(Array.from(changedSplit.train)).toEqual(Array.from(split.train));
    expect(changedSplit.queries.map((q) => q.target)).not.toEqual(split.queries.map((q) => q.target));
    const a = await fitTwoTower(ds, split, config, "5");
    const b = await fitTwoTower(changedDs, changedSplit, config, "5");
    expect(a.validationQueries).toBeGreaterThan(0);
    expect(a.model.history.every((h) => h.validation !== undefined)).toBe(true);
    expect(b.model.epochsUsed).toBe(a.model.epochsUsed);
    expect(b.model.history.map((h) => h.validation)).toEqual(a.model.history.map((h) => h.validation));
    expect(b.hybrid).toEqual(a.hybrid);
    expect(b.model.params).toEqual(a.model.params);
  });
});

describe("trainingChoiceRows", () => {
  it("reports epochs run and used, the kept epoch's validation MRR and the blend weights", () => {
    const rows = trainingChoiceRows([
      {
        protocol: "temporal-full",
        seed: 1,
        history: [
          { epoch: 1, validation: 0.2 },
          { epoch: 2, validation: 0.31234 },
          { epoch: 3, validation: 0.3 },
        ],
        epochsUsed: 2,
        validationQueries: 50,
        hybrid: { warm: { twoTower: 0.5, sameCategory: 5, coPurchase: 0, priceLevel: 0.1 }, cold: { twoTower: 0 } },
      },
    ]);
    expect(rows).toEqual([
      { protocol: "temporal-full", seed: 1, "epochs run": 3, "epochs used": 2, "validation MRR": 0.3123, "validation queries": 50, "two-tower+prior weights": "a 0.5, s 5, k 0, p 0.1; a0 0" },
    ]);
  });
});
