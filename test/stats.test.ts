import { describe, expect, it } from "vitest";
import { mean, median, quantileSorted, sampleStandardDeviation } from "../src/stats/descriptive.js";

describe("mean", () => {
  it("is Σx / n", () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(mean([-3])).toBe(-3);
  });

  it("sums with compensation: 1e16 + 1 + 1 - 1e16 over 4 keeps the ones", () => {
    // A plain left-to-right sum loses both ones (1e16 + 1 rounds back to 1e16) and gives 0.
    expect(mean([1e16, 1, 1, -1e16])).toBe(0.5);
  });

  it("is NaN for no values or a NaN among them", () => {
    expect(mean([])).toBeNaN();
    expect(mean([1, Number.NaN, 3])).toBeNaN();
  });

  it("takes a typed array as it takes an array", () => {
    expect(mean(Float64Array.of(1e16, 1, 1, -1e16))).toBe(0.5);
    expect(mean(new Float64Array(0))).toBeNaN();
  });
});

describe("median", () => {
  it("is the middle value, or the mean of the two middle values for an even count (numpy/R)", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([30, 50, 80, 400])).toBe(65);
    expect(median([7])).toBe(7);
  });

  it("does not reorder its input", () => {
    const values = [3, 1, 2, 5, 4];
    median(values);
    expect(values).toEqual([3, 1, 2, 5, 4]);
  });

  it("is NaN for no values or a NaN among them (numpy's median, not nanmedian)", () => {
    expect(median([])).toBeNaN();
    expect(median([1, Number.NaN, 3])).toBeNaN();
    expect(median([Number.NaN])).toBeNaN();
  });
});

describe("quantileSorted (type 7)", () => {
  it("interpolates between order statistics like R's quantile() and numpy's default", () => {
    const sorted = [1, 2, 4, 8, 16];
    expect(quantileSorted(sorted, 0)).toBe(1);
    expect(quantileSorted(sorted, 1)).toBe(16);
    expect(quantileSorted(sorted, 0.5)).toBe(4);
    expect(quantileSorted(sorted, 0.1)).toBeCloseTo(1.4, 12); // R: quantile(c(1,2,4,8,16), 0.1) = 1.4
    expect(quantileSorted(sorted, 0.9)).toBeCloseTo(12.8, 12); // R: 12.8
    expect(quantileSorted([-1, -1, 2, 3], 0.1)).toBeCloseTo(-1, 12);
    expect(quantileSorted([-1, -1, 2, 3], 0.9)).toBeCloseTo(2.7, 12); // numpy.quantile([-1,-1,2,3], 0.9) = 2.7
    expect(quantileSorted([1, 2, 2], 0.1)).toBeCloseTo(1.2, 12);
    expect(quantileSorted([10, 20, 30, 40], 0.25)).toBeCloseTo(17.5, 12); // R: 17.5 (type 6 would give 12.5)
  });

  it("reads a sorted Float64Array without copying it", () => {
    expect(quantileSorted(Float64Array.from([1, 2, 4, 8, 16]), 0.9)).toBeCloseTo(12.8, 12);
  });

  it("at 0.5 is the median", () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(median([4, 3, 2, 1]));
  });

  it("returns the single value for one value, NaN for none", () => {
    expect(quantileSorted([5], 0.3)).toBe(5);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });

  it("rejects p outside [0, 1], naming the function", () => {
    expect(() => quantileSorted([1, 2], 1.5)).toThrow(/quantileSorted: p must be in \[0, 1\], got 1.5/);
    expect(() => quantileSorted([1, 2], Number.NaN)).toThrow(RangeError);
  });
});

describe("sampleStandardDeviation", () => {
  it("is √(Σ(x − x̄)² / (n − 1))", () => {
    // x̄ = 5, Σ(x − x̄)² = 32, n − 1 = 7 (R: sd(c(2,4,4,4,5,5,7,9)) = 2.13809)
    expect(sampleStandardDeviation([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(sampleStandardDeviation([3, 3, 3])).toBe(0);
  });

  it("is NaN for fewer than two values or a NaN among them", () => {
    expect(sampleStandardDeviation([])).toBeNaN();
    expect(sampleStandardDeviation([1])).toBeNaN();
    expect(sampleStandardDeviation([1, Number.NaN, 2])).toBeNaN();
  });
});
