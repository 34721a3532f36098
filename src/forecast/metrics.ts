/**
 * Forecast accuracy metrics, Prophet's set (`prophet.diagnostics`): mse, rmse, mae, mape, mdape,
 * smape and interval coverage. Each takes the actual values first and the forecast second, as
 * plain arrays of equal length, and returns one number.
 *
 * The pointwise errors (one per row) are exported too: `performanceMetrics` averages them over
 * rolling windows of forecast horizons, so both use the same definitions.
 *
 * Zero actuals. A percentage error |y - ŷ| / |y| has no value when y = 0. `mape` and `mdape` leave
 * out the rows with y = 0 and average the others; when every y is 0 they return NaN. (Prophet's
 * `performance_metrics` drops the whole `mape` column when any |y| < 1e-8, and computes `mdape`
 * with infinite terms; for daily revenue with some zero days, leaving out only the zero days keeps a
 * useful number. The row count a percentage metric used is `percentageErrorCount(actual)`.)
 */

import { mean, median } from "../stats/descriptive.js";

function checkSameLength(name: string, arrays: readonly (readonly number[])[]): number {
  const n = arrays[0]!.length;
  for (const a of arrays) {
    if (a.length !== n) {
      throw new RangeError(`${name}: arrays have different lengths (${arrays.map((x) => x.length).join(" vs ")})`);
    }
  }
  if (n === 0) throw new RangeError(`${name}: needs at least one value`);
  return n;
}

/** Squared error of one forecast: (y - ŷ)². */
export function squaredError(y: number, yhat: number): number {
  return (y - yhat) ** 2;
}

/** Absolute error of one forecast: |y - ŷ|. */
export function absoluteError(y: number, yhat: number): number {
  return Math.abs(y - yhat);
}

/** Absolute percentage error of one forecast, as a fraction: |(y - ŷ) / y|; undefined when y = 0. */
export function absolutePercentageError(y: number, yhat: number): number | undefined {
  return y === 0 ? undefined : Math.abs((y - yhat) / y);
}

/**
 * Symmetric absolute percentage error of one forecast (Chen & Yang 2004, Prophet's `smape` term):
 * 2 |y - ŷ| / (|y| + |ŷ|), in [0, 2]; 0 when y = ŷ = 0 (a perfect forecast of zero).
 */
export function symmetricAbsolutePercentageError(y: number, yhat: number): number {
  const denominator = Math.abs(y) + Math.abs(yhat);
  return denominator === 0 ? 0 : (2 * Math.abs(y - yhat)) / denominator;
}

/** Whether the interval holds the actual value: lower ≤ y ≤ upper (1) or not (0); NaN bounds hold nothing. */
export function isCovered(y: number, lower: number, upper: number): 0 | 1 {
  return y >= lower && y <= upper ? 1 : 0;
}

/** Mean squared error: MSE = (1/n) Σ (yᵢ - ŷᵢ)². */
export function mse(actual: readonly number[], predicted: readonly number[]): number {
  const n = checkSameLength("mse", [actual, predicted]);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += squaredError(actual[i]!, predicted[i]!);
  return sum / n;
}

/** Root mean squared error: RMSE = √MSE = √((1/n) Σ (yᵢ - ŷᵢ)²). */
export function rmse(actual: readonly number[], predicted: readonly number[]): number {
  checkSameLength("rmse", [actual, predicted]);
  return Math.sqrt(mse(actual, predicted));
}

/** Mean absolute error: MAE = (1/n) Σ |yᵢ - ŷᵢ|. */
export function mae(actual: readonly number[], predicted: readonly number[]): number {
  const n = checkSameLength("mae", [actual, predicted]);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += absoluteError(actual[i]!, predicted[i]!);
  return sum / n;
}

function percentageErrors(name: string, actual: readonly number[], predicted: readonly number[]): number[] {
  const n = checkSameLength(name, [actual, predicted]);
  const errors: number[] = [];
  for (let i = 0; i < n; i++) {
    const e = absolutePercentageError(actual[i]!, predicted[i]!);
    if (e !== undefined) errors.push(e);
  }
  return errors;
}

/** How many rows the percentage metrics (`mape`, `mdape`) use: the rows with y ≠ 0. */
export function percentageErrorCount(actual: readonly number[]): number {
  let count = 0;
  for (const y of actual) if (y !== 0) count++;
  return count;
}

/**
 * Mean absolute percentage error, as a fraction (0.1 = 10%): MAPE = (1/m) Σ |(yᵢ - ŷᵢ) / yᵢ| over
 * the m rows with yᵢ ≠ 0 (rows with yᵢ = 0 are left out; NaN when m = 0).
 */
export function mape(actual: readonly number[], predicted: readonly number[]): number {
  const errors = percentageErrors("mape", actual, predicted);
  return errors.length === 0 ? Number.NaN : mean(errors);
}

/**
 * Median absolute percentage error, as a fraction: MdAPE = median |(yᵢ - ŷᵢ) / yᵢ| over the rows
 * with yᵢ ≠ 0 (rows with yᵢ = 0 are left out; NaN when none is left).
 */
export function mdape(actual: readonly number[], predicted: readonly number[]): number {
  return median(percentageErrors("mdape", actual, predicted));
}

/**
 * Symmetric mean absolute percentage error (Prophet's definition, Chen & Yang 2004), in [0, 2]:
 * SMAPE = (1/n) Σ 2 |yᵢ - ŷᵢ| / (|yᵢ| + |ŷᵢ|), a term with yᵢ = ŷᵢ = 0 counting as 0.
 */
export function smape(actual: readonly number[], predicted: readonly number[]): number {
  const n = checkSameLength("smape", [actual, predicted]);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += symmetricAbsolutePercentageError(actual[i]!, predicted[i]!);
  return sum / n;
}

/**
 * Interval coverage: the fraction of rows whose actual value lies inside its interval,
 * (1/n) Σ 1[lowerᵢ ≤ yᵢ ≤ upperᵢ] (bounds inclusive). For a calibrated 80% interval it is near 0.8.
 */
export function coverage(actual: readonly number[], lower: readonly number[], upper: readonly number[]): number {
  const n = checkSameLength("coverage", [actual, lower, upper]);
  let covered = 0;
  for (let i = 0; i < n; i++) covered += isCovered(actual[i]!, lower[i]!, upper[i]!);
  return covered / n;
}
