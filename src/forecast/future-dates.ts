import { MS_PER_DAY } from "../io/time.js";
/**
 * Future dates after a history, like Prophet's `make_future_dataframe` (pandas `date_range` from the
 * last history date, keeping the `periods` dates after it).
 *
 * Frequencies (pandas aliases): `D` (days), `H`/`h` (hours), `min`/`T` (minutes), `S`/`s` (seconds),
 * `W` (7 days), each with an optional integer multiple (`5min`, `2H`, `7D`), and `MS` (month starts, UTC).
 * Fixed steps are exact in UTC (no daylight-saving shifts).
 */

const SECOND = 1000;
const UNIT_MS: Readonly<Record<string, number>> = {
  S: SECOND,
  s: SECOND,
  T: 60 * SECOND,
  min: 60 * SECOND,
  H: 3600 * SECOND,
  h: 3600 * SECOND,
  D: 86_400 * SECOND,
  W: 7 * 86_400 * SECOND,
};

export type ParsedFrequency = { readonly kind: "fixed"; readonly stepMs: number } | { readonly kind: "month-start"; readonly months: number };

/** Parses a frequency alias (`D`, `H`, `MS`, `5min`, ...); throws RangeError for anything else. */
export function parseFrequency(freq: string): ParsedFrequency {
  const match = /^(\d*)(MS|min|S|s|T|H|h|D|W)$/.exec(freq.trim());
  if (!match) throw new RangeError(`unknown frequency '${freq}': expected D, H, MS, 5min or another multiple like 2H, 15min, 7D`);
  const multiple = match[1] === "" ? 1 : Number(match[1]);
  if (!Number.isSafeInteger(multiple) || multiple < 1) throw new RangeError(`frequency '${freq}': the multiple must be a positive integer`);
  const unit = match[2]!;
  if (unit === "MS") return { kind: "month-start", months: multiple };
  return { kind: "fixed", stepMs: multiple * UNIT_MS[unit]! };
}

function isMonthStart(ms: number): boolean {
  const d = new Date(ms);
  return d.getUTCDate() === 1 && ms % MS_PER_DAY === 0;
}

function monthIndex(ms: number): number {
  const d = new Date(ms);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/** The alias for a fixed step in ms: the largest whole unit (`D`, `H`, `min`, `S`) with its multiple. */
export function frequencyOfStep(stepMs: number): string {
  if (!Number.isFinite(stepMs) || stepMs <= 0) throw new RangeError(`frequency step must be positive, got ${stepMs} ms`);
  for (const [unit, ms] of [["D", MS_PER_DAY], ["H", 3_600_000], ["min", 60_000], ["S", 1000]] as const) {
    if (stepMs % ms === 0) {
      const n = stepMs / ms;
      return n === 1 ? unit : `${n}${unit}`;
    }
  }
  throw new RangeError(`frequency step of ${stepMs} ms is not a whole number of seconds`);
}

/**
 * The frequency of a history: `MS` when every date is a UTC month start and the steps are calendar months,
 * else the most common positive step between consecutive distinct dates (ties: the smaller step).
 */
export function inferFrequency(ds: readonly Date[]): string {
  const times = [...new Set(ds.map((d) => d.getTime()))].sort((a, b) => a - b);
  if (times.length < 2) throw new RangeError("cannot infer a frequency from fewer than two distinct dates; pass freq");
  if (times.every(isMonthStart)) {
    const counts = new Map<number, number>();
    for (let i = 1; i < times.length; i++) {
      const months = monthIndex(times[i]!) - monthIndex(times[i - 1]!);
      counts.set(months, (counts.get(months) ?? 0) + 1);
    }
    const [months] = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]!;
    return months === 1 ? "MS" : `${months}MS`;
  }
  const counts = new Map<number, number>();
  for (let i = 1; i < times.length; i++) {
    const step = times[i]! - times[i - 1]!;
    counts.set(step, (counts.get(step) ?? 0) + 1);
  }
  const [step] = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]!;
  return frequencyOfStep(step);
}

export interface FutureDatesOptions {
  /** Put the distinct history dates (sorted) before the future ones, as Prophet's default does. Default false. */
  includeHistory?: boolean;
}

/**
 * `periods` dates after the last history date at `freq` (default: inferred from the history).
 * For `MS`, the month starts after the last date's month (midnight UTC).
 */
export function makeFutureDates(history: readonly Date[], periods: number, freq?: string, options: FutureDatesOptions = {}): Date[] {
  if (!Number.isInteger(periods) || periods < 0) throw new RangeError(`periods must be a non-negative integer, got ${periods}`);
  if (history.length === 0) throw new RangeError("makeFutureDates: the history has no dates");
  let last = -Infinity;
  for (const d of history) {
    const t = d.getTime();
    if (Number.isNaN(t)) throw new RangeError("makeFutureDates: the history has an invalid date");
    if (t > last) last = t;
  }
  const parsed = parseFrequency(freq ?? inferFrequency(history));
  const future: Date[] = [];
  if (parsed.kind === "fixed") {
    for (let i = 1; i <= periods; i++) future.push(new Date(last + i * parsed.stepMs));
  } else {
    // First month start strictly after `last`, then every `months` months (pandas: date_range(last, freq=MS)).
    const first = isMonthStart(last) ? monthIndex(last) + parsed.months : monthIndex(last) + 1;
    for (let i = 0; i < periods; i++) {
      const m = first + i * parsed.months;
      future.push(new Date(Date.UTC(Math.floor(m / 12), m % 12, 1)));
    }
  }
  if (!options.includeHistory) return future;
  const historyTimes = [...new Set(history.map((d) => d.getTime()))].sort((a, b) => a - b);
  return [...historyTimes.map((t) => new Date(t)), ...future];
}
