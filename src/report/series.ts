import { MS_PER_DAY } from "../io/time.js";
/**
 * Data preparation for charts: pure functions from rows to rows. Everything a chart needs that is not a
 * visual choice (date serialisation, moving averages, weekly totals, top-N with an "other" bucket) lives
 * here, so it is tested without rendering anything.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/** A calendar date as chart data accepts it: a `Date` (its UTC day) or an ISO string starting `YYYY-MM-DD`. */
export type DateLike = Date | string;

/**
 * The UTC calendar day of `value` as `YYYY-MM-DD`, the form a vega-lite spec carries (valid JSON, parsed
 * by vega as UTC midnight). Polars `Date` columns arrive as `Date` objects at UTC midnight.
 * Throws a TypeError naming the value when it is not a valid date.
 */
export function toIsoDate(value: DateLike): string {
  if (typeof value === "string") {
    // A timestamp string keeps the calendar day it was written with (no time-zone conversion).
    const match = ISO_DATE.exec(value);
    if (match) {
      const [, y, m, d] = match;
      const probe = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
      if (probe.getUTCMonth() === Number(m) - 1 && probe.getUTCDate() === Number(d)) return value.slice(0, 10);
    }
    throw new TypeError(`not a date: ${JSON.stringify(value)} (expected YYYY-MM-DD or an ISO timestamp)`);
  }
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new TypeError(`not a date: ${String(value)}`);
  }
  return value.toISOString().slice(0, 10);
}

function dayNumber(isoDate: string): number {
  return Math.round(Date.parse(`${isoDate}T00:00:00Z`) / MS_PER_DAY);
}

function isoFromDayNumber(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** One value per calendar day. */
export interface DailyPoint {
  readonly ds: string;
  readonly value: number;
}

/**
 * Sums `rows` per calendar day (several rows on one day are added), sorted by day. Days absent from
 * `rows` stay absent; see {@link trailingMean} for how they count.
 */
export function dailyTotals<R>(rows: readonly R[], date: (r: R) => DateLike, value: (r: R) => number): DailyPoint[] {
  const totals = new Map<string, number>();
  for (const row of rows) {
    const ds = toIsoDate(date(row));
    totals.set(ds, (totals.get(ds) ?? 0) + value(row));
  }
  return [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([ds, v]) => ({ ds, value: v }));
}

/**
 * Trailing moving average over calendar days: for each day d from the `window`-th day of the series on,
 * mean = (sum of values on days d-window+1 .. d) / window. A day missing from `points` counts as 0
 * (a daily order series without a row for a day had no orders that day). `points` must be sorted by day
 * with one point a day (as {@link dailyTotals} returns). The first window-1 days have no average.
 */
export function trailingMean(points: readonly DailyPoint[], window: number): DailyPoint[] {
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`window must be a positive integer, got ${window}`);
  const first = points[0];
  if (first === undefined) return [];
  const byDay = new Map(points.map((p) => [dayNumber(p.ds), p.value]));
  const start = dayNumber(first.ds);
  const end = dayNumber(points[points.length - 1]!.ds);
  const out: DailyPoint[] = [];
  let sum = 0;
  for (let day = start; day <= end; day++) {
    sum += byDay.get(day) ?? 0;
    if (day - window >= start) sum -= byDay.get(day - window) ?? 0;
    if (day - start + 1 >= window) out.push({ ds: isoFromDayNumber(day), value: sum / window });
  }
  return out;
}

/** A total over one ISO week (Monday to Sunday); `weekStart` is the Monday, `weekEnd` the next Monday. */
export interface WeeklyPoint {
  readonly weekStart: string;
  readonly weekEnd: string;
  readonly value: number;
  /** Days of the week that had a row in the input (a partial first or last week has fewer than 7). */
  readonly days: number;
}

/** The Monday (UTC) of the ISO week containing `date`, as `YYYY-MM-DD`. */
export function isoWeekStart(date: DateLike): string {
  const day = dayNumber(toIsoDate(date));
  // Day 0 (1970-01-01) was a Thursday: (day + 3) mod 7 is 0 on Mondays.
  const sinceMonday = (((day + 3) % 7) + 7) % 7;
  return isoFromDayNumber(day - sinceMonday);
}

/** Sums daily points into ISO weeks (Monday start), sorted by week. */
export function weeklyTotals(points: readonly DailyPoint[]): WeeklyPoint[] {
  const weeks = new Map<string, { value: number; days: number }>();
  for (const p of points) {
    const key = isoWeekStart(p.ds);
    const w = weeks.get(key) ?? { value: 0, days: 0 };
    w.value += p.value;
    w.days += 1;
    weeks.set(key, w);
  }
  return [...weeks.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([weekStart, w]) => ({ weekStart, weekEnd: isoFromDayNumber(dayNumber(weekStart) + 7), value: w.value, days: w.days }));
}

/** A labelled value, e.g. revenue of one category. */
export interface LabelledValue {
  readonly label: string;
  readonly value: number;
}

/**
 * The `top` largest values (after summing rows with the same label), largest first, and one more entry
 * `otherLabel` holding the sum of all the rest when there is a rest. Ties keep the input order.
 * The total of the result equals the total of the input.
 */
export function topNWithOther(rows: readonly LabelledValue[], top: number, otherLabel = "other"): LabelledValue[] {
  if (!Number.isInteger(top) || top < 1) throw new RangeError(`top must be a positive integer, got ${top}`);
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.label, (totals.get(r.label) ?? 0) + r.value);
  const sorted = [...totals.entries()].map(([label, value]) => ({ label, value })).sort((a, b) => b.value - a.value);
  if (sorted.length <= top) return sorted;
  const kept = sorted.slice(0, top);
  const rest = sorted.slice(top);
  // An input label equal to otherLabel is folded into the bucket rather than shown twice.
  const keptWithoutOther = kept.filter((r) => r.label !== otherLabel);
  const folded = kept.filter((r) => r.label === otherLabel).concat(rest);
  const otherValue = folded.reduce((s, r) => s + r.value, 0);
  return [...keptWithoutOther, { label: otherLabel, value: otherValue }];
}

/** Share of each value in the total, 0..1 (0 for every row when the total is 0). */
export function shares(values: readonly number[]): number[] {
  const total = values.reduce((s, v) => s + v, 0);
  return values.map((v) => (total === 0 ? 0 : v / total));
}

/** A chart data row after {@link toJsonRows}: only JSON values. */
export type JsonValue = string | number | boolean | null;
export type JsonRow = Record<string, JsonValue>;

/**
 * Rows made JSON-safe for a spec's inline `values`: a `Date` at UTC midnight becomes `YYYY-MM-DD`,
 * another `Date` its full ISO timestamp, `bigint` a number, non-finite numbers and `undefined` null;
 * nested objects are not expected in chart data and become their JSON text.
 */
export function toJsonRows(rows: readonly Record<string, unknown>[]): JsonRow[] {
  return rows.map((row) => {
    const out: JsonRow = {};
    for (const [key, value] of Object.entries(row)) out[key] = toJsonValue(value);
    return out;
  });
}

function toJsonValue(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    return value.getTime() % MS_PER_DAY === 0 ? toIsoDate(value) : value.toISOString();
  }
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string" || typeof value === "boolean") return value;
  return JSON.stringify(value) ?? null;
}
