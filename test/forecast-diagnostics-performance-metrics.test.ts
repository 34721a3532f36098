import { describe, expect, it } from "vitest";
import type { CrossValidationRow } from "../src/forecast/cross-validation.js";
import {
  performanceMetrics,
  rollingMeanByHorizon,
  rollingMedianByHorizon,
  summaryMetrics,
  type HorizonMetrics,
} from "../src/forecast/performance-metrics.js";

const DAY = 86_400_000;
const A = Date.UTC(2020, 0, 1);
const B = A + DAY;

/** Hand example: y = 10 everywhere; absolute errors 1, 3 (horizon 1), 2, 4 (horizon 2), 6 (horizon 3). */
function row(cutoff: number, horizonDays: number, yhat: number, lower?: number, upper?: number): CrossValidationRow {
  const r: CrossValidationRow = { ds: new Date(cutoff + horizonDays * DAY), y: 10, yhat, cutoff: new Date(cutoff) };
  if (lower !== undefined && upper !== undefined) {
    r.yhat_lower = lower;
    r.yhat_upper = upper;
  }
  return r;
}
const rows: CrossValidationRow[] = [
  row(A, 3, 4, 5, 6),
  row(B, 2, 6, 5, 7),
  row(A, 1, 9, 8, 12),
  row(A, 2, 8, 7, 9),
  row(B, 1, 7, 8, 12),
];

// smape terms 2|y - ŷ| / (|y| + |ŷ|): horizon 1: 2/19, 6/17; horizon 2: 4/18, 8/16; horizon 3: 12/14.
const smape1 = (2 / 19 + 6 / 17) / 2;
const smape2 = (4 / 18 + 8 / 16) / 2;
const smape3 = 12 / 14;

function expectRows(actual: HorizonMetrics[], expected: HorizonMetrics[]): void {
  expect(actual.map((r) => Object.keys(r).sort())).toEqual(expected.map((r) => Object.keys(r).sort()));
  actual.forEach((r, i) => {
    for (const [key, value] of Object.entries(expected[i]!)) expect(r[key as keyof HorizonMetrics], key).toBeCloseTo(value, 10);
  });
}

// Expected values: R Prophet 1.0's performance_metrics on the same rows gives the same numbers
// (smape 0.3171081 and 0.5264550 at rollingWindow 0.6; 0.4075139 at 1).
describe("performanceMetrics", () => {
  it("rollingWindow 0.6 (w = 3): means weight a partly used horizon by its rows, the median takes rows", () => {
    expectRows(performanceMetrics(rows, { rollingWindow: 0.6 }), [
      // horizon 2: its rows (errors 2, 4) + one row's worth of horizon 1's mean (2): mae (2+4+2)/3
      { horizon: 2, mse: 25 / 3, rmse: Math.sqrt(25 / 3), mae: 8 / 3, mape: 8 / 30, mdape: 0.3, smape: (2 * smape2 + smape1) / 3, coverage: 1 / 3 },
      { horizon: 3, mse: 56 / 3, rmse: Math.sqrt(56 / 3), mae: 4, mape: 0.4, mdape: 0.4, smape: (smape3 + 2 * smape2) / 3, coverage: 0 },
    ]);
  });

  it("rollingWindow 0 gives one value per horizon; 1 one value over all rows; default 0.1 of 5 rows is w = 1", () => {
    const perHorizon = [
      { horizon: 1, mse: 5, rmse: Math.sqrt(5), mae: 2, mape: 0.2, mdape: 0.2, smape: smape1, coverage: 1 },
      { horizon: 2, mse: 10, rmse: Math.sqrt(10), mae: 3, mape: 0.3, mdape: 0.3, smape: smape2, coverage: 0 },
      { horizon: 3, mse: 36, rmse: 6, mae: 6, mape: 0.6, mdape: 0.6, smape: smape3, coverage: 0 },
    ];
    expectRows(performanceMetrics(rows, { rollingWindow: 0 }), perHorizon);
    expectRows(performanceMetrics(rows), perHorizon);
    expectRows(performanceMetrics(rows, { rollingWindow: 1 }), [
      { horizon: 3, mse: 13.2, rmse: Math.sqrt(13.2), mae: 3.2, mape: 0.32, mdape: 0.3, smape: (2 * smape1 + 2 * smape2 + smape3) / 5, coverage: 0.4 },
    ]);
  });

  it("a negative rollingWindow gives one row per cv row, sorted by horizon then cutoff", () => {
    const result = performanceMetrics(rows, { rollingWindow: -1, metrics: ["mae", "rmse"] });
    expect(result).toEqual([
      { horizon: 1, mae: 1, rmse: 1 },
      { horizon: 1, mae: 3, rmse: 3 },
      { horizon: 2, mae: 2, rmse: 2 },
      { horizon: 2, mae: 4, rmse: 4 },
      { horizon: 3, mae: 6, rmse: 6 },
    ]);
  });

  it("leaves out y = 0 rows from mape/mdape only, with their own window", () => {
    const withZero = [...rows, { ds: new Date(A + 3 * DAY), y: 0, yhat: 1, cutoff: new Date(A), yhat_lower: 0, yhat_upper: 2 }];
    const result = performanceMetrics(withZero, { rollingWindow: 0 });
    expect(result.map((r) => r.horizon)).toEqual([1, 2, 3]);
    expect(result[2]!.mae).toBeCloseTo(3.5, 12); // (6 + 1) / 2
    expect(result[2]!.mape).toBeCloseTo(0.6, 12); // only the y = 10 row
    expect(result[2]!.coverage).toBeCloseTo(0.5, 12);
    const onlyZero = performanceMetrics([{ ds: new Date(A + DAY), y: 0, yhat: 1, cutoff: new Date(A) }], { metrics: ["mape", "mae"] });
    expect(onlyZero).toHaveLength(1);
    expect(onlyZero[0]!.mape).toBeNaN();
    expect(onlyZero[0]!.mae).toBe(1);
  });

  it("chooses metrics like Prophet: coverage only with intervals; unknown or repeated metrics fail", () => {
    const noIntervals = rows.map(({ ds, y, yhat, cutoff }) => ({ ds, y, yhat, cutoff }));
    expect(Object.keys(performanceMetrics(noIntervals)[0]!)).toEqual(["horizon", "mse", "rmse", "mae", "mape", "mdape", "smape"]);
    expect(() => performanceMetrics(noIntervals, { metrics: ["coverage"] })).toThrow(/coverage was requested/);
    expect(() => performanceMetrics(rows, { metrics: ["mae", "mae"] })).toThrow(/unique/);
    expect(() => performanceMetrics(rows, { metrics: ["r2" as "mae"] })).toThrow(/unknown metric 'r2'/);
    expect(() => performanceMetrics([])).toThrow(/no cross-validation rows/);
    expect(Object.keys(performanceMetrics(rows, { metrics: ["smape"] })[0]!)).toEqual(["horizon", "smape"]);
  });

  it("rolling helpers: right-aligned, horizons without w points available are dropped", () => {
    const points = [
      { h: 1, x: 1 },
      { h: 1, x: 3 },
      { h: 2, x: 10 },
      { h: 3, x: 5 },
    ];
    expect([...rollingMeanByHorizon(points, 3)]).toEqual([
      [2, (10 + 2 * 2) / 3],
      [3, (5 + 10 + 2) / 3],
    ]);
    expect([...rollingMedianByHorizon(points, 3)]).toEqual([
      [2, 3],
      [3, 5],
    ]);
    expect([...rollingMedianByHorizon(points, 1)]).toEqual([
      [1, 2],
      [2, 10],
      [3, 5],
    ]);
  });
});

describe("summaryMetrics", () => {
  it("gives one number per metric over all rows", () => {
    const s = summaryMetrics(rows);
    expect(s.mse).toBeCloseTo(13.2, 12);
    expect(s.rmse).toBeCloseTo(Math.sqrt(13.2), 12);
    expect(s.mae).toBeCloseTo(3.2, 12);
    expect(s.mape).toBeCloseTo(0.32, 12);
    expect(s.mdape).toBeCloseTo(0.3, 12);
    expect(s.smape).toBeCloseTo((2 * smape1 + 2 * smape2 + smape3) / 5, 12);
    expect(s.coverage).toBeCloseTo(0.4, 12);
    expect(summaryMetrics(rows.map(({ ds, y, yhat, cutoff }) => ({ ds, y, yhat, cutoff })))).not.toHaveProperty("coverage");
  });
});
