import { describe, expect, it } from "vitest";
import {
  absolutePercentageError,
  coverage,
  mae,
  mape,
  mdape,
  mse,
  percentageErrorCount,
  rmse,
  smape,
  symmetricAbsolutePercentageError,
} from "../src/forecast/metrics.js";

// Hand example: errors y - ŷ = -1, 0, 1, -1; the last row has y = 0.
const actual = [1, 2, 4, 0];
const predicted = [2, 2, 3, 1];

describe("forecast metrics", () => {
  it("mse, rmse and mae on a hand-computed example", () => {
    expect(mse(actual, predicted)).toBeCloseTo(3 / 4, 12);
    expect(rmse(actual, predicted)).toBeCloseTo(Math.sqrt(3 / 4), 12);
    expect(mae(actual, predicted)).toBeCloseTo(3 / 4, 12);
    expect(mse([1, 2], [3, 2])).toBe(2);
    expect(mae([1, 2], [3, 2])).toBe(1);
  });

  it("mape and mdape leave out rows with y = 0 and are fractions", () => {
    // APE of the rows with y ≠ 0: |1-2|/1 = 1, 0/2 = 0, |4-3|/4 = 0.25.
    expect(mape(actual, predicted)).toBeCloseTo(1.25 / 3, 12);
    expect(mdape(actual, predicted)).toBeCloseTo(0.25, 12);
    expect(percentageErrorCount(actual)).toBe(3);
    expect(absolutePercentageError(0, 5)).toBeUndefined();
    expect(mape([0, 0], [1, 2])).toBeNaN();
    expect(mdape([0, 0], [1, 2])).toBeNaN();
    expect(mape([-2], [-1])).toBeCloseTo(0.5, 12);
  });

  it("mdape takes the mean of the two middle values for an even count", () => {
    // APE 0.1, 0, 0.25, 0 → sorted 0, 0, 0.1, 0.25 → (0 + 0.1) / 2.
    expect(mdape([1, 2, 4, 5], [1.1, 2, 3, 5])).toBeCloseTo(0.05, 12);
  });

  it("smape is Prophet's 2|y-ŷ|/(|y|+|ŷ|) with 0/0 counted as 0", () => {
    // Terms: 2/3, 0, 2/7, 2 (y = 0, ŷ = 1) → mean 62/84.
    expect(smape(actual, predicted)).toBeCloseTo(62 / 84, 12);
    expect(symmetricAbsolutePercentageError(0, 0)).toBe(0);
    expect(smape([0, 1], [0, 1])).toBe(0);
    expect(smape([0], [5])).toBe(2);
  });

  it("coverage counts bounds as inside and a NaN bound as not covering", () => {
    expect(coverage([1, 2, 3, 4], [0, 2, 3.5, Number.NaN], [1, 3, 4, 5])).toBe(0.5);
    expect(coverage([1], [1], [1])).toBe(1);
  });

  it("throws on arrays of different lengths and on no values", () => {
    expect(() => mse([1, 2], [1])).toThrow(/mse: arrays have different lengths \(2 vs 1\)/);
    expect(() => rmse([1], [1, 2])).toThrow(/rmse/);
    expect(() => mae([1], [])).toThrow(/different lengths/);
    expect(() => mape([1, 2], [1])).toThrow(/mape/);
    expect(() => mdape([1, 2], [1])).toThrow(/mdape/);
    expect(() => smape([1, 2], [1])).toThrow(/smape/);
    expect(() => coverage([1, 2], [0, 0], [3])).toThrow(/coverage: arrays have different lengths \(2 vs 2 vs 1\)/);
    expect(() => mse([], [])).toThrow(/at least one value/);
  });
});
