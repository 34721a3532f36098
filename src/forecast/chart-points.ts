import type { CrossValidationRow, SeriesHistory } from "./cross-validation.js";
import { MS_PER_DAY } from "../io/time.js";

export interface ChartPoint {
  ds: Date;
  y: number | null;
  yhat: number | null;
  yhat_lower: number | null;
  yhat_upper: number | null;
}

/**
 * Points for a forecast chart: the actuals of the `contextDays` before the first forecast day, then the
 * forecast rows (one cutoff's simulated forecast, with its actuals).
 */
export function forecastChartPoints(history: SeriesHistory, rows: readonly CrossValidationRow[], contextDays: number): ChartPoint[] {
  if (rows.length === 0) return [];
  const first = Math.min(...rows.map((r) => r.ds.getTime()));
  const from = first - contextDays * MS_PER_DAY;
  const context: ChartPoint[] = history.ds
    .map((ds, i) => ({ ds, y: history.y[i] ?? null, yhat: null, yhat_lower: null, yhat_upper: null }))
    .filter((p) => p.ds.getTime() >= from && p.ds.getTime() < first);
  const forecast: ChartPoint[] = rows.map((r) => ({ ds: r.ds, y: r.y, yhat: r.yhat, yhat_lower: r.yhat_lower ?? null, yhat_upper: r.yhat_upper ?? null }));
  return [...context, ...forecast];
}

/** The named components only (e.g. the seasonalities and the `holidays` total, not one panel per holiday). */
export function pickComponents(components: Readonly<Record<string, readonly number[]>>, names: readonly string[]): Record<string, readonly number[]> {
  return Object.fromEntries(names.filter((n) => n in components).map((n) => [n, components[n]!]));
}
