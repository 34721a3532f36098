import seedrandom from "seedrandom";
import { beforeAll, describe, expect, it } from "vitest";
import { resolveTwoTowerConfig } from "../src/recommend/config.js";
import { buildDataset } from "../src/recommend/dataset.js";
import { metricRows, type MetricRow, type SeedScores, type TrainingHistory } from "../src/recommend/evaluate.js";
import { fitTwoTower, type FittedTwoTower } from "../src/recommend/fit.js";
import { METRIC_NAMES, PER_QUERY_METRICS, type MetricName } from "../src/recommend/metrics.js";
import { temporalFullSplit } from "../src/recommend/protocols.js";
import {
  compareRows,
  exampleRecommendations,
  formatWithInterval,
  itemEmbeddingMap,
  lossCurveRows,
  metricTableRows,
  projectTo2d,
  recommendMetricKey,
  recommendMetrics,
  seedCountText,
  seedSpreadRows,
  servingSummary,
  verdicts,
} from "../src/recommend/report.js";
import { initTensorflow } from "../src/recommend/tf-runtime.js";
import type { Dataset, EvalQuery, ModelName, Scorer } from "../src/recommend/types.js";
import { validateKey } from "../src/tracking/validation.js";
import { day, recOrder, syntheticRecommendInput, tinyInput } from "./support/recommend-fixture.js";

/** A hand-made metric row; std and seeds follow from `values` unless given; no interval or per-query values unless given. */
function row(protocol: MetricRow["protocol"], model: ModelName, metric: MetricName, mean: number, extra: Partial<MetricRow> = {}): MetricRow {
  return { protocol, model, metric, mean, std: 0, seeds: 1, values: [mean], queries: 100, ciLow: Number.NaN, ciHigh: Number.NaN, perQuery: null, ...extra };
}

const isValidMetricKey = (key: string): boolean => {
  try {
    validateKey("metric", key, "test");
    return true;
  } catch {
    return false;
  }
};

describe("recommendMetricKey / recommendMetrics", () => {
  it("replaces @ by _at_ and joins protocol, model and metric with dots", () => {
    expect(recommendMetricKey("temporal-full", "two-tower", "hr@10")).toBe("temporal-full.two-tower.hr_at_10");
    expect(recommendMetricKey("temporal-full-cold-start", "co-purchase", "coverage@10")).toBe("temporal-full-cold-start.co-purchase.coverage_at_10");
    expect(recommendMetricKey("loo-sampled-99", "popularity", "mrr")).toBe("loo-sampled-99.popularity.mrr");
  });

  it("maps a hybrid's + to _plus_ (MLflow keys allow no +)", () => {
    const key = recommendMetricKey("temporal-full", "two-tower+prior", "hr@10");
    expect(key).toBe("temporal-full.two-tower_plus_prior.hr_at_10");
    expect(isValidMetricKey(key)).toBe(true);
  });

  it("logs the interval as _ci_low / _ci_high where the row has one", () => {
    const rows = [
      row("temporal-full", "popularity", "hr@10", 0.25, { ciLow: 0.2, ciHigh: 0.3 }),
      row("temporal-full", "popularity", "coverage@10", 0.05),
    ];
    expect(recommendMetrics(rows)).toEqual({
      "temporal-full.popularity.hr_at_10": 0.25,
      "temporal-full.popularity.hr_at_10_ci_low": 0.2,
      "temporal-full.popularity.hr_at_10_ci_high": 0.3,
      "temporal-full.popularity.coverage_at_10": 0.05,
    });
  });

  it("logs every mean, and a .std only for rows with more than one seed", () => {
    const rows = [
      row("temporal-full", "two-tower", "hr@10", 0.3, { std: 0.02, seeds: 3, values: [0.28, 0.3, 0.32] }),
      row("temporal-full", "popularity", "hr@10", 0.25),
      row("loo-sampled-99", "two-tower", "mrr", 0.5, { std: 0, seeds: 1, values: [0.5] }),
      row("temporal-full-cold-start", "two-tower", "ndcg@10", 0.1, { std: 0.05, seeds: 2, values: [0.05, 0.15] }),
    ];
    expect(recommendMetrics(rows)).toEqual({
      "temporal-full.two-tower.hr_at_10": 0.3,
      "temporal-full.two-tower.hr_at_10.std": 0.02,
      "temporal-full.popularity.hr_at_10": 0.25,
      "loo-sampled-99.two-tower.mrr": 0.5,
      "temporal-full-cold-start.two-tower.ndcg_at_10": 0.1,
      "temporal-full-cold-start.two-tower.ndcg_at_10.std": 0.05,
    });
  });

  it("produces keys MLflow accepts for every protocol x model x metric", () => {
    // sanity: the validator does reject the raw metric name
    expect(isValidMetricKey("temporal-full.two-tower.hr@10")).toBe(false);
    const protocols = ["temporal-full", "temporal-full-cold-start", "loo-sampled-99", "loo-sampled-99-leaky"] as const;
    const models = ["two-tower", "two-tower+prior", "popularity", "recent-popularity", "co-purchase", "last-category"] as ModelName[];
    const rows = protocols.flatMap((p) =>
      models.flatMap((m) => METRIC_NAMES.map((metric) => row(p, m, metric, 0.1, { seeds: 2, std: 0.01, values: [0.09, 0.11], ...(metric === "coverage@10" ? {} : { ciLow: 0.08, ciHigh: 0.12 }) }))),
    );
    const keys = Object.keys(recommendMetrics(rows));
    // mean and std for every row, the two interval bounds for every row but coverage@10
    expect(keys).toHaveLength(2 * rows.length + 2 * rows.filter((r) => r.metric !== "coverage@10").length);
    expect(keys.filter((k) => !isValidMetricKey(k))).toEqual([]);
  });
});

describe("metricTableRows", () => {
  it("gives one row per protocol x model in first-seen order with means, purchases and seeds", () => {
    const rows = [
      row("loo-sampled-99", "popularity", "hr@1", 0.11, { queries: 50 }),
      row("temporal-full", "two-tower", "hr@10", 0.4, { queries: 70, seeds: 3, std: 0.1, values: [0.3, 0.4, 0.5] }),
      row("loo-sampled-99", "popularity", "mrr", 0.22, { queries: 50 }),
      row("temporal-full", "popularity", "hr@10", 0.35, { queries: 70 }),
      row("temporal-full", "two-tower", "hr@1", 0.2, { queries: 70, seeds: 3, std: 0.05, values: [0.15, 0.2, 0.25] }),
    ];
    const table = metricTableRows(rows);
    expect(table.map((r) => [r["protocol"], r["model"]])).toEqual([
      ["loo-sampled-99", "popularity"],
      ["temporal-full", "two-tower"],
      ["temporal-full", "popularity"],
    ]);
    expect(table[0]).toMatchObject({ purchases: 50, seeds: 1, "hr@1": 0.11, mrr: 0.22 });
    expect(table[1]).toMatchObject({ purchases: 70, seeds: 3, "hr@1": 0.2, "hr@10": 0.4 });
    expect(table[2]).toMatchObject({ purchases: 70, seeds: 1, "hr@10": 0.35 });
    // every metric has a column; missing ones are NaN
    for (const r of table) for (const m of METRIC_NAMES) expect(m in r).toBe(true);
    expect(table[0]!["hr@10"]).toBeNaN();
    expect(table[2]!["hr@1"]).toBeNaN();
  });
});

describe("metricTableRows with intervals", () => {
  it("gives 'mean [low, high]' cells, the mean alone where there is no interval, and '± std' on request", () => {
    const rows = [
      row("temporal-full", "two-tower", "hr@10", 0.165, { seeds: 3, std: 0.01, values: [0.155, 0.165, 0.175], ciLow: 0.158, ciHigh: 0.172 }),
      row("temporal-full", "two-tower", "coverage@10", 0.05, { seeds: 3, std: 0.002, values: [0.048, 0.05, 0.052] }),
    ];
    expect(metricTableRows(rows, { withInterval: true })[0]).toMatchObject({ "hr@10": "0.1650 [0.1580, 0.1720]", "coverage@10": "0.0500", seeds: 3 });
    expect(metricTableRows(rows, { withStd: true })[0]).toMatchObject({ "hr@10": "0.1650 ± 0.0100", "coverage@10": "0.0500 ± 0.0020" });
    expect(metricTableRows(rows, { withStd: true, withInterval: true })[0]).toMatchObject({ "hr@10": "0.1650 ± 0.0100 [0.1580, 0.1720]" });
    expect(formatWithInterval(rows[0]!)).toBe("0.1650 [0.1580, 0.1720]");
    expect(formatWithInterval(rows[0]!, 3)).toBe("0.165 [0.158, 0.172]");
    expect(formatWithInterval(rows[1]!)).toBe("0.0500");
  });
});

describe("seedSpreadRows", () => {
  const rows = [
    row("temporal-full", "two-tower", "hr@1", 0.2, { seeds: 3, std: 0.1, values: [0.1, 0.2, 0.3] }),
    row("temporal-full", "two-tower", "hr@5", 0.3, { seeds: 3, std: 0.1, values: [0.2, 0.3, 0.4] }),
    row("temporal-full", "popularity", "hr@1", 0.15),
    row("loo-sampled-99", "two-tower", "mrr", 0.5, { seeds: 3, std: 0.2, values: [0.3, 0.5, 0.7] }),
    row("loo-sampled-99", "co-purchase", "mrr", 0.45),
    row("loo-sampled-99", "two-tower+prior" as ModelName, "mrr", 0.55, { seeds: 2, std: 0.1, values: [0.5, 0.6] }),
  ];

  it("keeps only the two-tower models' rows of the requested metrics, with one column per seed", () => {
    expect(seedSpreadRows(rows)).toEqual([
      { protocol: "temporal-full", model: "two-tower", metric: "hr@1", "seed 1": 0.1, "seed 2": 0.2, "seed 3": 0.3, mean: 0.2, std: 0.1 },
      { protocol: "loo-sampled-99", model: "two-tower", metric: "mrr", "seed 1": 0.3, "seed 2": 0.5, "seed 3": 0.7, mean: 0.5, std: 0.2 },
      { protocol: "loo-sampled-99", model: "two-tower+prior", metric: "mrr", "seed 1": 0.5, "seed 2": 0.6, mean: 0.55, std: 0.1 },
    ]);
  });

  it("honours an explicit metric list", () => {
    const out = seedSpreadRows(rows, ["hr@5"]);
    expect(out).toHaveLength(1);
    expect(out[0]).toEqual({ protocol: "temporal-full", model: "two-tower", metric: "hr@5", "seed 1": 0.2, "seed 2": 0.3, "seed 3": 0.4, mean: 0.3, std: 0.1 });
  });
});

describe("seedCountText", () => {
  const twoTower = (protocol: MetricRow["protocol"], seeds: number) => row(protocol, "two-tower", "hr@10", 0.5, { seeds, values: Array.from({ length: seeds }, () => 0.5) });
  it("says how many seeds the two-tower models ran, and which protocols ran fewer", () => {
    expect(seedCountText([twoTower("temporal-full", 5), twoTower("temporal-full-cold-start", 5), row("loo-sampled-99", "popularity", "hr@10", 0.4)])).toBe("5 seeds");
    expect(seedCountText([twoTower("temporal-full", 5), twoTower("loo-sampled-99", 5), twoTower("loo-sampled-99-leaky", 2)])).toBe("5 seeds (loo-sampled-99-leaky: 2)");
    expect(seedCountText([twoTower("loo-sampled-99", 1)])).toBe("1 seed");
  });
});

describe("lossCurveRows", () => {
  it("gives one row per epoch per protocol and seed, labelled by protocol and seed", () => {
    const epochs = (losses: number[]) => losses.map((loss, i) => ({ epoch: i + 1, loss, samples: 10, seconds: 0.1 }));
    const histories: TrainingHistory[] = [
      { protocol: "temporal-full", seed: 1, history: epochs([3, 2, 1]) },
      { protocol: "temporal-full", seed: 2, history: epochs([3.5, 2.5]) },
      { protocol: "loo-sampled-99", seed: 1, history: epochs([4]) },
    ];
    expect(lossCurveRows(histories)).toEqual([
      { epoch: 1, loss: 3, run: "temporal-full seed 1" },
      { epoch: 2, loss: 2, run: "temporal-full seed 1" },
      { epoch: 3, loss: 1, run: "temporal-full seed 1" },
      { epoch: 1, loss: 3.5, run: "temporal-full seed 2" },
      { epoch: 2, loss: 2.5, run: "temporal-full seed 2" },
      { epoch: 1, loss: 4, run: "loo-sampled-99 seed 1" },
    ]);
  });
});

describe("verdicts", () => {
  const N = 2000;
  /** Per-purchase values of a scorer that hits with probability p (every per-query metric equal to the hit, for simplicity). */
  const hits = (p: number, seed: string): number[] => {
    const rng = seedrandom(seed);
    return Array.from({ length: N }, () => (rng() < p ? 1 : 0));
  };
  /** The rows metricRows makes from per-purchase values, one array per seed; the hr@10 row (or `metric`). */
  const scored = (protocol: MetricRow["protocol"], model: string, seeds: number[][], metric: MetricName = "hr@10"): MetricRow => {
    const results: SeedScores[] = seeds.map((v) => {
      const m = v.reduce((s, x) => s + x, 0) / v.length;
      const perQuery = new Float64Array(v.length * PER_QUERY_METRICS.length);
      v.forEach((x, i) => perQuery.fill(x, i * PER_QUERY_METRICS.length, (i + 1) * PER_QUERY_METRICS.length));
      return { "hr@1": m, "hr@5": m, "hr@10": m, mrr: m, "ndcg@10": m, "coverage@10": 0.1, n: v.length, perQuery };
    });
    return metricRows(protocol, model as ModelName, results).find((r) => r.metric === metric)!;
  };
  const base = hits(0.2, "base");
  const rng = seedrandom("better");
  const better = base.map((v) => (v === 1 || rng() < 0.1 ? 1 : 0));
  const flip = seedrandom("flip");
  // base with the values of ~10% of neighbouring pairs swapped (same hits, other purchases), plus one more hit: ahead by 1/N
  const close = base.slice();
  for (let i = 0; i + 1 < N; i += 2) if (flip() < 0.1) [close[i], close[i + 1]] = [close[i + 1]!, close[i]!];
  close[close.indexOf(0)] = 1;

  it("says wins when the paired interval of the difference lies above 0, with the means, intervals and the difference", () => {
    const tower = scored("temporal-full", "two-tower", [better]);
    const pop = scored("temporal-full", "popularity", [base]);
    const rows = [tower, pop, scored("temporal-full", "co-purchase", [hits(0.1, "co")])];
    const [v] = verdicts(rows);
    const c = v!.comparisons[0]!;
    expect(v!.winner).toBe("two-tower");
    expect(c).toMatchObject({ model: "two-tower", baseline: "popularity", outcome: "wins" });
    expect(c.difference).toBeCloseTo(tower.mean - pop.mean, 12);
    expect(c.low).toBeGreaterThan(0);
    expect(c.high).toBeGreaterThan(c.difference);
    const f = (x: number) => `+${x.toFixed(4)}`;
    expect(v!.sentence).toBe(
      `**temporal-full** (2,000 purchases), hr@10: two-tower has the highest mean, ${formatWithInterval(tower)}; ` +
        `two-tower ${formatWithInterval(tower)} wins against popularity ${formatWithInterval(pop)}: difference ${f(c.difference)}, 95% interval [${f(c.low)}, ${f(c.high)}].`,
    );
    expect(v!.sentence).toMatch(/two-tower 0\.\d{4} \[0\.\d{4}, 0\.\d{4}\] wins against popularity 0\.\d{4} \[0\.\d{4}, 0\.\d{4}\]/);
  });

  it("says loses when the interval lies below 0", () => {
    const [v] = verdicts([scored("loo-sampled-99", "two-tower", [base]), scored("loo-sampled-99", "last-category", [better]), scored("loo-sampled-99", "popularity", [hits(0.2, "p")])]);
    expect(v!.winner).toBe("last-category");
    expect(v!.comparisons[0]).toMatchObject({ baseline: "last-category", outcome: "loses" });
    expect(v!.comparisons[0]!.high).toBeLessThan(0);
    expect(v!.sentence).toContain("hr@10: last-category has the highest mean");
    expect(v!.sentence).toMatch(/two-tower 0\.\d{4} \[.*\] loses to last-category .*: difference −0\.\d{4}, 95% interval \[−0\.\d{4}, −0\.\d{4}\]\.$/);
  });

  it("says level with when the interval includes 0, even when the two-tower mean is ahead", () => {
    const tower = scored("temporal-full", "two-tower", [close]);
    const pop = scored("temporal-full", "popularity", [base]);
    const [v] = verdicts([tower, pop]);
    const c = v!.comparisons[0]!;
    expect(c.outcome).toBe("level with");
    expect(c.low).toBeLessThanOrEqual(0);
    expect(c.high).toBeGreaterThanOrEqual(0);
    expect(v!.sentence).toContain("two-tower");
    expect(v!.sentence).toMatch(/is level with popularity .*, which includes 0\.$/);
    expect(v!.sentence).not.toMatch(/wins|loses/);
  });

  it("identical scorers tie for the highest mean and are level, difference interval [0, 0]", () => {
    const [v] = verdicts([scored("temporal-full-cold-start", "popularity", [base]), scored("temporal-full-cold-start", "two-tower", [base]), scored("temporal-full-cold-start", "co-purchase", [hits(0.1, "c")])]);
    expect(v!.winner).toBe("popularity, two-tower");
    expect(v!.comparisons[0]).toMatchObject({ outcome: "level with", difference: 0, low: 0, high: 0 });
    expect(v!.sentence).toContain("popularity, two-tower tie for the highest mean");
    expect(v!.sentence).toContain("95% interval [+0.0000, +0.0000], which includes 0");
  });

  it("compares every model whose name starts with two-tower with the best baseline", () => {
    const rows = [
      scored("temporal-full", "two-tower", [base]),
      scored("temporal-full", "two-tower+prior", [better]),
      scored("temporal-full", "popularity", [hits(0.1, "pop")]),
      scored("temporal-full", "last-category", [close]),
    ];
    const [v] = verdicts(rows);
    expect(v!.winner).toBe("two-tower+prior");
    expect(v!.comparisons.map((c) => [c.model, c.baseline, c.outcome])).toEqual([
      ["two-tower", "last-category", "level with"],
      ["two-tower+prior", "last-category", "wins"],
    ]);
    expect(v!.sentence).toMatch(/; two-tower 0\.\d{4} .* is level with last-category .*; two-tower\+prior 0\.\d{4} .* wins against last-category/);
  });

  it("averages a multi-seed model's per-purchase values over seeds before the paired bootstrap", () => {
    const a = scored("temporal-full", "two-tower", [better, base]);
    expect(a.seeds).toBe(2);
    expect(a.perQuery!).toHaveLength(N);
    expect(a.perQuery![0]).toBeCloseTo((better[0]! + base[0]!) / 2, 15);
    expect(a.ciLow).toBeLessThan(a.mean);
    expect(a.ciHigh).toBeGreaterThan(a.mean);
    const c = compareRows(a, scored("temporal-full", "popularity", [base]));
    expect(c.difference).toBeCloseTo(a.mean - base.reduce((s, x) => s + x, 0) / N, 12);
    expect(c.outcome).toBe("wins");
  });

  it("calls a model that ranks exactly as the baseline level with it, despite rounding in the seed average", () => {
    const reciprocal = Array.from({ length: N }, (_, k) => 1 / (1 + (k % 7)));
    const rounded = reciprocal.map((x) => (x * 3 + x + x) / 5 - 1e-16 * x); // five seeds' average, last bits off
    const c = compareRows(scored("temporal-full", "two-tower+prior", [rounded]), scored("temporal-full", "popularity", [reciprocal]));
    expect(c.high).toBeLessThanOrEqual(0);
    expect(c.outcome).toBe("level with");
  });

  it("is deterministic and honours the bootstrap seed", () => {
    const rows = [scored("temporal-full", "two-tower", [close]), scored("temporal-full", "popularity", [base])];
    expect(verdicts(rows)).toEqual(verdicts(rows));
    expect(verdicts(rows, "hr@10", { seed: "other" })[0]!.comparisons[0]!.low).not.toBe(verdicts(rows)[0]!.comparisons[0]!.low);
  });

  it("without per-purchase values (coverage@10, hand-made rows) gives the difference and says there is no interval", () => {
    const rows = [row("temporal-full", "two-tower", "coverage@10", 0.3), row("temporal-full", "popularity", "coverage@10", 0.01)];
    const [v] = verdicts(rows, "coverage@10");
    expect(v!.comparisons[0]).toMatchObject({ outcome: null, baseline: "popularity" });
    expect(v!.sentence).toBe(
      "**temporal-full** (100 purchases), coverage@10: two-tower has the highest mean, 0.3000; two-tower 0.3000 is ahead of popularity 0.0100 (difference +0.2900; no per-purchase values, so no interval).",
    );
  });

  it("judges each protocol on the requested metric only, in first-seen protocol order", () => {
    const rows = [
      // hr@10 says popularity has the highest mean in temporal-full, mrr says two-tower
      row("temporal-full", "popularity", "hr@10", 0.5),
      row("temporal-full", "two-tower", "hr@10", 0.4),
      row("temporal-full", "popularity", "mrr", 0.1),
      row("temporal-full", "two-tower", "mrr", 0.3),
      row("loo-sampled-99", "co-purchase", "mrr", 0.2),
      row("loo-sampled-99", "co-purchase", "hr@10", 0.9),
    ];
    expect(verdicts(rows).map((v) => [v.protocol, v.winner])).toEqual([
      ["temporal-full", "popularity"],
      ["loo-sampled-99", "co-purchase"],
    ]);
    const byMrr = verdicts(rows, "mrr");
    expect(byMrr.map((v) => [v.protocol, v.winner])).toEqual([
      ["temporal-full", "two-tower"],
      ["loo-sampled-99", "co-purchase"],
    ]);
    expect(byMrr[0]!.sentence).toContain("two-tower 0.3000 is ahead of popularity 0.1000 (difference +0.2000");
    // no two-tower row in loo-sampled-99: no comparison, the sentence just ends
    expect(byMrr[1]!.comparisons).toEqual([]);
    expect(byMrr[1]!.sentence).toBe("**loo-sampled-99** (100 purchases), mrr: co-purchase has the highest mean, 0.2000.");
  });

  describe("servingSummary", () => {
    const weights = (a: number, a0: number): TrainingHistory["hybrid"] => ({ warm: { twoTower: a, sameCategory: 1000, coPurchase: 0, priceLevel: 0.1 }, cold: { twoTower: a0 }, chosenOn: { warmQueries: 1, coldQueries: 1, warmObjective: 0, coldObjective: 0 } });
    const warmRows = (hybrid: number[]) => [scored("temporal-full", "two-tower+prior", [hybrid]), scored("temporal-full", "last-category", [base])];
    const coldRows = [scored("temporal-full-cold-start", "two-tower+prior", [base]), scored("temporal-full-cold-start", "popularity", [base])];

    it("names the served model, each group's outcome against its best baseline, and that a two-tower weight of 0 everywhere means the priors alone rank", () => {
      const text = servingSummary(verdicts([...warmRows(close), ...coldRows]), [1, 2].map(() => ({ protocol: "temporal-full" as const, hybrid: weights(0, 0) })));
      expect(text).toContain("**What `recommend` serves: two-tower+prior.**");
      expect(text).toMatch(/for returning customers it is level with last-category \(HR@10 difference \+0\.0005, 95% interval \[−0\.\d{4}, \+0\.\d{4}\]\)/);
      expect(text).toContain("for new customers it is level with popularity (HR@10 difference +0.0000");
      expect(text).toContain("Serving it costs nothing against the best baseline");
      expect(text).toContain("weight 0 in all 2 seeds");
    });

    it("says when it loses, and counts the seeds whose two-tower weight is above 0", () => {
      const worse = better.map((v, i) => (v === 1 && base[i] === 0 ? 0 : base[i]!)).map((v, i) => (i % 7 === 0 ? 0 : v));
      const text = servingSummary(verdicts([...warmRows(worse), ...coldRows]), [
        { protocol: "temporal-full", hybrid: weights(0.5, 0) },
        { protocol: "temporal-full", hybrid: weights(0, 0) },
        { protocol: "loo-sampled-99", hybrid: weights(1, 1) },
      ]);
      expect(text).toContain("for returning customers it loses to last-category");
      expect(text).toContain("It loses there");
      expect(text).toContain("a weight above 0 in 1 of 2 seeds for returning customers and 0 of 2 for new ones");
    });
  });
});

describe("projectTo2d", () => {
  const DIM = 5;
  const N = 300;

  function normal(rng: () => number): number {
    return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  }

  /** Orthonormal basis of R^5 from seeded random vectors (Gram-Schmidt): no axis-aligned shortcuts. */
  function basis(rng: () => number): number[][] {
    const out: number[][] = [];
    while (out.length < DIM) {
      const v = Array.from({ length: DIM }, () => normal(rng));
      for (const b of out) {
        const dot = v.reduce((s, x, i) => s + x * b[i]!, 0);
        for (let i = 0; i < DIM; i++) v[i]! -= dot * b[i]!;
      }
      const norm = Math.hypot(...v);
      out.push(v.map((x) => x / norm));
    }
    return out;
  }

  const rng = seedrandom("pca");
  const dirs = basis(rng);
  const offset = [3, -1, 7, 0.5, 2];
  // true coordinates: sd 10 along dirs[0], sd 3 along dirs[1], sd 0.001 along the rest
  const a = Array.from({ length: N }, () => 10 * normal(rng));
  const b = Array.from({ length: N }, () => 3 * normal(rng));
  const rest = Array.from({ length: N }, () => [0.001 * normal(rng), 0.001 * normal(rng), 0.001 * normal(rng)]);
  // one extra row (index N) far away: not among the projected rows, it must not matter
  const matrix = new Float32Array((N + 1) * DIM);
  for (let r = 0; r < N; r++) {
    for (let d = 0; d < DIM; d++) {
      matrix[r * DIM + d] = offset[d]! + a[r]! * dirs[0]![d]! + b[r]! * dirs[1]![d]! + rest[r]!.reduce((s, c, k) => s + c * dirs[2 + k]![d]!, 0);
    }
  }
  for (let d = 0; d < DIM; d++) matrix[N * DIM + d] = 1e4 * (d + 1);
  const rows = Array.from({ length: N }, (_, i) => i);

  const corr = (x: number[], y: number[]): number => {
    const mx = x.reduce((s, v) => s + v, 0) / x.length;
    const my = y.reduce((s, v) => s + v, 0) / y.length;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let i = 0; i < x.length; i++) {
      sxy += (x[i]! - mx) * (y[i]! - my);
      sxx += (x[i]! - mx) ** 2;
      syy += (y[i]! - my) ** 2;
    }
    return sxy / Math.sqrt(sxx * syy);
  };
  const variance = (x: number[]): number => {
    const m = x.reduce((s, v) => s + v, 0) / x.length;
    return x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1);
  };

  it("recovers the two leading directions, the first with the larger variance", () => {
    const points = projectTo2d(matrix, DIM, rows);
    expect(points).toHaveLength(N);
    const xs = points.map((p) => p.x);
    const ys = points.map((p) => p.y);
    expect(Math.abs(corr(xs, a))).toBeGreaterThan(0.999);
    expect(Math.abs(corr(ys, b))).toBeGreaterThan(0.999);
    expect(variance(xs)).toBeGreaterThan(variance(ys));
    // projections onto unit vectors keep the scale: variances close to the sample variances of a and b
    expect(variance(xs)).toBeCloseTo(variance(a), 0);
    expect(variance(ys)).toBeCloseTo(variance(b), 0);
    // centred
    expect(Math.abs(xs.reduce((s, v) => s + v, 0) / N)).toBeLessThan(1e-3);
    expect(Math.abs(ys.reduce((s, v) => s + v, 0) / N)).toBeLessThan(1e-3);
  });

  it("fixes each axis's sign by making the largest-magnitude loading positive", () => {
    const points = projectTo2d(matrix, DIM, rows);
    const signOfBiggest = (v: number[]) => Math.sign(v.reduce((best, x) => (Math.abs(x) > Math.abs(best) ? x : best), 0));
    expect(Math.sign(corr(points.map((p) => p.x), a))).toBe(signOfBiggest(dirs[0]!));
    expect(Math.sign(corr(points.map((p) => p.y), b))).toBe(signOfBiggest(dirs[1]!));
  });

  it("is deterministic and uses only the given rows", () => {
    const first = projectTo2d(matrix, DIM, rows);
    expect(projectTo2d(matrix, DIM, rows)).toEqual(first);
    // a projection of a subset is in the subset's order and has one point per row
    const subset = [5, 1, 3];
    expect(projectTo2d(matrix, DIM, subset)).toHaveLength(3);
    // the outlier row N changes everything when included
    const withOutlier = projectTo2d(matrix, DIM, [...rows, N]);
    expect(Math.abs(corr(withOutlier.slice(0, N).map((p) => p.x), a))).toBeLessThan(0.999);
  });
});

describe("itemEmbeddingMap (tiny fitted two-tower)", () => {
  let ds: Dataset;
  let fitted: FittedTwoTower;

  beforeAll(async () => {
    await initTensorflow();
    ds = buildDataset(syntheticRecommendInput({ users: 200, items: 90, categories: 12, seed: "report-map" }));
    fitted = await fitTwoTower(ds, temporalFullSplit(ds), resolveTwoTowerConfig({ epochs: 1, batchSize: 64, hiddenUnits: 16, embeddingDim: 8 }), "1");
  });

  it("shows only sold items, most sold first, at most `top` of them", () => {
    const sales = fitted.itemFeatures.sales;
    const sold = Array.from(sales).filter((s) => s > 0).length;
    // the fixture leaves some items unsold in training, so the filter matters
    expect(sold).toBeLessThan(ds.items.length);
    expect(sold).toBeGreaterThan(20);

    const all = itemEmbeddingMap(fitted, ds, 100_000, 8);
    expect(all).toHaveLength(sold);
    for (const p of all) {
      const item = ds.itemIndex.get(p.productId)!;
      expect(p.sales).toBe(sales[item]);
      expect(p.sales).toBeGreaterThan(0);
    }
    for (let k = 1; k < all.length; k++) expect(all[k - 1]!.sales).toBeGreaterThanOrEqual(all[k]!.sales);
    expect(new Set(all.map((p) => p.productId)).size).toBe(all.length);

    const top = itemEmbeddingMap(fitted, ds, 20, 8);
    expect(top).toHaveLength(20);
    expect(top.map((p) => p.productId)).toEqual(all.slice(0, 20).map((p) => p.productId));
    for (const p of top) for (const q of all.slice(20)) expect(p.sales).toBeGreaterThanOrEqual(q.sales);
  });

  it("labels at most `categories` categories, the most common among the shown items, the rest 'other'", () => {
    const points = itemEmbeddingMap(fitted, ds, 100_000, 3);
    const shown = new Set(points.map((p) => p.category).filter((c) => c !== "other"));
    expect(shown.size).toBe(3);
    expect(points.some((p) => p.category === "other")).toBe(true);
    // counts of the true categories among the points
    const counts = new Map<string, number>();
    for (const p of points) {
      const c = ds.items[ds.itemIndex.get(p.productId)!]!.category;
      counts.set(c, (counts.get(c) ?? 0) + 1);
      if (p.category !== "other") expect(p.category).toBe(c);
    }
    const minShown = Math.min(...[...shown].map((c) => counts.get(c)!));
    for (const [c, n] of counts) if (!shown.has(c)) expect(n).toBeLessThanOrEqual(minShown);
  });

  it("places the points at the 2-D projection of the item embeddings", () => {
    const points = itemEmbeddingMap(fitted, ds, 30, 8);
    const rows = points.map((p) => ds.itemIndex.get(p.productId)!);
    const projected = projectTo2d(fitted.itemEmbeddings, 8, rows);
    expect(points.map(({ x, y }) => ({ x, y }))).toEqual(projected);
    for (const p of points) expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
  });
});

describe("exampleRecommendations", () => {
  /** Scores every catalogue item by `score(item)`; records the queries it was asked about. */
  function fakeScorer(nItems: number, score: (item: number) => number): Scorer & { seen: EvalQuery[] } {
    const seen: EvalQuery[] = [];
    return {
      name: "popularity",
      seen,
      scoreBatch(queries) {
        seen.push(...queries);
        return queries.map(() => Float32Array.from({ length: nItems }, (_, i) => score(i)));
      },
    };
  }

  // items sort by id: 0 a-toy (toys), 1 b-book, 2 c-book (books), 3 d-garden (garden), 4 e-toy (toys)
  const tiny = buildDataset(
    tinyInput([
      recOrder("o1", "u1", 1, ["a-toy"]),
      recOrder("o2", "u1", 2, ["b-book"]),
      recOrder("o3", "u1", 10, ["d-garden"]),
      recOrder("o4", "u2", 11, ["e-toy"]),
      recOrder("o5", "u3", 3, ["c-book"]),
      recOrder("o6", "u3", 12, ["a-toy"]),
    ]),
  );
  const split = temporalFullSplit(tiny, { cutoff: day(5) });

  it("reports history, purchase, rank and the top 10 for warm and cold-start users", () => {
    const scorer = fakeScorer(5, (i) => i);
    const examples = exampleRecommendations(scorer, tiny, split.queries);
    expect(examples).toEqual([
      {
        user: "u1",
        kind: "returning customer",
        history: "toys, books",
        purchased: "garden (d-garden…)",
        rankOfPurchase: 2, // only e-toy (4) scores above d-garden (3)
        top10: "toys, **garden**, books, books, toys",
      },
      {
        user: "u3",
        kind: "returning customer",
        history: "books",
        purchased: "toys (a-toy…)",
        rankOfPurchase: 5,
        top10: "toys, garden, books, books, **toys**",
      },
      {
        user: "u2",
        kind: "cold-start",
        history: "(none)",
        purchased: "toys (e-toy…)",
        rankOfPurchase: 1,
        top10: "**toys**, garden, books, books, toys",
      },
    ]);
    // warm queries first, then one cold-start one
    expect(scorer.seen.map((q) => tiny.userIds[q.user])).toEqual(["u1", "u3", "u2"]);
  });

  it("counts only strictly higher scores for the rank (ties do not push the purchase down)", () => {
    const examples = exampleRecommendations(fakeScorer(5, () => 1), tiny, split.queries);
    expect(examples.map((e) => e.rankOfPurchase)).toEqual([1, 1, 1]);
  });

  it("on a larger catalogue: 1 + items scoring higher, bold only when the purchase is in the top 10, count-1 warm + 1 cold", () => {
    const ds = buildDataset(syntheticRecommendInput({ users: 200, items: 90, categories: 12, seed: "report-examples" }));
    const queries = temporalFullSplit(ds).queries;
    expect(queries.some((q) => q.coldStart)).toBe(true);
    expect(queries.filter((q) => !q.coldStart).length).toBeGreaterThanOrEqual(5);
    const score = (i: number) => (i * 7) % 13; // many ties
    const scorer = fakeScorer(ds.items.length, score);
    const examples = exampleRecommendations(scorer, ds, queries, 6);
    expect(examples.map((e) => e.kind)).toEqual([...Array(5).fill("returning customer"), "cold-start"]);
    examples.forEach((e, k) => {
      const q = scorer.seen[k]!;
      expect(e.user).toBe(ds.userIds[q.user]);
      let higher = 0;
      for (let i = 0; i < ds.items.length; i++) if (score(i) > score(q.target)) higher++;
      expect(e.rankOfPurchase).toBe(1 + higher);
      expect(e.top10.split(", ")).toHaveLength(10);
      // top 10 items: score 12 first (lowest index first), ...; the target is bold exactly when it is among them
      const order = Array.from({ length: ds.items.length }, (_, i) => i).sort((x, y) => score(y) - score(x) || x - y);
      const top = order.slice(0, 10);
      expect(e.top10.includes("**")).toBe(top.includes(q.target));
      expect(e.top10.replaceAll("**", "")).toBe(top.map((i) => ds.items[i]!.category).join(", "));
      if (e.kind === "cold-start") expect(e.history).toBe("(none)");
      else expect(e.history).not.toBe("(none)");
    });
  });

  it("skips sampled-candidate queries and returns nothing without full-catalogue queries", () => {
    const withCandidates = split.queries.map((q) => ({ ...q, candidates: Int32Array.from([q.target, 0]) }));
    expect(exampleRecommendations(fakeScorer(5, (i) => i), tiny, withCandidates)).toEqual([]);
  });
});
