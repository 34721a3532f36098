import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { binShares, ksStatistic, ksTest, psi, quantileCutPoints } from "../src/monitor/index.js";

function normals(n: number, mean: number, seed: string): number[] {
  const rng = seedrandom(seed);
  return Array.from({ length: n }, () => mean + Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng()));
}

describe("psi", () => {
  const base = normals(5000, 0, "a");
  it("is 0 for identical samples", () => {
    expect(psi(base, [...base])).toBe(0);
  });
  it("is small for two samples of the same distribution", () => {
    expect(psi(base, normals(5000, 0, "b"))).toBeLessThan(0.02);
  });
  it("is above 0.25 for a one-sd shift", () => {
    expect(psi(base, normals(5000, 1, "c"))).toBeGreaterThan(0.25);
  });
  it("matches a hand computation with epsilon for the empty bin", () => {
    // baseline 1..4 in 2 bins: cut at the median 2.5; shares 0.5 / 0.5. Current all in the upper bin: 0 -> 1e-4.
    expect(quantileCutPoints([1, 2, 3, 4], 2)).toEqual([2.5]);
    expect(binShares([3, 4, 5, 6], [2.5])).toEqual([0, 1]);
    const expected = (1e-4 - 0.5) * Math.log(1e-4 / 0.5) + (1 - 0.5) * Math.log(1 / 0.5);
    expect(psi([1, 2, 3, 4], [3, 4, 5, 6], { bins: 2 })).toBeCloseTo(expected, 12);
  });
  it("merges repeated cut points of a discrete feature", () => {
    // sorted 1,3,4,5,5,5,5,5,5,5; type-7 quantile at k/10 sits at index 0.9k: 2.8, 3.8, 4.7, then 5 six times -> one cut
    const cuts = quantileCutPoints([5, 5, 5, 5, 5, 5, 5, 4, 3, 1], 10);
    expect(cuts).toHaveLength(4);
    [2.8, 3.8, 4.7, 5].forEach((c, i) => expect(cuts[i]).toBeCloseTo(c, 12));
  });
  it("refuses cut points of a baseline with no finite value (a NaN cut would put every value in one bin)", () => {
    expect(() => quantileCutPoints([], 4)).toThrow("quantileCutPoints: the baseline has no finite value");
    expect(() => quantileCutPoints([Number.NaN, Number.POSITIVE_INFINITY], 4)).toThrow(/no finite value/);
  });
});

describe("ks", () => {
  it("is 0 for identical samples", () => {
    const x = normals(1000, 0, "d");
    expect(ksStatistic(x, [...x].reverse())).toBe(0);
    expect(ksTest(x, x).pValue).toBeCloseTo(1, 6);
  });
  it("is 1 for disjoint samples, with a tiny p-value", () => {
    const r = ksTest([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(r.d).toBe(1);
    expect(r.pValue).toBeLessThan(1e-3);
  });
  it("matches a hand example with ties", () => {
    // F_x at 1,2,3,4,5: 1/3, 2/3, 1, 1, 1; F_y: 0, 1/4, 2/4, 3/4, 1 -> max gap 1/2 at 3 (scipy ks_2samp: 0.5)
    expect(ksStatistic([1, 2, 3], [2, 3, 4, 5])).toBeCloseTo(0.5, 12);
  });
  it("flags a shift with a small p-value", () => {
    const r = ksTest(normals(2000, 0, "e"), normals(2000, 0.5, "f"));
    expect(r.d).toBeGreaterThan(0.15);
    expect(r.pValue).toBeLessThan(1e-6);
  });
});
