/**
 * Prophet, fitted by its own Stan model (through @bsull/augurs), with Prophet's vocabulary and defaults.
 *
 * Setup → fit → predict, as in Prophet's forecaster.py:
 *  - setup (here): Prophet's defaults made explicit where augurs differs (interval width 0.8, holidays prior
 *    scale 10, 10,000 optimiser iterations), seasonalities decided by Prophet's `set_auto_seasonalities`
 *    rules, changepoints placed by Prophet's `set_changepoints` grid, holidays expanded into Prophet's
 *    per-day-offset features (holidays.ts);
 *  - fit: augurs builds Prophet's features and calls Prophet's Stan model (MAP by L-BFGS, BFGS if that
 *    fails); the optimiser
 *    is wrapped to keep the fitted parameters and to hand Stan the columns in Prophet's fixed order
 *    (fitted-params.ts);
 *  - predict: point values (yhat, trend, components) from augurs at the MAP; intervals from our seeded
 *    predictive simulation (uncertainty.ts), since augurs' are unseeded and cover yhat/trend only.
 *
 * Pure: no I/O besides loading the wasm once (prophet-runtime.ts).
 */
import type { Prophet as AugursProphet, ProphetOptions, ProphetPredictions, ProphetSeasonalityOption } from "@bsull/augurs/prophet";
import { DataValidationError } from "../io/data-validation-error.js";
import { captureOptimizer, fittedParamsFromCall, type FittedParams } from "./fitted-params.js";
import { makeFutureDates } from "./future-dates.js";
import { expandHolidayWindows, holidayIndicator, holidayRowsFor, toAugursHolidays, type HolidayFeature, type HolidayRow } from "./holidays.js";
import { loadProphetRuntime, renewOptimizer } from "./prophet-runtime.js";
import { simulateIntervals } from "./uncertainty.js";
import { MS_PER_DAY } from "../io/time.js";

export type { FittedParams } from "./fitted-params.js";
export type { HolidayRow } from "./holidays.js";

/** "auto" (Prophet's rule), true/false, or a Fourier order (0 = off). */
export type SeasonalitySetting = "auto" | boolean | number;

/** Prophet's options, with Prophet's names and defaults (see DEFAULT_PROPHET_CONFIG). */
export interface ProphetConfig {
  growth: "linear" | "flat";
  nChangepoints: number;
  changepointRange: number;
  changepointPriorScale: number;
  seasonalityPriorScale: number;
  holidaysPriorScale: number;
  seasonalityMode: "additive" | "multiplicative";
  yearlySeasonality: SeasonalitySetting;
  weeklySeasonality: SeasonalitySetting;
  dailySeasonality: SeasonalitySetting;
  /** "BR": R Prophet 1.0's Brazil list; "BR-retail": plus Carnival, Good Friday, Corpus Christi, Black Friday, Mother's Day; or a table. */
  holidays: "none" | "BR" | "BR-retail" | readonly HolidayRow[];
  intervalWidth: number;
  uncertaintySamples: number;
  /** Optimiser iterations (R Prophet passes 1e4 to rstan::optimizing). */
  iter: number;
  /** Seed of the uncertainty simulation (and the optimiser's, which MAP from Prophet's fixed start does not use). */
  seed: number;
}

export const DEFAULT_PROPHET_CONFIG: ProphetConfig = Object.freeze({
  growth: "linear",
  nChangepoints: 25,
  changepointRange: 0.8,
  changepointPriorScale: 0.05,
  seasonalityPriorScale: 10,
  holidaysPriorScale: 10,
  seasonalityMode: "additive",
  yearlySeasonality: "auto",
  weeklySeasonality: "auto",
  dailySeasonality: "auto",
  holidays: "none",
  intervalWidth: 0.8,
  uncertaintySamples: 1000,
  iter: 10000,
  seed: 1,
}) as ProphetConfig;

/** A series: UTC instants and values (null = missing; dropped for fitting, as Prophet drops NaN y). */
export interface SeriesInput {
  ds: readonly Date[];
  y: readonly (number | null)[];
}

/** Prophet's predict() columns; additive components in units of y, multiplicative ones relative. */
export interface ProphetForecast {
  ds: Date[];
  yhat: number[];
  yhat_lower: number[];
  yhat_upper: number[];
  trend: number[];
  trend_lower: number[];
  trend_upper: number[];
  additive_terms: number[];
  multiplicative_terms: number[];
  /** weekly, yearly, daily (those fitted), holidays (their sum) and each holiday by name. */
  components: Record<string, number[]>;
}

export interface SeasonalityInfo {
  name: string;
  period: number;
  fourierOrder: number;
  mode: string;
}

export interface FittedProphet {
  readonly config: ProphetConfig;
  readonly params: FittedParams;
  readonly history: SeriesInput;
  readonly seasonalities: SeasonalityInfo[];
  /** Forecast for the given dates (any order; rows come back in that order). */
  predict(ds: readonly Date[]): ProphetForecast;
  /** `periods` dates after the history at `freq` (D, H, MS, 5min, ...; default inferred from the history). */
  futureDates(periods: number, freq?: string): Date[];
}

/** Years of holiday dates generated past the history for "BR"/"BR-retail", so forecasts keep their holidays. */
const HOLIDAY_YEARS_AHEAD = 30;

// ---------------------------------------------------------------------------------------------------------
// Configuration

function checkSeasonality(name: string, value: unknown): SeasonalitySetting {
  if (value === "auto" || value === true || value === false) return value;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
  throw new RangeError(`${name} must be "auto", true, false or a Fourier order (integer >= 0), got ${JSON.stringify(value)}`);
}

function positive(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${JSON.stringify(value)}`);
  return value;
}

/** The defaults overlaid with `overrides`, checked; throws RangeError naming the bad option. */
export function resolveProphetConfig(overrides: Partial<ProphetConfig> = {}): ProphetConfig {
  const known = new Set(Object.keys(DEFAULT_PROPHET_CONFIG));
  for (const key of Object.keys(overrides)) {
    if (!known.has(key)) throw new RangeError(`unknown Prophet option '${key}' (known: ${[...known].join(", ")})`);
  }
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as Partial<ProphetConfig>;
  const c: ProphetConfig = { ...DEFAULT_PROPHET_CONFIG, ...defined };
  if (c.growth !== "linear" && c.growth !== "flat") throw new RangeError(`growth must be "linear" or "flat", got ${JSON.stringify(c.growth)}`);
  if (!Number.isInteger(c.nChangepoints) || c.nChangepoints < 0) throw new RangeError(`nChangepoints must be an integer >= 0, got ${c.nChangepoints}`);
  if (!(typeof c.changepointRange === "number" && c.changepointRange > 0 && c.changepointRange <= 1)) {
    throw new RangeError(`changepointRange must be in (0, 1], got ${c.changepointRange}`);
  }
  positive("changepointPriorScale", c.changepointPriorScale);
  positive("seasonalityPriorScale", c.seasonalityPriorScale);
  positive("holidaysPriorScale", c.holidaysPriorScale);
  if (c.seasonalityMode !== "additive" && c.seasonalityMode !== "multiplicative") {
    throw new RangeError(`seasonalityMode must be "additive" or "multiplicative", got ${JSON.stringify(c.seasonalityMode)}`);
  }
  checkSeasonality("yearlySeasonality", c.yearlySeasonality);
  checkSeasonality("weeklySeasonality", c.weeklySeasonality);
  checkSeasonality("dailySeasonality", c.dailySeasonality);
  if (!(c.holidays === "none" || c.holidays === "BR" || c.holidays === "BR-retail" || Array.isArray(c.holidays))) {
    throw new RangeError(`holidays must be "none", "BR", "BR-retail" or an array of HolidayRow, got ${JSON.stringify(c.holidays)}`);
  }
  if (!(typeof c.intervalWidth === "number" && c.intervalWidth > 0 && c.intervalWidth < 1)) throw new RangeError(`intervalWidth must be in (0, 1), got ${c.intervalWidth}`);
  if (!Number.isInteger(c.uncertaintySamples) || c.uncertaintySamples < 0) throw new RangeError(`uncertaintySamples must be an integer >= 0, got ${c.uncertaintySamples}`);
  if (!Number.isInteger(c.iter) || c.iter < 1) throw new RangeError(`iter must be a positive integer, got ${c.iter}`);
  if (!Number.isSafeInteger(c.seed)) throw new RangeError(`seed must be an integer, got ${c.seed}`);
  return c;
}

// ---------------------------------------------------------------------------------------------------------
// Setup: history, scales, seasonalities, changepoints (Prophet's rules)

interface PreparedHistory {
  /** Fitted rows sorted by ds (ms), y non-missing. */
  readonly ms: number[];
  readonly y: number[];
}

function prepareHistory(history: SeriesInput): PreparedHistory {
  if (!history || !Array.isArray(history.ds) || !Array.isArray(history.y)) {
    throw new TypeError("fitProphet: history must be { ds: Date[], y: (number | null)[] }");
  }
  if (history.ds.length !== history.y.length) {
    throw new DataValidationError({ file: "history", problem: `ds has ${history.ds.length} values but y has ${history.y.length}`, expected: "one y per ds" });
  }
  const rows: { ms: number; y: number }[] = [];
  history.ds.forEach((d, i) => {
    const ms = d instanceof Date ? d.getTime() : NaN;
    if (Number.isNaN(ms)) throw new DataValidationError({ file: "history", row: i + 1, column: "ds", value: String(d), problem: "not a valid date", expected: "a Date (UTC instant)" });
    if (ms % 1000 !== 0) throw new DataValidationError({ file: "history", row: i + 1, column: "ds", value: d.toISOString(), problem: "has a fraction of a second", expected: "whole seconds" });
    const y = history.y[i];
    if (y === null || y === undefined || Number.isNaN(y)) return;
    if (typeof y !== "number" || !Number.isFinite(y)) throw new DataValidationError({ file: "history", row: i + 1, column: "y", value: String(y), problem: "not a finite number", expected: "a number or null (missing)" });
    rows.push({ ms, y });
  });
  if (rows.length < 2) throw new DataValidationError({ file: "history", problem: `${rows.length} non-missing y value(s)`, expected: "at least 2 (Prophet needs two non-NA rows)" });
  rows.sort((a, b) => a.ms - b.ms);
  if (rows[0]!.ms === rows[rows.length - 1]!.ms) throw new DataValidationError({ file: "history", column: "ds", problem: "every date is the same", expected: "at least two different dates" });
  return { ms: rows.map((r) => r.ms), y: rows.map((r) => r.y) };
}

/** Fourier order for a built-in seasonality (Prophet's parse_seasonality_args). */
function seasonalityOrder(setting: SeasonalitySetting, autoDisable: boolean, defaultOrder: number): number {
  if (setting === "auto") return autoDisable ? 0 : defaultOrder;
  if (setting === true) return defaultOrder;
  if (setting === false) return 0;
  return setting;
}

/**
 * Prophet's set_auto_seasonalities: yearly with ≥ 730 days of history; weekly with ≥ 14 days and a
 * smallest date spacing < 7 days; daily with ≥ 2 days and a smallest spacing < 1 day. Fourier orders 10, 3, 4.
 */
export function decideSeasonalities(ms: readonly number[], config: Pick<ProphetConfig, "yearlySeasonality" | "weeklySeasonality" | "dailySeasonality" | "seasonalityMode">): SeasonalityInfo[] {
  const first = ms[0]!;
  const last = ms[ms.length - 1]!;
  let minDt = Infinity;
  for (let i = 1; i < ms.length; i++) {
    const dt = ms[i]! - ms[i - 1]!;
    if (dt > 0 && dt < minDt) minDt = dt;
  }
  const span = last - first;
  const out: SeasonalityInfo[] = [];
  const add = (name: string, period: number, order: number): void => {
    if (order > 0) out.push({ name, period, fourierOrder: order, mode: config.seasonalityMode });
  };
  add("yearly", 365.25, seasonalityOrder(config.yearlySeasonality, span < 730 * MS_PER_DAY, 10));
  add("weekly", 7, seasonalityOrder(config.weeklySeasonality, span < 14 * MS_PER_DAY || minDt >= 7 * MS_PER_DAY, 3));
  add("daily", 1, seasonalityOrder(config.dailySeasonality, span < 2 * MS_PER_DAY || minDt >= MS_PER_DAY, 4));
  return out;
}

/**
 * Prophet's changepoint grid (set_changepoints): nChangepoints dates at evenly spaced row indexes of the
 * first `changepointRange` of the sorted history (round(linspace(0, hist_size − 1, n + 1))[1:]).
 */
export function changepointGrid(ms: readonly number[], nChangepoints: number, changepointRange: number): number[] {
  const histSize = Math.floor(ms.length * changepointRange);
  const n = Math.min(nChangepoints, histSize - 1);
  if (n <= 0) return [];
  const out: number[] = [];
  for (let i = 1; i <= n; i++) {
    out.push(ms[roundHalfEven((i * (histSize - 1)) / n)]!);
  }
  return out;
}

/** Round half to even, as numpy's round and R's round do. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Prophet's Fourier features (fourier_series): for j = 1..order, sin and cos of 2πj·t/period with t in days
 * since the Unix epoch; columns in Prophet's order sin_1, cos_1, sin_2, ... (names `<name>_delim_<i>`).
 */
export function fourierSeries(instantsMs: readonly number[], period: number, order: number): Float64Array[] {
  const columns: Float64Array[] = [];
  for (let j = 1; j <= order; j++) {
    const sin = new Float64Array(instantsMs.length);
    const cos = new Float64Array(instantsMs.length);
    for (let i = 0; i < instantsMs.length; i++) {
      const days = Math.floor(instantsMs[i]! / 1000) / 86400;
      const angle = (2 * Math.PI * j * days) / period;
      sin[i] = Math.sin(angle);
      cos[i] = Math.cos(angle);
    }
    columns.push(sin, cos);
  }
  return columns;
}

/** Prophet's feature columns for the fitted seasonalities and holiday features, by name, in Prophet's order. */
export function featureColumns(instantsMs: readonly number[], seasonalities: readonly SeasonalityInfo[], holidayFeatures: readonly HolidayFeature[]): Map<string, Float64Array> {
  const features = new Map<string, Float64Array>();
  for (const s of seasonalities) {
    fourierSeries(instantsMs, s.period, s.fourierOrder).forEach((col, i) => features.set(`${s.name}_delim_${i + 1}`, col));
  }
  for (const f of holidayFeatures) features.set(f.name, holidayIndicator(f, instantsMs));
  return features;
}

function augursSeasonality(name: string, seasonalities: readonly SeasonalityInfo[]): ProphetSeasonalityOption {
  const s = seasonalities.find((x) => x.name === name);
  return s ? { type: "fourier", order: s.fourierOrder } : { type: "manual", enabled: false };
}

// ---------------------------------------------------------------------------------------------------------
// Fit

/** Fits Prophet to a history; resolves to a fitted model that predicts any dates. */
export async function fitProphet(history: SeriesInput, config: Partial<ProphetConfig> = {}): Promise<FittedProphet> {
  const cfg = resolveProphetConfig(config);
  const prepared = prepareHistory(history);
  const { ms, y } = prepared;
  const runtime = await loadProphetRuntime();

  // Prophet's scales (absmax): y_scale = max |y|, t over [first, last] history date.
  let yScale = 0;
  for (const v of y) yScale = Math.max(yScale, Math.abs(v));
  if (yScale === 0) yScale = 1;
  const startMs = ms[0]!;
  const tScaleSeconds = (ms[ms.length - 1]! - startMs) / 1000;

  const seasonalities = decideSeasonalities(ms, cfg);
  const changepointsMs = changepointGrid(ms, cfg.nChangepoints, cfg.changepointRange);

  const firstYear = new Date(startMs).getUTCFullYear();
  const lastYear = new Date(ms[ms.length - 1]!).getUTCFullYear();
  const holidayRows = holidayRowsFor(cfg.holidays, firstYear, lastYear + HOLIDAY_YEARS_AHEAD);
  const holidayFeatures = expandHolidayWindows(holidayRows);
  const holidayNames = [...new Set(holidayFeatures.map((f) => f.holiday))];

  // Prophet's feature columns in Prophet's order (seasonalities, then holiday columns sorted by name): the
  // optimiser wrapper names augurs' columns with them and hands Stan a fixed order (see CaptureOptions).
  const features = featureColumns(ms, seasonalities, holidayFeatures);
  if (features.size === 0) features.set("zeros", new Float64Array(ms.length));

  const seconds = ms.map((v) => v / 1000);
  const fitOnce = (algorithm: "lbfgs" | "bfgs"): { model: AugursProphet; capture: ReturnType<typeof captureOptimizer> } => {
    const capture = captureOptimizer(runtime.optimizer, { features });
    const options: ProphetOptions = {
      optimizer: capture.optimizer,
      growth: cfg.growth,
      changepoints: changepointsMs.map((v) => v / 1000),
      changepointPriorScale: cfg.changepointPriorScale,
      seasonalityPriorScale: cfg.seasonalityPriorScale,
      holidaysPriorScale: cfg.holidaysPriorScale,
      seasonalityMode: cfg.seasonalityMode,
      yearlySeasonality: augursSeasonality("yearly", seasonalities),
      weeklySeasonality: augursSeasonality("weekly", seasonalities),
      dailySeasonality: augursSeasonality("daily", seasonalities),
      intervalWidth: cfg.intervalWidth,
      // Intervals are ours (seeded); augurs' own sampling would only cost time.
      uncertaintySamples: 0,
    };
    if (holidayFeatures.length > 0) options.holidays = toAugursHolidays(holidayFeatures);
    const model = new runtime.Prophet(options);
    model.fit({ ds: seconds, y }, { iter: cfg.iter, seed: cfg.seed, algorithm });
    return { model, capture };
  };
  // L-BFGS, as Prophet does; when Stan's L-BFGS gives up (line search failure), BFGS from the same start.
  // R and Python Prophet fall back to Newton instead (and R uses Newton below 100 rows), but Stan's Newton
  // traps ("unreachable") in the wasm build of @bsull/augurs-prophet-wasmstan 0.2.0.
  let fitted: ReturnType<typeof fitOnce>;
  try {
    fitted = fitOnce("lbfgs");
  } catch (lbfgsError) {
    await renewOptimizer(); // a trap may have left the wasm instance inconsistent: BFGS on it could never return
    try {
      fitted = fitOnce("bfgs");
    } catch (error) {
      await renewOptimizer();
      const brief = (e: unknown): string => (e as Error).message.replace(/\s+/g, " ").slice(0, 300);
      throw new Error(`Prophet fit failed on ${ms.length} rows: Stan L-BFGS: ${brief(lbfgsError)}; BFGS: ${brief(error)}`);
    }
  }
  const call = fitted.capture.last();
  const params = fittedParamsFromCall(call, { yScale, start: new Date(startMs), tScaleSeconds, changepoints: changepointsMs.map((v) => new Date(v)) });
  checkScales(call.data, params, prepared);

  const historyCopy: SeriesInput = Object.freeze({
    ds: Object.freeze(history.ds.map((d) => new Date(d.getTime()))),
    y: Object.freeze([...history.y]),
  });
  return new FittedProphetModel(cfg, params, historyCopy, seasonalities, fitted.model, holidayFeatures, holidayNames);
}

/** The wrapper's scales must be the ones augurs gave Stan; a mismatch would make params and intervals wrong. */
function checkScales(data: { t: number[]; y: number[]; t_change: number[] }, params: FittedParams, history: PreparedHistory): void {
  const n = history.ms.length;
  const tLast = data.t[n - 1];
  const yFirst = data.y[0];
  const ok =
    data.t.length === n &&
    Math.abs((tLast ?? NaN) - 1) < 1e-9 &&
    Math.abs((yFirst ?? NaN) * params.yScale - history.y[0]!) <= 1e-9 * params.yScale &&
    (params.changepoints.length === 0 ||
      params.changepoints.every((d, j) => Math.abs((d.getTime() - params.start.getTime()) / 1000 / params.tScaleSeconds - (data.t_change[j] ?? NaN)) < 1e-9));
  if (!ok) throw new Error("Prophet wrapper: the scales augurs used differ from Prophet's (t, y_scale or changepoints); this is a bug");
}

// ---------------------------------------------------------------------------------------------------------
// Predict

function componentValues(forecast: { point: number[] } | undefined, n: number): number[] {
  return forecast ? Array.from(forecast.point) : new Array<number>(n).fill(0);
}

class FittedProphetModel implements FittedProphet {
  readonly seasonalities: SeasonalityInfo[];

  constructor(
    readonly config: ProphetConfig,
    readonly params: FittedParams,
    readonly history: SeriesInput,
    seasonalities: SeasonalityInfo[],
    private readonly model: AugursProphet,
    private readonly holidayFeatures: readonly HolidayFeature[],
    private readonly holidayNames: readonly string[],
  ) {
    this.seasonalities = seasonalities.map((s) => ({ ...s }));
  }

  predict(ds: readonly Date[]): ProphetForecast {
    const n = ds.length;
    const ms = ds.map((d, i) => {
      const v = d instanceof Date ? d.getTime() : NaN;
      if (Number.isNaN(v)) throw new RangeError(`predict: ds[${i}] is not a valid Date`);
      if (v % 1000 !== 0) throw new RangeError(`predict: ds[${i}] (${d.toISOString()}) has a fraction of a second`);
      return v;
    });
    const out: ProphetForecast = {
      ds: ms.map((v) => new Date(v)),
      yhat: [],
      yhat_lower: [],
      yhat_upper: [],
      trend: [],
      trend_lower: [],
      trend_upper: [],
      additive_terms: [],
      multiplicative_terms: [],
      components: {},
    };
    if (n === 0) return out;

    // augurs sorts the rows by ds; predict in sorted order and put the rows back.
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => ms[a]! - ms[b]! || a - b);
    const sortedSeconds = order.map((i) => ms[i]! / 1000);
    const p: ProphetPredictions = this.model.predict({ ds: sortedSeconds });
    const unsort = (sorted: ArrayLike<number>): number[] => {
      const values = new Array<number>(n);
      order.forEach((row, k) => (values[row] = sorted[k]!));
      return values;
    };

    out.yhat = unsort(p.yhat.point);
    out.trend = unsort(p.trend.point);
    out.additive_terms = unsort(componentValues(p.additive, n));
    out.multiplicative_terms = unsort(componentValues(p.multiplicative, n));
    for (const s of this.seasonalities) out.components[s.name] = unsort(componentValues(p.seasonalities.get(s.name), n));
    if (this.holidayFeatures.length > 0) {
      const total = new Array<number>(n).fill(0);
      const byHoliday = new Map<string, number[]>(this.holidayNames.map((h) => [h, new Array<number>(n).fill(0)]));
      for (const f of this.holidayFeatures) {
        const values = unsort(componentValues(p.holidays.get(f.name), n));
        const sum = byHoliday.get(f.holiday)!;
        for (let i = 0; i < n; i++) {
          sum[i] = sum[i]! + values[i]!;
          total[i] = total[i]! + values[i]!;
        }
      }
      out.components["holidays"] = total;
      for (const [name, values] of byHoliday) out.components[name] = values;
    }

    const startMs = this.params.start.getTime();
    const t = ms.map((v) => (v - startMs) / 1000 / this.params.tScaleSeconds);
    const intervals = simulateIntervals({
      t,
      additiveTerms: out.additive_terms,
      multiplicativeTerms: out.multiplicative_terms,
      params: this.params,
      growth: this.config.growth,
      intervalWidth: this.config.intervalWidth,
      samples: this.config.uncertaintySamples,
      seed: this.config.seed,
    });
    out.yhat_lower = intervals.yhat_lower;
    out.yhat_upper = intervals.yhat_upper;
    out.trend_lower = intervals.trend_lower;
    out.trend_upper = intervals.trend_upper;
    return out;
  }

  futureDates(periods: number, freq?: string): Date[] {
    return makeFutureDates(this.history.ds, periods, freq);
  }
}
