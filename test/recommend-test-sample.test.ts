import { describe, expect, it } from "vitest";
import { sampleCatalogueQueries } from "../src/recommend/test-sample.js";
import type { EvalQuery, ProtocolSplit } from "../src/recommend/types.js";

const query = (k: number, coldStart: boolean, candidates: Int32Array | null = null): EvalQuery => ({ user: k, target: k % 7, time: k, knownBefore: 0, candidates, coldStart });

/** `warm` returning-customer queries, then `cold` cold-start ones (users numbered in list order). */
function split(warm: number, cold: number, sampledCandidates = false): ProtocolSplit {
  const queries = Array.from({ length: warm + cold }, (_, k) => query(k, k >= warm, sampledCandidates ? Int32Array.of(1, 2) : null));
  return { protocol: sampledCandidates ? "loo-sampled-99" : "temporal-full", description: "d", train: Int32Array.of(0), queries, userFeatureView: "point-in-time" };
}

describe("sampleCatalogueQueries", () => {
  it("cuts each full-catalogue group above the maximum to a uniform sample, in the original order", () => {
    const whole = split(40, 300);
    const { split: cut, sample } = sampleCatalogueQueries(whole, 100, "s");
    expect(cut.queries.filter((q) => !q.coldStart)).toHaveLength(40);
    expect(cut.queries.filter((q) => q.coldStart)).toHaveLength(100);
    const users = cut.queries.map((q) => q.user);
    expect(users).toEqual([...users].sort((a, b) => a - b));
    expect(new Set(users).size).toBe(140);
    for (const q of cut.queries) expect(whole.queries).toContain(q);
    expect(sample).toEqual({ purchases: 340, coldStartPurchases: 300, sampled: '100 of 300 cold-start purchases evaluated (a uniform sample, seed "s/temporal-full")' });
    expect(cut.train).toBe(whole.train);
  });

  it("draws the same purchases for the same seed and others for another; spreads them over the whole window", () => {
    const whole = split(10, 2000);
    const users = (seed: string) => sampleCatalogueQueries(whole, 200, seed).split.queries.filter((q) => q.coldStart).map((q) => q.user);
    expect(users("a")).toEqual(users("a"));
    expect(users("a")).not.toEqual(users("b"));
    const picked = users("a");
    const firstHalf = picked.filter((u) => u < 1010).length;
    expect(firstHalf).toBeGreaterThan(70);
    expect(firstHalf).toBeLessThan(130);
  });

  it("leaves a split alone when no group is above the maximum, and sampled-candidate queries always", () => {
    const small = split(20, 30);
    expect(sampleCatalogueQueries(small, 30, "s")).toEqual({ split: small, sample: { purchases: 50, coldStartPurchases: 30, sampled: null } });
    const loo = split(500, 0, true);
    expect(sampleCatalogueQueries(loo, 10, "s").split).toBe(loo);
  });

  it("rejects a maximum that is not a positive integer", () => {
    expect(() => sampleCatalogueQueries(split(1, 1), 0, "s")).toThrow(/positive integer/);
    expect(() => sampleCatalogueQueries(split(1, 1), 2.5, "s")).toThrow(/positive integer/);
  });
});
