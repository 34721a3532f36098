import {
  FIRST_PURCHASE_DAY,
  HOUR_ORDERS,
  LAST_PURCHASE_DAY,
  MONTHLY_ORDERS,
  OCT_2016_LAUNCH_DAYS,
  SPECIAL_DAYS,
  WEEKDAY_ORDERS,
} from "./calibration.js";
import { Random, WeightedTable } from "./rng.js";

/**
 * Purchase times: which day (monthly volumes of the real file, weekday pattern, Black Friday) and which
 * hour (hour-of-day profile of the real file). Times are seconds since the epoch of naive Brazilian
 * local time, handled as UTC.
 */

export const DAY = 86_400;
export const HOUR = 3_600;

/** Seconds at 00:00:00 of a `YYYY-MM-DD` day. */
export function dayStart(isoDay: string): number {
  return Date.parse(`${isoDay}T00:00:00Z`) / 1000;
}

/** 00:00:00 of the day holding `t`. */
export function floorDay(t: number): number {
  return Math.floor(t / DAY) * DAY;
}

/** Weekday of `t`, Monday = 0 .. Sunday = 6 (1970-01-01 was a Thursday). */
export function weekday(t: number): number {
  return (Math.floor(t / DAY) + 3) % 7;
}

export const FIRST_DAY = dayStart(FIRST_PURCHASE_DAY);
export const LAST_DAY = dayStart(LAST_PURCHASE_DAY);
/** The moment the real data was extracted: nothing happens after it (no delivery, no review answer). */
export const DATA_END = LAST_DAY + DAY - 1;

interface DayWeights {
  readonly days: Float64Array;
  readonly table: WeightedTable;
}

let cachedDays: DayWeights | undefined;

/** Every purchase day with its expected share of orders. */
export function purchaseDayWeights(): DayWeights {
  if (cachedDays) return cachedDays;
  const weekdayMean = WEEKDAY_ORDERS.reduce((a, b) => a + b, 0) / 7;
  const special = new Map(SPECIAL_DAYS.map(([day, n]) => [dayStart(day), n]));
  const days: number[] = [];
  const weights: number[] = [];
  for (const [month, total] of MONTHLY_ORDERS) {
    const first = dayStart(`${month}-01`);
    const [y, m] = month.split("-").map(Number) as [number, number];
    const next = Date.UTC(y, m, 1) / 1000;
    const monthDays: number[] = [];
    for (let t = first; t < next; t += DAY) if (t >= FIRST_DAY && t <= LAST_DAY) monthDays.push(t);
    let fixed = 0;
    const raw = monthDays.map((t) => {
      const s = special.get(t);
      if (s !== undefined) {
        fixed += s;
        return 0;
      }
      let w = WEEKDAY_ORDERS[weekday(t)]! / weekdayMean;
      if (month === "2016-10") {
        const dom = new Date(t * 1000).getUTCDate();
        if (dom < OCT_2016_LAUNCH_DAYS[0] || dom > OCT_2016_LAUNCH_DAYS[1]) w *= 0.02;
      }
      return w;
    });
    const rawSum = raw.reduce((a, b) => a + b, 0);
    const rest = Math.max(total - fixed, 0);
    monthDays.forEach((t, i) => {
      const s = special.get(t);
      days.push(t);
      weights.push(s !== undefined ? s : rawSum > 0 ? (raw[i]! / rawSum) * rest : 0);
    });
  }
  cachedDays = { days: Float64Array.from(days), table: new WeightedTable(weights) };
  return cachedDays;
}

const hourTable = new WeightedTable(HOUR_ORDERS);

/** `n` purchase times following the real calendar, sorted ascending. */
export function samplePurchaseTimes(rng: Random, n: number): Float64Array {
  const { days, table } = purchaseDayWeights();
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const day = days[table.pick(rng)]!;
    const hour = hourTable.pick(rng);
    times[i] = day + hour * HOUR + Math.floor(rng.next() * HOUR);
  }
  return times.sort();
}

