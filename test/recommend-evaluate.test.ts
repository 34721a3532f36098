import { beforeAll, describe, expect, it } from "vitest";
import { MS_PER_DAY } from "../src/io/time.js";
import { buildDataset } from "../src/recommend/dataset.js";
import { DEFAULT_LEAKY_SEEDS, evaluateRecommenders, protocolSeeds, protocolSplit, queryGroups, type EvaluationOptions, type EvaluationResult, type MetricRow } from "../src/recommend/evaluate.js";
import { popularityScorer } from "../src/recommend/baselines.js";
import { scoreQueries } from "../src/recommend/score-queries.js";
import { sampleCatalogueQueries } from "../src/recommend/test-sample.js";
import { METRIC_NAMES, type MetricName } from "../src/recommend/metrics.js";
import { initTensorflow } from "../src/recommend/tf-runtime.js";
import { MODEL_NAMES, PROTOCOLS, type EvalQuery, type ModelName, type Scorer } from "../src/recommend/types.js";
import { syntheticRecommendInput } from "./support/recommend-fixture.js";

const DS = buildDataset(syntheticRecommendInput({ users: 400, items: 300, categories: 10, seed: "evaluate", repeatShare: 0.4 }));
const CUTOFF = Date.UTC(2017, 0, 1) + 300 * MS_PER_DAY;
const OPTIONS: EvaluationOptions = {
  protocols: PROTOCOLS,
  seeds: 2,
  config: { epochs: 2, batchSize: 64, hiddenUnits: 32, embeddingDim: 16, itemIdDim: 8, categoryDim: 4, stateDim: 4 },
  temporal: { cutoff: CUTOFF },
  splitSeed: "eval-split",
};
const REPORTED = ["temporal-full", "temporal-full-cold-start", "loo-sampled-99", "loo-sampled-99-leaky"] as const;

let result: EvaluationResult;
let again: EvaluationResult;

beforeAll(async () => {
  await initTensorflow();
  result = await evaluateRecommenders(DS, OPTIONS);
  again = await evaluateRecommenders(DS, OPTIONS);
});

const rowOf = (r: EvaluationResult, protocol: string, model: ModelName, metric: MetricName): MetricRow => {
  const found = r.rows.filter((x) => x.protocol === protocol && x.model === model && x.metric === metric);
  expect(found, `${protocol}/${model}/${metric}`).toHaveLength(1);
  return found[0]!;
};
const metricsOf = (r: EvaluationResult, protocol: string, model: ModelName): Record<MetricName, number> =>
  Object.fromEntries(METRIC_NAMES.map((m) => [m, rowOf(r, protocol, model, m).mean])) as Record<MetricName, number>;

describe("evaluateRecommenders", () => {
  it("reports every protocol x model x metric once", async () => {
    expect(result.rows).toHaveLength(REPORTED.length * MODEL_NAMES.length * METRIC_NAMES.length);
    const keys = new Set(result.rows.map((r) => `${r.protocol}|${r.model}|${r.metric}`));
    expect(keys.size).toBe(result.rows.length);
    for (const p of REPORTED) for (const m of MODEL_NAMES) for (const k of METRIC_NAMES) expect(keys.has(`${p}|${m}|${k}`), `${p}|${m}|${k}`).toBe(true);
  });

  it("has warm and cold-start temporal queries (the cut-off splits them)", async () => {
    const summary = result.protocols.find((p) => p.protocol === "temporal-full")!;
    expect(summary.cutoff).toBe(new Date(CUTOFF).toISOString());
    expect(summary.coldStartQueries).toBeGreaterThan(10);
    expect(summary.queries - summary.coldStartQueries).toBeGreaterThan(10);
    for (const m of MODEL_NAMES) {
      expect(rowOf(result, "temporal-full-cold-start", m, "hr@10").queries).toBe(summary.coldStartQueries);
      expect(rowOf(result, "temporal-full", m, "hr@10").queries).toBe(summary.queries - summary.coldStartQueries);
    }
    const loo = result.protocols.find((p) => p.protocol === "loo-sampled-99")!;
    expect(loo.cutoff).toBeNull();
    for (const p of ["loo-sampled-99", "loo-sampled-99-leaky"]) for (const m of MODEL_NAMES) expect(rowOf(result, p, m, "mrr").queries).toBe(loo.queries);
    // at this size every test purchase is evaluated
    for (const p of result.protocols) {
      expect(p.sampled).toBeNull();
      expect([p.testPurchases, p.coldStartTestPurchases]).toEqual([p.queries, p.coldStartQueries]);
    }
  });

  it("evaluates a seeded sample of a full-catalogue group above maxCatalogueQueries, and says so", async () => {
    const small = { ...OPTIONS, protocols: ["temporal-full", "loo-sampled-99"] as const, seeds: 1, config: { ...OPTIONS.config, epochs: 1 } };
    const whole = result.protocols.find((p) => p.protocol === "temporal-full")!;
    const max = Math.min(whole.coldStartQueries, whole.queries - whole.coldStartQueries) - 5;
    const sampled = await evaluateRecommenders(DS, { ...small, maxCatalogueQueries: max });
    const summary = sampled.protocols.find((p) => p.protocol === "temporal-full")!;
    expect([summary.testPurchases, summary.coldStartTestPurchases]).toEqual([whole.queries, whole.coldStartQueries]);
    expect([summary.queries, summary.coldStartQueries]).toEqual([2 * max, max]);
    expect(summary.sampled).toMatch(new RegExp(`^${max} of ${whole.queries - whole.coldStartQueries} returning-customer purchases and ${max} of ${whole.coldStartQueries} cold-start purchases evaluated`));
    for (const m of MODEL_NAMES) for (const p of ["temporal-full", "temporal-full-cold-start"]) expect(rowOf(sampled, p, m, "hr@10").queries).toBe(max);
    // the leave-last-out protocol ranks 100 candidates per purchase: never sampled
    const loo = sampled.protocols.find((p) => p.protocol === "loo-sampled-99")!;
    expect(loo.sampled).toBeNull();
    expect(loo.queries).toBe(result.protocols.find((p) => p.protocol === "loo-sampled-99")!.queries);
    // the sampled purchases are those sampleCatalogueQueries picks: the baselines score them as if called directly
    const { split: cut } = sampleCatalogueQueries(protocolSplit(DS, "temporal-full", { temporal: { cutoff: CUTOFF } }), max, "test-sample");
    const direct = scoreQueries(popularityScorer(DS, cut.train), queryGroups(cut)[1]!.queries, DS.items.length);
    expect(rowOf(sampled, "temporal-full-cold-start", "popularity", "hr@10").mean).toBe(direct["hr@10"]);
  });

  it("runs the baselines once and the two-tower model once per seed", async () => {
    for (const row of result.rows) {
      if (row.model.startsWith("two-tower")) {
        expect(row.seeds).toBe(2);
        expect(row.values).toHaveLength(2);
        const [a, b] = row.values as [number, number];
        expect(row.mean).toBeCloseTo((a + b) / 2, 12);
        // sample standard deviation of two values: |a - b| / sqrt(2)
        expect(row.std).toBeCloseTo(Math.abs(a - b) / Math.SQRT2, 12);
      } else {
        expect(row.seeds).toBe(1);
        expect(row.std).toBe(0);
        expect(row.values).toEqual([row.mean]);
      }
    }
    expect(result.histories).toHaveLength(PROTOCOLS.length * 2);
    for (const h of result.histories) expect(h.history).toHaveLength(2);
    expect(result.firstModel?.protocol).toBe("temporal-full");
    // the two seeds give two different models
    expect(result.rows.filter((r) => r.model === "two-tower").some((r) => r.values[0] !== r.values[1])).toBe(true);
  });

  it("trains the leaky demonstration on leakySeeds seeds (default 2), never more than seeds", async () => {
    expect(DEFAULT_LEAKY_SEEDS).toBe(2);
    expect(PROTOCOLS.map((p) => protocolSeeds(p, { seeds: 5 }))).toEqual(PROTOCOLS.map((p) => (p === "loo-sampled-99-leaky" ? 2 : 5)));
    expect(protocolSeeds("loo-sampled-99-leaky", { seeds: 1 })).toBe(1);
    expect(protocolSeeds("loo-sampled-99-leaky", { seeds: 5, leakySeeds: 4 })).toBe(4);
    const stages: string[] = [];
    const fewer = await evaluateRecommenders(DS, { ...OPTIONS, protocols: ["loo-sampled-99", "loo-sampled-99-leaky"], seeds: 2, leakySeeds: 1, config: { ...OPTIONS.config, epochs: 1 }, onStage: (m) => stages.push(m) });
    for (const row of fewer.rows.filter((r) => r.model.startsWith("two-tower"))) expect(row.seeds, `${row.protocol} ${row.model}`).toBe(row.protocol === "loo-sampled-99-leaky" ? 1 : 2);
    expect(fewer.histories.map((h) => `${h.protocol} ${h.seed}`)).toEqual(["loo-sampled-99 1", "loo-sampled-99 2", "loo-sampled-99-leaky 1"]);
    expect(stages).toContain("loo-sampled-99-leaky: two-tower seed 1/1");
    await expect(evaluateRecommenders(DS, { ...OPTIONS, leakySeeds: 0 })).rejects.toThrow("leakySeeds must be a positive integer, got 0");
  });

  it("keeps every metric in [0, 1] and the hit rates nested", async () => {
    for (const row of result.rows) {
      for (const v of [row.mean, ...row.values]) {
        expect(Number.isFinite(v), `${row.protocol}/${row.model}/${row.metric}`).toBe(true);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
    for (const p of REPORTED) {
      for (const m of MODEL_NAMES) {
        const x = metricsOf(result, p, m);
        const label = `${p}/${m}`;
        expect(x["hr@1"], label).toBeLessThanOrEqual(x["hr@5"]);
        expect(x["hr@5"], label).toBeLessThanOrEqual(x["hr@10"]);
        // one relevant item: hr@1 <= ndcg@10 <= hr@10 and mrr >= hr@1
        expect(x["ndcg@10"], label).toBeLessThanOrEqual(x["hr@10"] + 1e-12);
        expect(x["ndcg@10"], label).toBeGreaterThanOrEqual(x["hr@1"] - 1e-12);
        expect(x.mrr, label).toBeGreaterThanOrEqual(x["hr@1"] - 1e-12);
      }
    }
  });

  it("gives every per-purchase metric a 95% interval around its mean, coverage@10 none", async () => {
    for (const row of result.rows) {
      const label = `${row.protocol}/${row.model}/${row.metric}`;
      if (row.metric === "coverage@10") {
        expect(row.ciLow, label).toBeNaN();
        expect(row.ciHigh, label).toBeNaN();
        expect(row.perQuery, label).toBeNull();
        continue;
      }
      expect(row.perQuery, label).toHaveLength(row.queries);
      // the per-purchase values (averaged over seeds) have the row's mean
      expect(row.perQuery!.reduce((s, v) => s + v, 0) / row.queries, label).toBeCloseTo(row.mean, 10);
      expect(row.ciLow, label).toBeLessThanOrEqual(row.mean + 1e-12);
      expect(row.ciHigh, label).toBeGreaterThanOrEqual(row.mean - 1e-12);
      expect(row.ciLow, label).toBeGreaterThanOrEqual(0);
      expect(row.ciHigh, label).toBeLessThanOrEqual(1);
    }
    // a model that is not perfect has an interval of some width
    const tower = rowOf(result, "loo-sampled-99", "two-tower", "hr@10");
    expect(tower.ciHigh - tower.ciLow).toBeGreaterThan(0);
  });

  it("gives identical rows when run twice", async () => {
    expect(again.rows).toEqual(result.rows);
    expect(again.histories.map((h) => h.history.map((e) => e.loss))).toEqual(result.histories.map((h) => h.history.map((e) => e.loss)));
  });

  it("falls back to popularity for cold-start users in history-based baselines", async () => {
    const popularity = metricsOf(result, "temporal-full-cold-start", "popularity");
    expect(metricsOf(result, "temporal-full-cold-start", "co-purchase")).toEqual(popularity);
    expect(metricsOf(result, "temporal-full-cold-start", "last-category")).toEqual(popularity);
  });

  it("scores the user-independent baselines the same with and without the leak", async () => {
    for (const m of ["popularity", "recent-popularity"] as const) {
      expect(metricsOf(result, "loo-sampled-99-leaky", m)).toEqual(metricsOf(result, "loo-sampled-99", m));
    }
  });

  it("finds the category structure: last-category beats popularity on loo-sampled-99 hr@10", async () => {
    expect(rowOf(result, "loo-sampled-99", "last-category", "hr@10").mean).toBeGreaterThan(rowOf(result, "loo-sampled-99", "popularity", "hr@10").mean);
  });

  it("rejects a non-positive number of seeds", async () => {
    await expect(evaluateRecommenders(DS, { ...OPTIONS, seeds: 0 })).rejects.toThrow(/seeds/);
  });
});

describe("scoreQueries", () => {
  const constant: Scorer = {
    name: "popularity",
    scoreBatch: (queries: readonly EvalQuery[]) => queries.map((q) => new Float32Array(q.candidates?.length ?? DS.items.length).fill(0.5)),
  };

  it("gives constant scores the metrics of a random ranking on sampled protocols (ties are not wins)", async () => {
    const split = protocolSplit(DS, "loo-sampled-99", { splitSeed: "ties" });
    const r = scoreQueries(constant, split.queries, DS.items.length, 17);
    expect(r.n).toBe(split.queries.length);
    expect(r["hr@10"]).toBeCloseTo(10 / 100, 12);
    expect(r["hr@5"]).toBeCloseTo(5 / 100, 12);
    expect(r["hr@1"]).toBeCloseTo(1 / 100, 12);
    let harmonic = 0;
    for (let k = 1; k <= 100; k++) harmonic += 1 / k;
    expect(r.mrr).toBeCloseTo(harmonic / 100, 12);
  });

  it("gives constant scores hr@10 = 10 / catalogue size on the full catalogue", async () => {
    const split = protocolSplit(DS, "temporal-full", { temporal: { cutoff: CUTOFF } });
    const [warm, cold] = queryGroups(split);
    expect(warm!.protocol).toBe("temporal-full");
    expect(cold!.protocol).toBe("temporal-full-cold-start");
    expect(warm!.queries.length + cold!.queries.length).toBe(split.queries.length);
    expect(warm!.queries.every((q) => !q.coldStart) && cold!.queries.every((q) => q.coldStart)).toBe(true);
    const r = scoreQueries(constant, split.queries, DS.items.length);
    expect(r["hr@10"]).toBeCloseTo(10 / DS.items.length, 12);
  });

  it("finds the target through the candidates, wherever it is listed", async () => {
    const split = protocolSplit(DS, "loo-sampled-99", { splitSeed: "oracle" });
    // an oracle that scores the target highest must be perfect; one that scores it lowest must miss
    const oracle = (sign: number): Scorer => ({
      name: "popularity",
      scoreBatch: (queries) => queries.map((q) => Float32Array.from(q.candidates!, (c) => (c === q.target ? sign : 0))),
    });
    const best = scoreQueries(oracle(1), split.queries, DS.items.length);
    expect([best["hr@1"], best.mrr, best["ndcg@10"]]).toEqual([1, 1, 1]);
    const worst = scoreQueries(oracle(-1), split.queries, DS.items.length);
    expect(worst["hr@10"]).toBe(0);
    expect(worst.mrr).toBeCloseTo(1 / 100, 12);
  });

  it("rejects a query whose target is not among its candidates", async () => {
    const q: EvalQuery = { user: 0, target: 5, time: 0, knownBefore: 0, candidates: Int32Array.from([1, 2, 3]), coldStart: false };
    expect(() => scoreQueries(constant, [q], DS.items.length)).toThrow(/target is not among the candidates/);
  });
});
