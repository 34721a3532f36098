import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { adjustedRandIndex, bootstrapAri, bootstrapAriRange, referenceShiftStability, segmentConfig, type RfmOrder } from "../src/segment/index.js";

function normal(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

describe("adjustedRandIndex", () => {
  it("is 1 for identical partitions and for a relabelling", () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2, 2], [0, 0, 1, 1, 2, 2])).toBe(1);
    expect(adjustedRandIndex([0, 0, 1, 1, 2, 2], [2, 2, 0, 0, 1, 1])).toBe(1);
    expect(adjustedRandIndex([0, 0, 1, 1], ["b", "b", "a", "a"])).toBe(1);
  });

  it("matches known values (scikit-learn's documented examples)", () => {
    // adjusted_rand_score([0, 0, 1, 1], [0, 0, 1, 2]) = 4/7
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(4 / 7, 12);
    expect(adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1])).toBeCloseTo(4 / 7, 12);
    // one cluster vs all singletons: 0
    expect(adjustedRandIndex([0, 0, 0, 0], [0, 1, 2, 3])).toBe(0);
    // crossing partitions: -0.5
    expect(adjustedRandIndex([0, 1, 0, 1], [0, 0, 1, 1])).toBeCloseTo(-0.5, 12);
    // degenerate: both one cluster -> 1
    expect(adjustedRandIndex([1, 1, 1], [2, 2, 2])).toBe(1);
  });

  it("is ~0 for independent labelings", () => {
    const rng = seedrandom("ari");
    const a = Array.from({ length: 20_000 }, () => Math.floor(rng() * 4));
    const b = Array.from({ length: 20_000 }, () => Math.floor(rng() * 5));
    expect(Math.abs(adjustedRandIndex(a, b))).toBeLessThan(0.01);
  });

  it("rejects labelings of different lengths", () => {
    expect(() => adjustedRandIndex([0], [0, 1])).toThrow(RangeError);
  });
});

describe("bootstrapAri", () => {
  it("is ~1 on well-separated blobs and reproducible for a seed", () => {
    const rng = seedrandom("boot-blobs");
    const centres = [[0, 0], [8, 0], [0, 8], [8, 8]];
    const points = centres.flatMap((c) => Array.from({ length: 100 }, () => c.map((x) => x + 0.5 * normal(rng))));
    const result = bootstrapAri(points, 4, { seed: 5, resamples: 20 });
    expect(result.values).toHaveLength(20);
    expect(result.resamples).toBe(20);
    expect(result.min).toBeGreaterThan(0.99);
    expect(result.mean).toBeCloseTo(result.values.reduce((s, v) => s + v, 0) / 20, 12);
    expect(bootstrapAri(points, 4, { seed: 5, resamples: 3 }).values).toEqual(bootstrapAri(points, 4, { seed: 5, resamples: 3 }).values);
  });

  it("bootstrapAriRange: one resample stream for every k, each k the same as bootstrapAri at that k", () => {
    const rng = seedrandom("boot-range");
    const centres = [[0, 0], [6, 0], [0, 6]];
    const points = centres.flatMap((c) => Array.from({ length: 60 }, () => c.map((x) => x + 0.7 * normal(rng))));
    const range = bootstrapAriRange(points, 2, 5, { seed: "r", resamples: 4 });
    expect(range.map((b) => b.k)).toEqual([2, 3, 4, 5]);
    expect(range[1]).toEqual(bootstrapAri(points, 3, { seed: "r", resamples: 4 }));
    expect(range[1]!.min).toBeGreaterThan(0.95);
  });

  it("is clearly below 1 when k does not match the structure (one blob, k = 6)", () => {
    const rng = seedrandom("boot-one");
    const points = Array.from({ length: 400 }, () => [normal(rng), normal(rng), normal(rng)]);
    const result = bootstrapAri(points, 6, { seed: 5, resamples: 10 });
    expect(result.mean).toBeLessThan(0.95);
  });
});

describe("referenceShiftStability", () => {
  // Days from 2018-01-01, purchases at noon UTC, revenue 10 each.
  const day = (d: number): Date => new Date(Date.UTC(2018, 0, 1) + d * 86_400_000 + 12 * 3_600_000);
  const plan: Record<string, number[]> = {
    A: [60, 65, 68, 69],
    B: [50, 55, 60],
    C: [40, 45],
    D: [30],
    E: [20, 100],
    F: [90], // only after the shifted date: not compared
  };
  const orders: RfmOrder[] = Object.entries(plan).flatMap(([id, days]) =>
    days.map((d, i) => ({ customerUniqueId: id, orderId: `${id}${i}`, purchase: day(d), revenue: 10 })),
  );

  it("hand-worked example: 2 of 5 customers keep their segment", () => {
    // Reference R = 2018-01-01 + 101 days = 2018-04-12 (day after the last purchase, day 100); shifted S = R - 30 = day 71.
    // At R (6 customers): R scores E5 F5 A4 B3 C2 D1; F scores D1 F1 C2 E3 B4 A5 ->
    //   A (4,5) Loyal, B (3,4) Loyal, C (2,2) Hibernating, D (1,1) Hibernating, E (5,3) Potential Loyalists, F (5,1) New.
    // At S (orders before day 71; 5 customers, E has one order): R scores A5 B4 C3 D2 E1; F scores D1 E2 C3 B4 A5 ->
    //   A (5,5) Champions, B (4,4) Loyal, C (3,3) Need Attention, D (2,1) Hibernating, E (1,2) Hibernating.
    // Kept: B, D -> 2 / 5.
    const result = referenceShiftStability(orders, segmentConfig());
    expect(result.referenceDate.toISOString()).toBe("2018-04-12T00:00:00.000Z");
    expect(result.shiftedDate.toISOString()).toBe("2018-03-13T00:00:00.000Z");
    expect(result.shiftDays).toBe(30);
    expect(result.customersAtReference).toBe(6);
    expect(result.customersAtShifted).toBe(5);
    expect(result.customersCompared).toBe(5);
    expect(result.kept).toBe(2);
    expect(result.share).toBeCloseTo(0.4, 12);
  });

  it("no shift keeps everyone; an explicit config reference date is used", () => {
    expect(referenceShiftStability(orders, segmentConfig(), 0).share).toBe(1);
    const r = referenceShiftStability(orders, segmentConfig({ referenceDate: "2018-06-01" }), 30);
    expect(r.referenceDate.toISOString()).toBe("2018-06-01T00:00:00.000Z");
    expect(r.shiftedDate.toISOString()).toBe("2018-05-02T00:00:00.000Z");
    expect(r.customersCompared).toBe(6);
  });

  it("throws when no customer is present at both dates", () => {
    expect(() => referenceShiftStability(orders, segmentConfig(), 200)).toThrow(/no customer/);
  });
});
