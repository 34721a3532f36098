/**
 * Fitting in log space: y' = log(1 + y) (log1p, defined for y > -1 and 0 at y = 0, so zero-revenue
 * days stay usable), forecasting, and mapping the forecast back with y = exp(y') - 1 (expm1).
 *
 * What comes back: expm1 is increasing, so a quantile maps to the same quantile: `yhat_lower` and
 * `yhat_upper` stay an 80% interval, and expm1(`yhat`) is the predictive median of y (Prophet's
 * log-space yhat being the centre of a symmetric distribution), not its mean, which is higher by
 * the retransformation bias (about a factor exp(σ²/2) on 1 + y).
 */

/** Forecast columns on the scale of y, mapped back by `forecastFromLogSpace` unless told otherwise. */
export const Y_SCALE_COLUMNS = ["yhat", "yhat_lower", "yhat_upper", "trend", "trend_lower", "trend_upper"] as const;

function checkLogInput(y: number, index: number): number {
  if (!Number.isFinite(y) || y <= -1) throw new RangeError(`toLogSpace: y[${index}] = ${y}; log1p needs a finite y > -1`);
  return Math.log1p(y);
}

/** y' = log(1 + y) for each value (log1p); null (missing) stays null. Throws for y ≤ -1 or a non-finite y. */
export function toLogSpace(y: readonly number[]): number[];
export function toLogSpace(y: readonly (number | null)[]): (number | null)[];
export function toLogSpace(y: readonly (number | null)[]): (number | null)[] {
  return y.map((v, i) => (v === null ? null : checkLogInput(v, i)));
}

/** y = exp(y') - 1 for each value (expm1), the inverse of `toLogSpace`. */
export function fromLogSpace(values: readonly number[]): number[] {
  return values.map((v) => Math.expm1(v));
}

function mapValue(value: unknown, column: string): unknown {
  if (typeof value === "number") return Math.expm1(value);
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) {
    return value.map((v: unknown, i) => {
      if (typeof v === "number") return Math.expm1(v);
      if (v === null) return null;
      throw new TypeError(`forecastFromLogSpace: ${column}[${i}] is not a number`);
    });
  }
  if (value instanceof Float64Array || value instanceof Float32Array) return value.map((v) => Math.expm1(v));
  throw new TypeError(`forecastFromLogSpace: column '${column}' is neither a number nor an array of numbers`);
}

function mapRecord<T extends object>(record: T, columns: readonly string[]): T {
  const copy = { ...record } as Record<string, unknown>;
  for (const column of columns) {
    if (column in copy) copy[column] = mapValue(copy[column], column);
  }
  return copy as T;
}

/**
 * A forecast fitted on log1p(y), brought back to the scale of y: each of `columns` (default
 * `Y_SCALE_COLUMNS`: yhat, its interval, trend and its interval) that the forecast has is mapped with
 * expm1; other columns are copied unchanged. Works on a column record (`{ ds: Date[]; yhat: number[]; … }`)
 * and on an array of row records. The input is not modified.
 *
 * Components (weekly, yearly, holidays, additive_terms, multiplicative_terms, extra regressors)
 * are kept in log space on purpose: there they add up to yhat, but expm1 of a sum is not the sum of
 * expm1s, so a component has no y-scale value of its own. Read a log-space additive component c as
 * a factor exp(c) on 1 + y (c = 0.1 ≈ +10.5%).
 */
export function forecastFromLogSpace<T extends object>(forecast: T, columns: readonly string[] = Y_SCALE_COLUMNS): T {
  if (Array.isArray(forecast)) return forecast.map((row: object) => mapRecord(row, columns)) as T;
  return mapRecord(forecast, columns);
}
