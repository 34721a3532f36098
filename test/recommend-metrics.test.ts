import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import {
  expectedHitRate,
  expectedNdcg,
  expectedReciprocalRank,
  harmonicNumber,
  METRIC_NAMES,
  PER_QUERY_METRICS,
  rankStats,
  rankStatsAndTopK,
  RankingAccumulator,
  topK,
} from "../src/recommend/metrics.js";

const f32 = (values: number[]): Float32Array => Float32Array.from(values);

function exactHarmonicRange(first: number, last: number): number {
  let sum = 0;
  for (let r = last; r >= first; r--) sum += 1 / r;
  return sum;
}

describe("rankStats and the expected metrics", () => {
  it("scores one ranking without ties", () => {
    // [0.9, 0.5, 0.7, 0.1], target 0.7 at position 2: only 0.9 is higher, so rank 2.
    const stats = rankStats(f32([0.9, 0.5, 0.7, 0.1]), 2);
    expect(stats).toEqual({ greater: 1, ties: 0 });
    expect(expectedHitRate(1, stats)).toBe(0);
    expect(expectedHitRate(5, stats)).toBe(1);
    expect(expectedReciprocalRank(stats)).toBe(0.5);
    // DCG of rank 2 = 1 / log2(3); ideal DCG = 1.
    expect(expectedNdcg(10, stats)).toBeCloseTo(1 / Math.log2(3), 12);
    // Rank 2 is outside the top 1.
    expect(expectedNdcg(1, stats)).toBe(0);
  });

  it("scores the top-ranked target as perfect", () => {
    const stats = rankStats(f32([0.1, 0.95, 0.3]), 1);
    expect(stats).toEqual({ greater: 0, ties: 0 });
    expect(expectedHitRate(1, stats)).toBe(1);
    expect(expectedReciprocalRank(stats)).toBe(1);
    expect(expectedNdcg(10, stats)).toBe(1);
  });

  it("gives a model that scores everything equally the metrics of a random ranking", () => {
    // 100 equal scores: the target's rank is uniform over 1..100.
    const stats = rankStats(new Float32Array(100).fill(0.25), 37);
    expect(stats).toEqual({ greater: 0, ties: 99 });
    expect(expectedHitRate(1, stats)).toBeCloseTo(0.01, 15);
    expect(expectedHitRate(10, stats)).toBeCloseTo(0.1, 15);
    // mrr = (1/1 + 1/2 + ... + 1/100) / 100 = H(100) / 100 ≈ 5.18737751763962 / 100.
    expect(expectedReciprocalRank(stats)).toBeCloseTo(5.18737751763962 / 100, 14);
    // ndcg@10 = (Σ_{r=1..10} 1/log2(r+1)) / 100.
    let dcg = 0;
    for (let r = 1; r <= 10; r++) dcg += 1 / Math.log2(r + 1);
    expect(expectedNdcg(10, stats)).toBeCloseTo(dcg / 100, 14);
  });

  it("averages over a partial tie", () => {
    // [0.8, 0.5, 0.5, 0.5, 0.2], target at 2: one higher, two others tied, rank uniform over {2, 3, 4}.
    const stats = rankStats(f32([0.8, 0.5, 0.5, 0.5, 0.2]), 2);
    expect(stats).toEqual({ greater: 1, ties: 2 });
    expect(expectedHitRate(1, stats)).toBe(0);
    expect(expectedHitRate(2, stats)).toBeCloseTo(1 / 3, 15);
    expect(expectedHitRate(3, stats)).toBeCloseTo(2 / 3, 15);
    expect(expectedHitRate(5, stats)).toBe(1);
    // (1/2 + 1/3 + 1/4) / 3 = 13/36.
    expect(expectedReciprocalRank(stats)).toBeCloseTo(13 / 36, 15);
    // ndcg@3: ranks 2 and 3 count, rank 4 does not: (1/log2 3 + 1/log2 4) / 3.
    expect(expectedNdcg(3, stats)).toBeCloseTo((1 / Math.log2(3) + 0.5) / 3, 15);
  });

  it("treats NaN as -Infinity", () => {
    // A NaN competitor is below the target 0.1; 0.3 is above; -Infinity is below.
    expect(rankStats(f32([Number.NaN, 0.3, Number.NEGATIVE_INFINITY, 0.1]), 3)).toEqual({ greater: 1, ties: 0 });
    // A NaN target: 0.2 is above; the other NaN and -Infinity tie with it; rank uniform over 2..4.
    const stats = rankStats(f32([0.2, Number.NaN, Number.NaN, Number.NEGATIVE_INFINITY]), 1);
    expect(stats).toEqual({ greater: 1, ties: 2 });
    expect(expectedReciprocalRank(stats)).toBeCloseTo(13 / 36, 15);
    // All NaN: a random ranking of 3.
    expect(rankStats(f32([Number.NaN, Number.NaN, Number.NaN]), 0)).toEqual({ greater: 0, ties: 2 });
  });

  it("rejects a target position outside the scores", () => {
    expect(() => rankStats(f32([1, 2]), 2)).toThrow(RangeError);
    expect(() => rankStats(f32([1, 2]), -1)).toThrow(RangeError);
  });

  it("matches the exact sum with the harmonic approximation for large ties", () => {
    for (const stats of [
      { greater: 0, ties: 1001 },
      { greater: 0, ties: 5000 },
      { greater: 3, ties: 20_000 },
      { greater: 999, ties: 1500 },
      { greater: 100_000, ties: 1001 },
      { greater: 42, ties: 1_000_000 },
    ]) {
      const exact = exactHarmonicRange(stats.greater + 1, stats.greater + stats.ties + 1) / (stats.ties + 1);
      const approx = expectedReciprocalRank(stats);
      expect(Math.abs(approx - exact) / exact).toBeLessThan(1e-9);
    }
    for (const n of [1001, 1234, 50_000]) {
      expect(Math.abs(harmonicNumber(n) - exactHarmonicRange(1, n)) / exactHarmonicRange(1, n)).toBeLessThan(1e-12);
    }
    expect(harmonicNumber(0)).toBe(0);
    expect(harmonicNumber(4)).toBeCloseTo(25 / 12, 15);
  });

  it("loops over at most k ranks for ndcg with many ties", () => {
    // 1e9 ties: the top-10 share is (Σ_{r=1..10} 1/log2(r+1)) / (1e9 + 1).
    let dcg = 0;
    for (let r = 1; r <= 10; r++) dcg += 1 / Math.log2(r + 1);
    expect(expectedNdcg(10, { greater: 0, ties: 1e9 })).toBeCloseTo(dcg / (1e9 + 1), 20);
    expect(expectedNdcg(10, { greater: 10, ties: 1e9 })).toBe(0);
  });
});

describe("topK", () => {
  it("orders by score, highest first, ties by lower position, NaN last", () => {
    const scores = f32([0.1, 0.9, 0.5, 0.9, Number.NaN, 0.5]);
    expect(Array.from(topK(scores, 3))).toEqual([1, 3, 2]);
    expect(Array.from(topK(scores, 1))).toEqual([1]);
    // Fewer scores than k: everything, the NaN last.
    expect(Array.from(topK(scores, 10))).toEqual([1, 3, 2, 5, 0, 4]);
    expect(topK(scores, 0)).toHaveLength(0);
  });

  it("puts NaN below -Infinity", () => {
    expect(Array.from(topK(f32([Number.NaN, Number.NEGATIVE_INFINITY]), 1))).toEqual([1]);
    expect(Array.from(topK(f32([Number.NaN, 2, Number.NaN, 1]), 3))).toEqual([1, 3, 0]);
  });

  it("agrees with a full sort on random scores with many ties", () => {
    let seed = 7;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const scores = Float32Array.from({ length: 5000 }, () => Math.floor(next() * 50) / 50);
    const expected = Array.from(scores.keys())
      .sort((a, b) => scores[b]! - scores[a]! || a - b)
      .slice(0, 10);
    expect(Array.from(topK(scores, 10))).toEqual(expected);
  });
});

describe("RankingAccumulator", () => {
  it("gives a score vector shared by many queries the same values as a fresh copy per query (ties, NaN, -Infinity)", () => {
    const rng = seedrandom("shared");
    const n = 3000;
    // few distinct values (popularity-like ties), some NaN and -Infinity
    const shared = Float32Array.from({ length: n }, () => {
      const u = rng();
      return u < 0.03 ? Number.NaN : u < 0.05 ? Number.NEGATIVE_INFINITY : Math.floor(20 * rng() ** 4);
    });
    const viaShared = new RankingAccumulator(n);
    const viaCopies = new RankingAccumulator(n);
    for (let q = 0; q < 400; q++) {
      const target = Math.floor(rng() * n);
      viaShared.add(shared, target, null);
      viaCopies.add(shared.slice(), target, null);
    }
    expect(Array.from(viaShared.outcomes())).toEqual(Array.from(viaCopies.outcomes()));
    expect(viaShared.result()).toEqual(viaCopies.result());
    expect(() => viaShared.add(shared, n, null)).toThrow(RangeError);
  });

  it("averages the metrics and counts distinct top-10 items through the candidates", () => {
    const acc = new RankingAccumulator(20);
    // Query 1: items [10, 11, 12, 13], target item 12 at rank 2: hr@1 0, hr@5 1, rr 1/2, ndcg 1/log2 3.
    acc.add(f32([0.9, 0.5, 0.7, 0.1]), 2, Int32Array.from([10, 11, 12, 13]));
    // Query 2: items [13, 5, 10], target item 5 ranked first: every metric 1.
    acc.add(f32([0.2, 0.9, 0.1]), 1, Int32Array.from([13, 5, 10]));
    expect(acc.count).toBe(2);
    const r = acc.result();
    expect(r.n).toBe(2);
    expect(r["hr@1"]).toBe(0.5);
    expect(r["hr@5"]).toBe(1);
    expect(r["hr@10"]).toBe(1);
    expect(r.mrr).toBe(0.75);
    expect(r["ndcg@10"]).toBeCloseTo((1 / Math.log2(3) + 1) / 2, 15);
    // Items in some top 10: {10, 11, 12, 13} ∪ {13, 5, 10} = 5 of 20.
    expect(r["coverage@10"]).toBe(0.25);
    expect(Object.keys(r).sort()).toEqual([...METRIC_NAMES, "n"].sort());
  });

  it("uses positions as item indices for full-catalogue scores", () => {
    const acc = new RankingAccumulator(40);
    // Scores fall with the index: the top 10 are items 0..9; target item 12 is at rank 13.
    const scores = Float32Array.from({ length: 40 }, (_, i) => 40 - i);
    acc.add(scores, 12, null);
    // Reversed: the top 10 are items 39..30; target item 39 ranked first.
    acc.add(scores.slice().reverse(), 39, null);
    const r = acc.result();
    expect(r["hr@10"]).toBe(0.5);
    expect(r.mrr).toBeCloseTo((1 / 13 + 1) / 2, 15);
    expect(r["coverage@10"]).toBe(0.5);
  });

  it("keeps each query's values of the per-query metrics, whose column means are the reported means", () => {
    const acc = new RankingAccumulator(20);
    acc.add(f32([0.9, 0.5, 0.7, 0.1]), 2, Int32Array.from([10, 11, 12, 13]));
    acc.add(f32([0.2, 0.9, 0.1]), 1, Int32Array.from([13, 5, 10]));
    // ties: [0.5, 0.5], target at 0: rank 1 or 2
    acc.add(f32([0.5, 0.5]), 0, Int32Array.from([1, 2]));
    expect(PER_QUERY_METRICS).toEqual(["hr@1", "hr@5", "hr@10", "mrr", "ndcg@10"]);
    const out = acc.outcomes();
    expect(out).toBeInstanceOf(Float64Array);
    expect(out).toHaveLength(3 * 5);
    expect(Array.from(out.subarray(0, 5))).toEqual([0, 1, 1, 0.5, 1 / Math.log2(3)]);
    expect(Array.from(out.subarray(5, 10))).toEqual([1, 1, 1, 1, 1]);
    expect(Array.from(out.subarray(10, 15))).toEqual([0.5, 1, 1, 0.75, (1 + 1 / Math.log2(3)) / 2]);
    const r = acc.result();
    PER_QUERY_METRICS.forEach((m, c) => expect(r[m]).toBeCloseTo((out[c]! + out[5 + c]! + out[10 + c]!) / 3, 15));
    // grows past its initial capacity, keeps the order
    const many = new RankingAccumulator(5);
    for (let i = 0; i < 300; i++) many.add(f32([i % 2, 0.5]), 0, null);
    const values = many.outcomes();
    expect(values).toHaveLength(1500);
    for (let i = 0; i < 300; i++) expect(values[i * 5]).toBe(i % 2);
  });

  it("reports NaN means and zero coverage when empty", () => {
    const r = new RankingAccumulator(100).result();
    expect(r.n).toBe(0);
    expect(r["hr@1"]).toBeNaN();
    expect(r.mrr).toBeNaN();
    expect(r["ndcg@10"]).toBeNaN();
    expect(r["coverage@10"]).toBe(0);
    expect(new RankingAccumulator(100).outcomes()).toHaveLength(0);
  });

  it("rejects scores and candidates of different lengths and items outside the catalogue", () => {
    const acc = new RankingAccumulator(5);
    expect(() => acc.add(f32([1, 2]), 0, Int32Array.from([1]))).toThrow(RangeError);
    expect(() => acc.add(f32([1, 2]), 0, Int32Array.from([1, 5]))).toThrow(RangeError);
    // A rejected query leaves the accumulator as it was.
    expect(acc.count).toBe(0);
    expect(acc.result()["coverage@10"]).toBe(0);
  });
});

// rankStats and topK take fast paths for the usual finite scores; this checks them against a plain
// sort on scores full of ties, NaN and infinities.
describe("rankStats, topK and rankStatsAndTopK against a sort", () => {
  const pool = [Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, -1, 0, 0.5, 2];
  const key = (s: number): number => (Number.isNaN(s) ? -Infinity : s);
  const outranks = (a: number, b: number): boolean => (Number.isNaN(b) ? !Number.isNaN(a) : a > b);
  it("agree on 2,000 random score vectors", () => {
    let state = 7;
    const next = (n: number): number => ((state = (state * 1103515245 + 12345) % 2147483648), state % n);
    for (let trial = 0; trial < 2000; trial++) {
      const scores = f32(Array.from({ length: 1 + next(30) }, () => pool[next(pool.length)]!));
      const target = next(scores.length);
      const t = key(scores[target]!);
      const others = Array.from(scores).filter((_, i) => i !== target).map(key);
      expect(rankStats(scores, target)).toEqual({ greater: others.filter((s) => s > t).length, ties: others.filter((s) => s === t).length });
      const k = 1 + next(12);
      const sorted = Array.from(scores.keys()).sort((a, b) => (outranks(scores[a]!, scores[b]!) ? -1 : outranks(scores[b]!, scores[a]!) ? 1 : a - b));
      expect(Array.from(topK(scores, k))).toEqual(sorted.slice(0, k));
      const both = rankStatsAndTopK(scores, target, k);
      expect(both.stats).toEqual(rankStats(scores, target));
      expect(Array.from(both.top)).toEqual(sorted.slice(0, k));
    }
  });
});
