/**
 * Accuracy of cross-validation forecasts by horizon, after Prophet's `performance_metrics`
 * (`prophet.diagnostics`), and over all rows at once.
 *
 * Horizon of a row: ds - cutoff, in days. The rows are sorted by horizon (ties: by cutoff, then by
 * their order in the input) and each metric is aggregated over a rolling window of at least
 * w = ⌊rollingWindow × n⌋ rows (at least 1, at most n), right-aligned: the value at horizon h uses
 * every row with horizon h, then rows of the next shorter horizons until w rows are reached. Means
 * take only part of the last horizon they reach by weighting its mean by the number of rows taken
 * (Prophet's `rolling_mean_by_h`); the median (mdape) takes the rows themselves, the latest first in
 * the sort order (Prophet's `rolling_median_by_h`). Horizons too short to gather w rows get no
 * result row. rollingWindow = 0 gives one value per horizon, 1 a single value over all rows at the
 * longest horizon; a negative rollingWindow gives one result row per cv row, without averaging.
 *
 * mape and mdape use only the rows with y ≠ 0 (see `metrics.ts`), with their own window
 * ⌊rollingWindow × m⌋ over those m rows; a horizon where they have no value reports NaN.
 */
import type { CrossValidationRow } from "./cross-validation.js";
import { MS_PER_DAY } from "./cross-validation.js";
import { median } from "../stats/descriptive.js";
import {
  absoluteError,
  absolutePercentageError,
  coverage,
  isCovered,
  mae,
  mape,
  mdape,
  mse,
  rmse,
  smape,
  squaredError,
  symmetricAbsolutePercentageError,
} from "./metrics.js";

export const METRIC_NAMES = ["mse", "rmse", "mae", "mape", "mdape", "smape", "coverage"] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** One row of `performanceMetrics`: the horizon in days and the requested metrics. */
export type HorizonMetrics = { horizon: number } & Partial<Record<MetricName, number>>;

export interface PerformanceMetricsOptions {
  /** Share of the rows in each rolling window; default 0.1 like Prophet. */
  rollingWindow?: number;
  /** Metrics to compute, each once; default all seven (coverage only when the rows have intervals). */
  metrics?: readonly MetricName[];
}

/** A metric's pointwise value for one cv row and the row's horizon (ms); arrays of them are in horizon order. */
export interface HorizonPoint {
  readonly h: number;
  readonly x: number;
}

/** The rows in horizon order (ties by cutoff, then input order), with their horizons in ms. */
function byHorizon(rows: readonly CrossValidationRow[]): { row: CrossValidationRow; h: number }[] {
  return rows
    .map((row, i) => ({ row, h: row.ds.getTime() - row.cutoff.getTime(), c: row.cutoff.getTime(), i }))
    .sort((a, b) => a.h - b.h || a.c - b.c || a.i - b.i)
    .map(({ row, h }) => ({ row, h }));
}

/** Consecutive runs of equal horizon in sorted points: [start, end) index pairs. */
function horizonGroups(points: readonly HorizonPoint[]): [number, number][] {
  const groups: [number, number][] = [];
  let start = 0;
  for (let i = 1; i <= points.length; i++) {
    if (i === points.length || points[i]!.h !== points[start]!.h) {
      groups.push([start, i]);
      start = i;
    }
  }
  return groups;
}

/**
 * Right-aligned rolling mean after grouping by horizon (Prophet's `rolling_mean_by_h`): for each
 * horizon, the mean of its n rows, extended with shorter horizons while n < w; a horizon reached
 * in part contributes k of its rows as k × (its mean). Horizons with fewer than w rows available
 * up to them are left out. Returns horizon (ms) → value.
 */
export function rollingMeanByHorizon(points: readonly HorizonPoint[], w: number): Map<number, number> {
  const groups = horizonGroups(points).map(([start, end]) => {
    let sum = 0;
    for (let i = start; i < end; i++) sum += points[i]!.x;
    return { h: points[start]!.h, n: end - start, mean: sum / (end - start) };
  });
  const result = new Map<number, number>();
  for (let g = 0; g < groups.length; g++) {
    let n = 0;
    let sum = 0;
    for (let j = g; j >= 0 && (j === g || n < w); j--) {
      const group = groups[j]!;
      const take = j === g ? group.n : Math.min(w - n, group.n);
      sum += take * group.mean;
      n += take;
    }
    if (n >= w) result.set(groups[g]!.h, sum / n);
  }
  return result;
}

/**
 * Right-aligned rolling median after grouping by horizon (Prophet's `rolling_median_by_h`): for
 * each horizon, the median of its rows plus, while fewer than w, the rows just before them in
 * horizon order. Horizons with fewer than w rows available up to them are left out.
 */
export function rollingMedianByHorizon(points: readonly HorizonPoint[], w: number): Map<number, number> {
  const result = new Map<number, number>();
  for (const [start, end] of horizonGroups(points)) {
    const from = Math.max(0, Math.min(start, end - w));
    if (end - from < w) continue;
    result.set(points[start]!.h, median(points.slice(from, end).map((p) => p.x)));
  }
  return result;
}

function hasIntervals(row: CrossValidationRow): boolean {
  return row.yhat_lower !== undefined && row.yhat_upper !== undefined;
}

function chooseMetrics(rows: readonly CrossValidationRow[], requested: readonly MetricName[] | undefined): MetricName[] {
  const withIntervals = rows.filter(hasIntervals).length;
  if (withIntervals !== 0 && withIntervals !== rows.length && (requested === undefined || requested.includes("coverage"))) {
    throw new RangeError(`${withIntervals} of ${rows.length} cross-validation rows have yhat_lower/yhat_upper; coverage needs all or none`);
  }
  if (requested === undefined) return METRIC_NAMES.filter((m) => m !== "coverage" || withIntervals > 0);
  if (requested.length === 0) throw new RangeError("metrics is empty");
  for (const m of requested) {
    if (!METRIC_NAMES.includes(m)) throw new RangeError(`unknown metric '${m}'; valid metrics are ${METRIC_NAMES.join(", ")}`);
  }
  if (new Set(requested).size !== requested.length) throw new RangeError(`metrics must be unique, got ${requested.join(", ")}`);
  if (requested.includes("coverage") && withIntervals === 0) {
    throw new RangeError("coverage was requested but the cross-validation rows have no yhat_lower/yhat_upper");
  }
  return [...requested];
}

/** The pointwise term each metric averages (undefined: the row does not count for that metric). */
function pointwise(metric: MetricName, row: CrossValidationRow): number | undefined {
  switch (metric) {
    case "mse":
    case "rmse":
      return squaredError(row.y, row.yhat);
    case "mae":
      return absoluteError(row.y, row.yhat);
    case "mape":
    case "mdape":
      return absolutePercentageError(row.y, row.yhat);
    case "smape":
      return symmetricAbsolutePercentageError(row.y, row.yhat);
    case "coverage":
      return isCovered(row.y, row.yhat_lower!, row.yhat_upper!);
  }
}

function windowSize(rollingWindow: number, n: number): number {
  return Math.min(Math.max(Math.floor(rollingWindow * n), 1), n);
}

/**
 * Metrics by forecast horizon over cross-validation rows (Prophet's `performance_metrics`), one
 * result row per horizon (in days, ascending) that has a full window; see the module comment for
 * the window rule. Throws for no rows, unknown or repeated metrics, and coverage without intervals.
 */
export function performanceMetrics(cvRows: readonly CrossValidationRow[], options: PerformanceMetricsOptions = {}): HorizonMetrics[] {
  if (cvRows.length === 0) throw new RangeError("performanceMetrics: no cross-validation rows");
  const rollingWindow = options.rollingWindow ?? 0.1;
  if (!Number.isFinite(rollingWindow)) throw new RangeError(`rollingWindow must be a finite number, got ${rollingWindow}`);
  const metrics = chooseMetrics(cvRows, options.metrics);
  const sorted = byHorizon(cvRows);

  if (rollingWindow < 0) {
    return sorted.map(({ row, h }) => {
      const out: HorizonMetrics = { horizon: h / MS_PER_DAY };
      for (const m of metrics) {
        const x = pointwise(m, row);
        out[m] = x === undefined ? Number.NaN : m === "rmse" ? Math.sqrt(x) : x;
      }
      return out;
    });
  }

  const values = new Map<MetricName, Map<number, number>>();
  for (const m of metrics) {
    const points: HorizonPoint[] = [];
    for (const { row, h } of sorted) {
      const x = pointwise(m, row);
      if (x !== undefined) points.push({ h, x });
    }
    if (points.length === 0) {
      values.set(m, new Map());
      continue;
    }
    const w = windowSize(rollingWindow, points.length);
    const byH = m === "mdape" ? rollingMedianByHorizon(points, w) : rollingMeanByHorizon(points, w);
    if (m === "rmse") for (const [h, v] of byH) byH.set(h, Math.sqrt(v));
    values.set(m, byH);
  }

  // Horizons: those where the metrics that use every row have a value (Prophet's rows); when only
  // percentage metrics were asked for, theirs.
  const allRowMetrics = metrics.filter((m) => m !== "mape" && m !== "mdape");
  const horizons = [...values.get(allRowMetrics[0] ?? metrics[0]!)!.keys()].sort((a, b) => a - b);
  return horizons.map((h) => {
    const out: HorizonMetrics = { horizon: h / MS_PER_DAY };
    for (const m of metrics) out[m] = values.get(m)!.get(h) ?? Number.NaN;
    return out;
  });
}

/** One number per metric over all cross-validation rows: mse, rmse, mae, mape, mdape, smape, and coverage when the rows have intervals. */
export type SummaryMetrics = Record<Exclude<MetricName, "coverage">, number> & { coverage?: number };

/**
 * Each metric over every cross-validation row at once (no horizons, no windows): the functions of
 * `metrics.ts` applied to y and yhat of all rows. mape/mdape leave out rows with y = 0 (NaN when all are 0).
 */
export function summaryMetrics(cvRows: readonly CrossValidationRow[]): SummaryMetrics {
  if (cvRows.length === 0) throw new RangeError("summaryMetrics: no cross-validation rows");
  const withCoverage = chooseMetrics(cvRows, undefined).includes("coverage");
  const y = cvRows.map((r) => r.y);
  const yhat = cvRows.map((r) => r.yhat);
  const summary: SummaryMetrics = {
    mse: mse(y, yhat),
    rmse: rmse(y, yhat),
    mae: mae(y, yhat),
    mape: mape(y, yhat),
    mdape: mdape(y, yhat),
    smape: smape(y, yhat),
  };
  if (withCoverage) {
    summary.coverage = coverage(
      y,
      cvRows.map((r) => r.yhat_lower!),
      cvRows.map((r) => r.yhat_upper!),
    );
  }
  return summary;
}
