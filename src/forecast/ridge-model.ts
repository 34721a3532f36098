/**
 * A ridge regression on calendar, holiday and level features, our own (a closed-form solve of a
 * ~25 x 25 system: no npm package does this better than the 40 lines it takes, and the maintained
 * gradient-boosting ones for Node are native builds or abandoned).
 *
 * Features of a date t forecast from the history up to its origin o (the last history date; for a
 * history row while fitting, the day before it):
 * - trend: days since the first history date / 365;
 * - day of week (6 dummies, Monday the base);
 * - yearly seasonality: Fourier terms of order 3 (period 365.25 days);
 * - holidays: one indicator per holiday name of `holidays` (with its window);
 * - level: the mean of the last 7 and the last 28 observed values at or before o (the "lag"
 *   features: what the series did just before the forecast was made).
 * Columns are standardised on the history; the intercept is not penalised. The fit is one ridge
 * solve (Cholesky) with penalty `lambda` on the standardised scale. Intervals are empirical: the
 * in-sample residuals' quantiles at the requested width, the same at every lead.
 */
import { expandHolidayWindows, holidayRowsFor, type HolidaysSetting } from "./holidays.js";
import { lastIndexAtOrBefore } from "./baselines.js";
import { MS_PER_DAY, type FittedForecastModel, type ForecastModel, type SeriesHistory } from "./cross-validation.js";
import { quantileSorted } from "../stats/descriptive.js";

export interface RidgeOptions {
  holidays?: HolidaysSetting;
  lambda?: number;
  intervalWidth?: number;
}

const FOURIER_ORDER = 3;
const YEAR_DAYS = 365.25;

export function ridgeModel(options: RidgeOptions = {}): ForecastModel {
  const lambda = options.lambda ?? 1;
  const width = options.intervalWidth ?? 0.8;
  const holidays = options.holidays ?? "none";
  return {
    name: "ridge",
    async fit(history: SeriesHistory): Promise<FittedForecastModel> {
      const points = history.ds.map((d, i) => ({ t: d.getTime(), y: history.y[i] })).filter((p): p is { t: number; y: number } => p.y !== null && p.y !== undefined && Number.isFinite(p.y));
      points.sort((a, b) => a.t - b.t);
      if (points.length < 30) throw new RangeError(`ridge: needs at least 30 observed values, got ${points.length}`);
      const first = points[0]!.t;
      const last = points[points.length - 1]!.t;
      const holidayDays = holidayIndex(holidays, first, last + 3 * YEAR_DAYS * MS_PER_DAY);
      const times = points.map((p) => p.t);
      const values = points.map((p) => p.y);
      const levelAt = trailingLevels(times, values);
      const features = (t: number, origin: number): number[] => calendarRow(t, first, holidayDays).concat(levelAt(origin));
      // training rows: each observation after the first 28 days, its level as of the day before it
      const rows: number[][] = [];
      const targets: number[] = [];
      points.forEach((p, i) => {
        if (p.t - first < 28 * MS_PER_DAY || i === 0) return;
        rows.push(features(p.t, p.t - 1));
        targets.push(p.y);
      });
      if (rows.length < 10) throw new RangeError("ridge: needs more than 28 days of history");
      const fit = ridgeSolve(rows, targets, lambda);
      const residuals = rows.map((r, i) => targets[i]! - fit.predict(r)).sort((a, b) => a - b);
      const low = quantileSorted(residuals, (1 - width) / 2);
      const high = quantileSorted(residuals, (1 + width) / 2);
      return {
        predict(ds) {
          const yhat = ds.map((d) => fit.predict(features(d.getTime(), Math.min(last, d.getTime() - 1))));
          return { ds: [...ds], yhat, yhat_lower: yhat.map((v) => v + low), yhat_upper: yhat.map((v) => v + high) };
        },
      };
    },
  };
}

/**
 * Day index (UTC days since epoch) -> the holidays (by name) felt that day: Prophet's holiday table for
 * the setting (holidayRowsFor, validated) expanded over its windows (expandHolidayWindows), its
 * per-offset features merged into one indicator per holiday name.
 */
function holidayIndex(setting: HolidaysSetting, from: number, to: number): { names: string[]; byDay: Map<number, Set<number>> } {
  const features = expandHolidayWindows(holidayRowsFor(setting, new Date(from).getUTCFullYear() - 1, new Date(to).getUTCFullYear() + 1));
  const names = [...new Set(features.map((f) => f.holiday))].sort();
  const byDay = new Map<number, Set<number>>();
  for (const f of features) {
    const index = names.indexOf(f.holiday);
    for (const dayMs of f.days) {
      const day = dayMs / MS_PER_DAY;
      const set = byDay.get(day) ?? new Set<number>();
      set.add(index);
      byDay.set(day, set);
    }
  }
  return { names, byDay };
}

function calendarRow(t: number, first: number, holidays: { names: string[]; byDay: Map<number, Set<number>> }): number[] {
  const days = (t - first) / MS_PER_DAY;
  const dow = new Date(t).getUTCDay(); // 0 Sunday .. 6 Saturday
  const row = [days / 365];
  for (let d = 0; d < 7; d++) if (d !== 1) row.push(dow === d ? 1 : 0);
  const yearly = (2 * Math.PI * (t / MS_PER_DAY)) / YEAR_DAYS;
  for (let k = 1; k <= FOURIER_ORDER; k++) row.push(Math.sin(k * yearly), Math.cos(k * yearly));
  const active = holidays.byDay.get(Math.floor(t / MS_PER_DAY));
  for (let h = 0; h < holidays.names.length; h++) row.push(active?.has(h) ? 1 : 0);
  return row;
}

/** The mean of the last 7 and last 28 observed values at or before a time. */
function trailingLevels(times: readonly number[], values: readonly number[]): (origin: number) => number[] {
  const prefix = [0];
  for (const v of values) prefix.push(prefix[prefix.length - 1]! + v);
  return (origin) => {
    const end = lastIndexAtOrBefore(times, origin) + 1; // observations [0, end) are at or before origin
    const mean = (n: number) => {
      const k = Math.min(n, end);
      return k === 0 ? 0 : (prefix[end]! - prefix[end - k]!) / k;
    };
    return [mean(7), mean(28)];
  };
}

/** Ridge regression with an unpenalised intercept on standardised columns; constant columns are left out. */
export function ridgeSolve(rows: readonly number[][], targets: readonly number[], lambda: number): { predict: (row: readonly number[]) => number } {
  const n = rows.length;
  const p = rows[0]!.length;
  const mean = new Float64Array(p);
  const scale = new Float64Array(p);
  for (const r of rows) for (let j = 0; j < p; j++) mean[j]! += r[j]! / n;
  for (const r of rows) for (let j = 0; j < p; j++) scale[j]! += (r[j]! - mean[j]!) ** 2 / n;
  const used = Array.from({ length: p }, (_, j) => j).filter((j) => scale[j]! > 1e-12);
  for (const j of used) scale[j] = Math.sqrt(scale[j]!);
  const yMean = targets.reduce((a, b) => a + b, 0) / n;
  const m = used.length;
  const a = new Float64Array(m * m);
  const b = new Float64Array(m);
  const z = new Float64Array(m);
  rows.forEach((r, i) => {
    used.forEach((j, u) => (z[u] = (r[j]! - mean[j]!) / scale[j]!));
    for (let u = 0; u < m; u++) {
      b[u]! += z[u]! * (targets[i]! - yMean);
      for (let v = 0; v <= u; v++) a[u * m + v]! += z[u]! * z[v]!;
    }
  });
  for (let u = 0; u < m; u++) {
    a[u * m + u]! += lambda;
    for (let v = 0; v < u; v++) a[v * m + u] = a[u * m + v]!;
  }
  const beta = choleskySolve(a, b, m);
  return {
    predict(row) {
      let s = yMean;
      used.forEach((j, u) => (s += (beta[u]! * (row[j]! - mean[j]!)) / scale[j]!));
      return s;
    },
  };
}

/** Solves A x = b for a symmetric positive-definite m x m matrix A (row-major). */
function choleskySolve(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const l = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * m + j]!;
      for (let k = 0; k < j; k++) s -= l[i * m + k]! * l[j * m + k]!;
      l[i * m + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / l[j * m + j]!;
    }
  }
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * m + k]! * y[k]!;
    y[i] = s / l[i * m + i]!;
  }
  const x = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < m; k++) s -= l[k * m + i]! * x[k]!;
    x[i] = s / l[i * m + i]!;
  }
  return x;
}
