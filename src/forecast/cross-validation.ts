import { MS_PER_DAY } from "../io/time.js";
/**
 * Backtests for any forecasting model, after Prophet's `cross_validation` (`prophet.diagnostics`):
 * simulated historical forecasts from a series of cutoff dates, each model refit on the history up
 * to its cutoff and asked for the dates in the following horizon.
 *
 * Durations are in days (fractions allowed); dates are UTC instants.
 */

export { MS_PER_DAY } from "../io/time.js";

/** A series in Prophet's shape: `ds` dates and `y` values, `null` for a missing value. */
export interface SeriesHistory {
  readonly ds: readonly Date[];
  readonly y: readonly (number | null)[];
}

/** A model's forecast for the requested dates, in the order requested. */
export interface PointForecast {
  ds: Date[];
  yhat: number[];
  yhat_lower?: number[];
  yhat_upper?: number[];
}

/** A fitted model: forecasts any dates. */
export interface FittedForecastModel {
  predict(ds: readonly Date[]): PointForecast;
}

/**
 * What cross-validation needs from a model: a name and a `fit` that learns from a history and
 * returns something that predicts. `fit` must not change the model itself (it is called once per
 * cutoff), the way a Prophet object is copied with its settings for every cutoff.
 */
export interface ForecastModel {
  readonly name: string;
  fit(history: { ds: readonly Date[]; y: readonly (number | null)[] }): Promise<FittedForecastModel>;
}

/** One simulated forecast: the actual `y`, the forecast made at `cutoff`, and its interval when the model gives one. */
export interface CrossValidationRow {
  ds: Date;
  y: number;
  yhat: number;
  yhat_lower?: number;
  yhat_upper?: number;
  cutoff: Date;
}

export interface CrossValidationOptions {
  /** How far ahead each simulated forecast goes, in days. */
  horizonDays: number;
  /** Spacing of generated cutoffs, in days; default horizon / 2. Ignored when `cutoffs` is given. */
  periodDays?: number;
  /** Least history before the first generated cutoff, in days; default 3 × horizon. Ignored when `cutoffs` is given. */
  initialDays?: number;
  /** Cutoffs to use instead of generated ones. */
  cutoffs?: readonly Date[];
  /** Called before the model is fitted at each cutoff (`index` is 1-based among `cutoffs`), e.g. to report progress. */
  onCutoff?: (info: { cutoff: Date; index: number; cutoffs: number }) => void;
}

interface Row {
  readonly t: number;
  readonly ds: Date;
  readonly y: number | null;
}

function positiveDays(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number of days, got ${value}`);
  return value * MS_PER_DAY;
}

function isoDate(t: number): string {
  const iso = new Date(t).toISOString();
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso;
}

/** The history's rows sorted by ds; throws for unequal lengths, invalid or duplicate dates, non-finite y. */
function sortedRows(history: SeriesHistory, what: string): Row[] {
  if (history.ds.length !== history.y.length) {
    throw new RangeError(`${what}: ds has ${history.ds.length} values but y has ${history.y.length}`);
  }
  const rows = history.ds.map((ds, i): Row => {
    const t = ds.getTime();
    if (Number.isNaN(t)) throw new RangeError(`${what}: ds[${i}] is an invalid Date`);
    const y = history.y[i]!;
    if (y !== null && !Number.isFinite(y)) throw new RangeError(`${what}: y[${i}] is ${y}; use null for a missing value`);
    return { t, ds, y };
  });
  rows.sort((a, b) => a.t - b.t);
  for (let i = 1; i < rows.length; i++) {
    if (rows[i]!.t === rows[i - 1]!.t) throw new RangeError(`${what}: ds ${isoDate(rows[i]!.t)} appears twice`);
  }
  return rows;
}

/**
 * Cutoffs by Prophet's rule (`generate_cutoffs`), for the sorted dates `ds` of the observed rows:
 * the last cutoff is `max(ds) - horizon`; each earlier one is `period` before the next, except that
 * a cutoff whose window (cutoff, cutoff + horizon] holds no date moves back to
 * `max{ds ≤ cutoff} - horizon`; cutoffs before `min(ds) + initial` are dropped. Returned oldest first.
 *
 * Example: daily dates day 0..99, horizon 10, period 5, initial 30 → days 34, 39, …, 89.
 * Throws when `max(ds) - horizon < min(ds)` or when no cutoff has `initial` of history.
 */
export function generateCutoffs(
  ds: readonly Date[],
  options: { horizonDays: number; periodDays: number; initialDays: number },
): Date[] {
  const horizon = positiveDays("horizonDays", options.horizonDays);
  const period = positiveDays("periodDays", options.periodDays);
  if (!Number.isFinite(options.initialDays) || options.initialDays < 0) {
    throw new RangeError(`initialDays must be a number of days ≥ 0, got ${options.initialDays}`);
  }
  const initial = options.initialDays * MS_PER_DAY;
  const times = ds.map((d) => d.getTime()).sort((a, b) => a - b);
  if (times.length === 0) throw new RangeError("generateCutoffs: no dates");
  const first = times[0]!;
  const last = times[times.length - 1]!;
  const hasDateIn = (from: number, to: number): boolean => times.some((t) => t > from && t <= to);
  const lastDateAtOrBefore = (t: number): number => {
    let found = first;
    for (const x of times) if (x <= t) found = x;
    return found;
  };

  let cutoff = last - horizon;
  if (cutoff < first) {
    throw new RangeError(
      `less data than the horizon: the series spans ${(last - first) / MS_PER_DAY} days (${isoDate(first)} to ${isoDate(last)}), the horizon is ${options.horizonDays} days`,
    );
  }
  const cutoffs: number[] = [];
  while (cutoff >= first + initial) {
    cutoffs.push(cutoff);
    cutoff -= period;
    if (!hasDateIn(cutoff, cutoff + horizon) && cutoff > first) cutoff = lastDateAtOrBefore(cutoff) - horizon;
  }
  if (cutoffs.length === 0) {
    throw new RangeError(
      `less data than horizon + initial: the series spans ${(last - first) / MS_PER_DAY} days (${isoDate(first)} to ${isoDate(last)}), ` +
        `a cutoff needs ${options.initialDays} days of history before it and ${options.horizonDays} days after it; make the horizon or initial shorter`,
    );
  }
  return cutoffs.reverse().map((t) => new Date(t));
}

function checkCutoffs(cutoffs: readonly Date[], first: number, last: number, horizon: number, horizonDays: number): number[] {
  if (cutoffs.length === 0) throw new RangeError("cutoffs is empty");
  const times = cutoffs.map((c, i) => {
    const t = c.getTime();
    if (Number.isNaN(t)) throw new RangeError(`cutoffs[${i}] is an invalid Date`);
    return t;
  });
  times.sort((a, b) => a - b);
  const earliest = times[0]!;
  const latest = times[times.length - 1]!;
  if (earliest <= first) {
    throw new RangeError(`cutoff ${isoDate(earliest)} is not after the first observed date ${isoDate(first)}; there is no history to fit`);
  }
  if (latest > last - horizon) {
    throw new RangeError(
      `cutoff ${isoDate(latest)} is later than the last observed date minus the horizon (${isoDate(last)} - ${horizonDays} days = ${isoDate(last - horizon)})`,
    );
  }
  return times;
}

function checkForecast(forecast: PointForecast, requested: readonly Row[], model: string, cutoff: number): void {
  const n = requested.length;
  const where = `model '${model}' at cutoff ${isoDate(cutoff)}`;
  for (const key of ["ds", "yhat", "yhat_lower", "yhat_upper"] as const) {
    const column = forecast[key];
    if (column !== undefined && column.length !== n) {
      throw new Error(`${where}: predict returned ${column.length} values of ${key} for ${n} requested dates`);
    }
  }
  if ((forecast.yhat_lower === undefined) !== (forecast.yhat_upper === undefined)) {
    throw new Error(`${where}: predict returned only one of yhat_lower and yhat_upper`);
  }
  for (let i = 0; i < n; i++) {
    if (forecast.ds[i]!.getTime() !== requested[i]!.t) {
      throw new Error(`${where}: predict returned ds ${forecast.ds[i]!.toISOString()} where ${requested[i]!.ds.toISOString()} was requested`);
    }
  }
}

/**
 * Simulated historical forecasts (Prophet's `cross_validation`). Rows with y = null take part in
 * fitting but are neither cutoff anchors nor forecast targets (Prophet drops them from its history).
 *
 * Cutoffs: `options.cutoffs`, or `generateCutoffs` over the observed dates with period (default
 * horizon / 2) and initial (default 3 × horizon). For each cutoff c, the model is fitted on the rows
 * with ds ≤ c (at least 2 observed values needed) and predicts the observed dates in (c, c + horizon].
 * Returns the rows ordered by cutoff, then ds.
 */
export async function crossValidation(
  history: SeriesHistory,
  model: ForecastModel,
  options: CrossValidationOptions,
): Promise<CrossValidationRow[]> {
  const rows = sortedRows(history, "crossValidation history");
  const observed = rows.filter((r) => r.y !== null);
  if (observed.length < 2) throw new RangeError(`crossValidation: the history has ${observed.length} observed values; it needs at least 2`);
  const horizon = positiveDays("horizonDays", options.horizonDays);
  const first = observed[0]!.t;
  const last = observed[observed.length - 1]!.t;

  const cutoffs =
    options.cutoffs !== undefined
      ? checkCutoffs(options.cutoffs, first, last, horizon, options.horizonDays)
      : generateCutoffs(
          observed.map((r) => r.ds),
          {
            horizonDays: options.horizonDays,
            periodDays: options.periodDays ?? options.horizonDays / 2,
            initialDays: options.initialDays ?? 3 * options.horizonDays,
          },
        ).map((d) => d.getTime());

  const result: CrossValidationRow[] = [];
  for (const [i, cutoff] of cutoffs.entries()) {
    const train = rows.filter((r) => r.t <= cutoff);
    const trainObserved = train.reduce((n, r) => (r.y === null ? n : n + 1), 0);
    if (trainObserved < 2) {
      throw new RangeError(
        `cutoff ${isoDate(cutoff)} has ${trainObserved} observed value(s) at or before it; a fit needs at least 2 (increase initial or move the cutoff later)`,
      );
    }
    const targets = observed.filter((r) => r.t > cutoff && r.t <= cutoff + horizon);
    if (targets.length === 0) continue;
    options.onCutoff?.({ cutoff: new Date(cutoff), index: i + 1, cutoffs: cutoffs.length });
    const fitted = await model.fit({ ds: train.map((r) => r.ds), y: train.map((r) => r.y) });
    const forecast = fitted.predict(targets.map((r) => r.ds));
    checkForecast(forecast, targets, model.name, cutoff);
    targets.forEach((target, i) => {
      const row: CrossValidationRow = { ds: target.ds, y: target.y!, yhat: forecast.yhat[i]!, cutoff: new Date(cutoff) };
      if (forecast.yhat_lower !== undefined && forecast.yhat_upper !== undefined) {
        row.yhat_lower = forecast.yhat_lower[i]!;
        row.yhat_upper = forecast.yhat_upper[i]!;
      }
      result.push(row);
    });
  }
  if (result.length === 0) throw new RangeError("crossValidation: no observed dates fall within the horizon after any cutoff");
  return result;
}

/** The single train/test split of the seed project's forecast evaluation. */
export interface SeedProtocolSplit {
  /** Last training date: the last observed date of the history minus the horizon. */
  readonly cutoff: Date;
  /** Rows with cutoff - trainDays < ds ≤ cutoff (missing values kept). */
  readonly train: SeriesHistory;
  /** Observed rows with cutoff < ds ≤ last date (rows without y cannot be scored and are left out). */
  readonly test: { readonly ds: readonly Date[]; readonly y: readonly number[] };
  /** train and test together: `crossValidation(split.history, model, { horizonDays, cutoffs: [split.cutoff] })` runs the protocol. */
  readonly history: SeriesHistory;
}

/**
 * The seed's single split: test on the final `horizonDays` days of the history, train on the
 * `trainDays` days before them (with L = the last ds that has a y: cutoff = L - horizon; train (cutoff - trainDays, cutoff];
 * test (cutoff, L]). Throws when the train window has fewer than 2 observed values or the test window none.
 */
export function seedProtocolSplit(history: SeriesHistory, trainDays: number, horizonDays: number): SeedProtocolSplit {
  const trainSpan = positiveDays("trainDays", trainDays);
  const horizon = positiveDays("horizonDays", horizonDays);
  const rows = sortedRows(history, "seedProtocolSplit history");
  const lastObserved = rows.filter((r) => r.y !== null).pop();
  if (lastObserved === undefined) throw new RangeError("seedProtocolSplit: the history has no observed value");
  const last = lastObserved.t;
  const cutoff = last - horizon;
  const train = rows.filter((r) => r.t > cutoff - trainSpan && r.t <= cutoff);
  const test = rows.filter((r) => r.t > cutoff && r.y !== null);
  const trainObserved = train.filter((r) => r.y !== null).length;
  if (trainObserved < 2) {
    throw new RangeError(
      `seedProtocolSplit: the ${trainDays} training days before ${isoDate(cutoff)} hold ${trainObserved} observed value(s); at least 2 are needed (the series starts ${isoDate(rows[0]!.t)})`,
    );
  }
  if (test.length === 0) throw new RangeError(`seedProtocolSplit: no observed value after ${isoDate(cutoff)} to test on`);
  const window = rows.filter((r) => r.t > cutoff - trainSpan && r.t <= last);
  return {
    cutoff: new Date(cutoff),
    train: { ds: train.map((r) => r.ds), y: train.map((r) => r.y) },
    test: { ds: test.map((r) => r.ds), y: test.map((r) => r.y!) },
    history: { ds: window.map((r) => r.ds), y: window.map((r) => r.y) },
  };
}

/**
 * The model's forecast for every date, NaN where it has none (a rule-based baseline has no forecast
 * for the first dates of its own history, and says so by throwing): all dates at once, else date by date.
 */
export function predictWhereDefined(fitted: FittedForecastModel, ds: readonly Date[]): PointForecast {
  try {
    return fitted.predict(ds);
  } catch {
    const one = ds.map((d) => {
      try {
        const f = fitted.predict([d]);
        return { yhat: f.yhat[0]!, lower: f.yhat_lower?.[0] ?? Number.NaN, upper: f.yhat_upper?.[0] ?? Number.NaN };
      } catch {
        return { yhat: Number.NaN, lower: Number.NaN, upper: Number.NaN };
      }
    });
    return { ds: [...ds], yhat: one.map((o) => o.yhat), yhat_lower: one.map((o) => o.lower), yhat_upper: one.map((o) => o.upper) };
  }
}
