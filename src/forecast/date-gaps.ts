/**
 * Dates missing inside a regular series are missing observations, as Prophet sees a NaN y: they get a
 * row with y = null, so a model fits without them and still forecasts them (a 5-minute sensor series
 * with dropped readings, a shop closed on some days).
 */
import { inferFrequency, parseFrequency } from "./future-dates.js";

export interface SeriesRows {
  ds: Date[];
  y: (number | null)[];
}

/**
 * The series with a null row for every date of its frequency (`freq`, else inferred) missing between
 * its first and last date; `added` counts them. A series whose dates are not all on that grid (an
 * irregular one) comes back unchanged: there is no gap to name.
 */
export function fillDateGaps(series: SeriesRows, freq?: string): SeriesRows & { added: number } {
  if (series.ds.length < 2) return { ...series, added: 0 };
  const parsed = parseFrequency(freq ?? inferFrequency(series.ds));
  const times = series.ds.map((d) => d.getTime());
  const first = Math.min(...times);
  const last = Math.max(...times);
  const grid: number[] = [];
  if (parsed.kind === "fixed") {
    if ((last - first) / parsed.stepMs > 10_000_000) return { ...series, added: 0 };
    for (let t = first; t <= last; t += parsed.stepMs) grid.push(t);
  } else {
    const start = new Date(first);
    for (let m = 0; ; m += parsed.months) {
      const t = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + m, 1);
      if (t > last) break;
      grid.push(t);
    }
  }
  const onGrid = new Set(grid);
  if (!times.every((t) => onGrid.has(t))) return { ...series, added: 0 };
  const value = new Map(times.map((t, i) => [t, series.y[i]!]));
  return { ds: grid.map((t) => new Date(t)), y: grid.map((t) => (value.has(t) ? value.get(t)! : null)), added: grid.length - times.length };
}
