/**
 * `auto`: the model or ensemble with the lowest rolling-origin error inside the history it is given.
 *
 * The inner backtest: `origins` cutoffs, `horizonDays` apart, the last one `horizonDays` before the
 * history's end; every candidate is fitted on the history before each cutoff and forecasts the
 * `horizonDays` after it (crossValidation). Nothing after the history's last date is read, so the
 * choice never sees the window being forecast. The error is MAPE when every observed value is
 * positive, else MAE.
 *
 * Ensembles are built from the candidates' backtest forecasts (no extra fits): the mean and the
 * median of all candidates, and a weighted mean with weights ∝ 1 / error² (inverse squared error,
 * normalised). The weighted ensemble is scored honestly: each origin's forecasts are combined with
 * weights fitted on the other origins' errors (leave one origin out); the final weights use all of them.
 *
 * The chosen one is then fitted on the whole history. Its intervals are its own when it has them (a
 * single model that gives intervals); otherwise (ensembles, models without intervals) empirical: the
 * quantiles of its backtest errors at the interval width, pooled over leads. Coverage of the intervals
 * in the backtest is reported for every candidate that has them.
 */
import { crossValidation, MS_PER_DAY, predictWhereDefined, type CrossValidationRow, type FittedForecastModel, type ForecastModel, type PointForecast, type SeriesHistory } from "./cross-validation.js";
import { quantileSorted } from "../stats/descriptive.js";
import { mae, mape } from "./metrics.js";

export type ErrorMetric = "mape" | "mae";

export interface AutoOptions {
  candidates: readonly ForecastModel[];
  /** How far each backtest forecast goes (days); the forecast horizon the choice is made for. */
  horizonDays: number;
  /** Rolling origins of the inner backtest (fewer when the history is too short for them). */
  origins: number;
  /** Interval width (default 0.8, as Prophet's). */
  intervalWidth?: number;
  /** Called before each candidate's backtest. */
  onCandidate?: (name: string, index: number, count: number) => void;
  /** Take this candidate or ensemble (by name) instead of the lowest error; the backtest still scores every one. */
  only?: string;
  /** Told each choice made (e.g. at every origin of an outer backtest of `auto` itself). */
  onChoice?: (choice: AutoChoice, history: SeriesHistory) => void;
}

export interface CandidateScore {
  name: string;
  kind: "model" | "ensemble";
  /** Backtest error (`metric`), NaN when the candidate failed. */
  error: number;
  /** Share of backtest actuals inside the candidate's intervals, when it gives intervals. */
  coverage: number | null;
  /** Why a candidate has no score. */
  failure?: string;
}

export interface AutoChoice {
  chosen: string;
  metric: ErrorMetric;
  cutoffs: Date[];
  candidates: CandidateScore[];
  /** The ensemble's members and weights when an ensemble is chosen. */
  weights: Record<string, number> | null;
  /** One sentence: what was chosen, its error and the runner-up's, and seasonal naive's. */
  reason: string;
}

export interface AutoFit extends FittedForecastModel {
  choice: AutoChoice;
}

type Combiner = (forecasts: readonly number[], weights: readonly number[]) => number;
const ENSEMBLES: Record<string, Combiner> = {
  "ensemble-mean": (f) => f.reduce((a, b) => a + b, 0) / f.length,
  "ensemble-median": (f) => {
    const s = [...f].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  },
  "ensemble-weighted": (f, w) => f.reduce((sum, v, i) => sum + v * w[i]!, 0),
};

function errorOf(metric: ErrorMetric, y: readonly number[], yhat: readonly number[]): number {
  return metric === "mape" ? mape(y, yhat) : mae(y, yhat);
}

/** Inverse-squared-error weights, normalised; equal weights when every error is 0 or not finite. */
export function inverseErrorWeights(errors: readonly number[]): number[] {
  const raw = errors.map((e) => (Number.isFinite(e) && e > 0 ? 1 / (e * e) : 0));
  const total = raw.reduce((a, b) => a + b, 0);
  return total > 0 ? raw.map((r) => r / total) : errors.map(() => 1 / errors.length);
}

/** The inner backtest's cutoffs: `origins` of them, `horizonDays` apart, the last `horizonDays` before the end; fewer when the history is short. */
export function innerCutoffs(history: SeriesHistory, horizonDays: number, origins: number): Date[] {
  const times = history.ds.map((d) => d.getTime());
  const first = Math.min(...times);
  const last = Math.max(...times);
  const horizon = horizonDays * MS_PER_DAY;
  const cutoffs: Date[] = [];
  for (let k = origins; k >= 1; k--) {
    const cutoff = last - k * horizon;
    if (cutoff - first >= 2 * horizon) cutoffs.push(new Date(cutoff));
  }
  return cutoffs;
}

export async function fitAuto(history: SeriesHistory, options: AutoOptions): Promise<AutoFit> {
  const width = options.intervalWidth ?? 0.8;
  const cutoffs = innerCutoffs(history, options.horizonDays, options.origins);
  if (cutoffs.length === 0) throw new RangeError(`auto: the history is too short for a backtest of ${options.horizonDays} days (it needs at least ${3 * options.horizonDays} days)`);
  const observed = history.y.filter((v): v is number => v !== null && Number.isFinite(v));
  const metric: ErrorMetric = observed.every((v) => v > 0) ? "mape" : "mae";

  const backtests = new Map<string, CrossValidationRow[]>();
  const scores: CandidateScore[] = [];
  for (const [index, model] of options.candidates.entries()) {
    options.onCandidate?.(model.name, index + 1, options.candidates.length);
    try {
      const rows = await crossValidation(history, model, { horizonDays: options.horizonDays, cutoffs });
      if (rows.length === 0 || rows.some((r) => !Number.isFinite(r.yhat))) throw new Error("no finite forecast for some backtest dates");
      backtests.set(model.name, rows);
      scores.push({ name: model.name, kind: "model", error: errorOf(metric, rows.map((r) => r.y), rows.map((r) => r.yhat)), coverage: coverageOf(rows) });
    } catch (error) {
      scores.push({ name: model.name, kind: "model", error: Number.NaN, coverage: null, failure: (error as Error).message });
    }
  }
  const members = [...backtests.keys()];
  const reference = members.length > 0 ? backtests.get(members[0]!)! : [];
  const aligned = members.length > 0 && members.every((m) => sameRows(backtests.get(m)!, reference));
  const ensembleRows = new Map<string, CrossValidationRow[]>();
  if (members.length >= 2 && aligned) {
    const y = reference.map((r) => r.y);
    const forecastsAt = (i: number) => members.map((m) => backtests.get(m)![i]!.yhat);
    const weightsByCutoff = new Map(cutoffs.map((c) => [c.getTime(), leaveOriginOutWeights(members, backtests, metric, c.getTime())]));
    for (const [name, combine] of Object.entries(ENSEMBLES)) {
      const rows = reference.map((r, i) => {
        const weights = name === "ensemble-weighted" ? weightsByCutoff.get(r.cutoff.getTime())! : [];
        return { ds: r.ds, y: r.y, yhat: combine(forecastsAt(i), weights), cutoff: r.cutoff };
      });
      ensembleRows.set(name, rows);
      scores.push({ name, kind: "ensemble", error: errorOf(metric, y, rows.map((r) => r.yhat)), coverage: null });
    }
  }
  const ranked = scores.filter((s) => Number.isFinite(s.error)).sort((a, b) => a.error - b.error || a.name.localeCompare(b.name));
  if (ranked.length === 0) throw new Error(`auto: every candidate failed its backtest (${scores.map((s) => `${s.name}: ${s.failure}`).join("; ")})`);
  const forced = options.only === undefined ? undefined : scores.find((s) => s.name === options.only);
  if (options.only !== undefined && (forced === undefined || !Number.isFinite(forced.error))) {
    throw new Error(`auto: ${options.only} ${forced ? `failed its backtest (${forced.failure ?? "no ensemble: fewer than two candidates"})` : `is not among the candidates (${scores.map((s) => s.name).join(", ")})`}`);
  }
  const rowsOf = (name: string): readonly CrossValidationRow[] => backtests.get(name) ?? ensembleRows.get(name)!;
  const best = forced ?? preferEnsemble(ranked, rowsOf, metric, cutoffs);
  const finalWeights = inverseErrorWeights(members.map((m) => scores.find((s) => s.name === m)!.error));
  const weights = best.kind === "ensemble" ? Object.fromEntries(members.map((m, i) => [m, best.name === "ensemble-weighted" ? finalWeights[i]! : 1 / members.length])) : null;

  // fit what was chosen on the whole history
  const chosenModels = best.kind === "ensemble" ? options.candidates.filter((m) => members.includes(m.name)) : options.candidates.filter((m) => m.name === best.name);
  const fitted = await Promise.all(chosenModels.map((m) => m.fit(history)));
  const chosenRows = best.kind === "ensemble" ? ensembleRows.get(best.name)! : backtests.get(best.name)!;
  const errors = chosenRows.map((r) => r.y - r.yhat).sort((a, b) => a - b);
  const [low, high] = [quantileSorted(errors, (1 - width) / 2), quantileSorted(errors, (1 + width) / 2)];
  const combine = ENSEMBLES[best.name];
  const ownIntervals = best.kind === "model" && best.coverage !== null;

  const snaive = scores.find((s) => s.name.startsWith("seasonal_naive"));
  const runnerUp = ranked[1];
  const choice: AutoChoice = {
    chosen: best.name,
    metric,
    cutoffs,
    candidates: scores,
    weights,
    reason:
      (forced
        ? `${best.name} as asked; its backtest ${metric.toUpperCase()} inside the history ${formatError(metric, best.error)} over ${cutoffs.length} origin${cutoffs.length > 1 ? "s" : ""} of ${formatDays(options.horizonDays)} (lowest: ${ranked[0]!.name} ${formatError(metric, ranked[0]!.error)})`
        : best === ranked[0]
          ? `${best.name} has the lowest backtest ${metric.toUpperCase()} inside the history (${formatError(metric, best.error)} over ${cutoffs.length} origin${cutoffs.length > 1 ? "s" : ""} of ${formatDays(options.horizonDays)})` +
            (runnerUp ? `; next ${runnerUp.name} ${formatError(metric, runnerUp.error)}` : "")
          : `${best.name}, the best ensemble in the backtest inside the history (${formatError(metric, best.error)} over ${cutoffs.length} origin${cutoffs.length > 1 ? "s" : ""} of ${formatDays(options.horizonDays)}): ${ranked[0]!.name} was lower (${formatError(metric, ranked[0]!.error)}) but not by ${SINGLE_MODEL_MARGIN_SE} standard errors across the origins`) +
      (snaive && snaive.name !== best.name && Number.isFinite(snaive.error) ? `; seasonal naive ${formatError(metric, snaive.error)}` : "") +
      ".",
  };
  options.onChoice?.(choice, history);
  return {
    choice,
    predict(ds): PointForecast {
      const parts = fitted.map((f) => predictWhereDefined(f, ds));
      const yhat = combine ? ds.map((_, i) => combine(parts.map((p) => p.yhat[i]!), members.map((m) => weights![m]!))) : parts[0]!.yhat;
      if (ownIntervals) return { ds: [...ds], yhat, yhat_lower: parts[0]!.yhat_lower!, yhat_upper: parts[0]!.yhat_upper! };
      return { ds: [...ds], yhat, yhat_lower: yhat.map((v) => v + low), yhat_upper: yhat.map((v) => v + high) };
    },
  };
}

/** How many standard errors of the paired per-origin difference a single model must beat the best ensemble by to be chosen over it. */
const SINGLE_MODEL_MARGIN_SE = 2;

/**
 * The best ensemble, unless a single model beats it clearly: by more than SINGLE_MODEL_MARGIN_SE
 * standard errors of the per-origin difference of their errors. With a handful of origins a single
 * model's lead is mostly luck, and combinations are the safer forecast (the "forecast combination
 * puzzle"): on the 60K sample a single model picked by a small lead lost to seasonal naive, the
 * ensembles did not. Without ensembles (fewer than two candidates), the lowest error.
 */
export function preferEnsemble(ranked: readonly CandidateScore[], rowsOf: (name: string) => readonly CrossValidationRow[], metric: ErrorMetric, cutoffs: readonly Date[]): CandidateScore {
  const ensemble = ranked.find((s) => s.kind === "ensemble");
  if (ensemble === undefined) return ranked[0]!;
  const perOrigin = (name: string): number[] =>
    cutoffs.map((c) => {
      const rows = rowsOf(name).filter((r) => r.cutoff.getTime() === c.getTime());
      return errorOf(metric, rows.map((r) => r.y), rows.map((r) => r.yhat));
    });
  const base = perOrigin(ensemble.name);
  for (const candidate of ranked) {
    if (candidate === ensemble) return ensemble;
    const d = perOrigin(candidate.name).map((e, k) => base[k]! - e);
    const n = d.length;
    const mean = d.reduce((a, b) => a + b, 0) / n;
    const sd = n > 1 ? Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : Number.POSITIVE_INFINITY;
    if (mean > SINGLE_MODEL_MARGIN_SE * (sd / Math.sqrt(n))) return candidate;
  }
  return ensemble;
}

/** `auto` as a ForecastModel (to backtest the whole procedure like any model). */
export function autoModel(options: AutoOptions): ForecastModel {
  return { name: "auto", fit: (history) => fitAuto(history, options) };
}

function formatDays(days: number): string {
  return Number.isInteger(days) ? `${days} days` : `${Number((days * 24).toPrecision(4))} hours`;
}

function formatError(metric: ErrorMetric, error: number): string {
  return metric === "mape" ? `${(100 * error).toFixed(1)}%` : error.toPrecision(4);
}

function coverageOf(rows: readonly CrossValidationRow[]): number | null {
  if (!rows.every((r) => r.yhat_lower !== undefined && r.yhat_upper !== undefined && Number.isFinite(r.yhat_lower) && Number.isFinite(r.yhat_upper))) return null;
  return rows.filter((r) => r.y >= r.yhat_lower! && r.y <= r.yhat_upper!).length / rows.length;
}

function sameRows(a: readonly CrossValidationRow[], b: readonly CrossValidationRow[]): boolean {
  return a.length === b.length && a.every((r, i) => r.ds.getTime() === b[i]!.ds.getTime() && r.cutoff.getTime() === b[i]!.cutoff.getTime());
}

/** Weights from every origin but `cutoff`'s (all origins when there is only one). */
function leaveOriginOutWeights(members: readonly string[], backtests: ReadonlyMap<string, readonly CrossValidationRow[]>, metric: ErrorMetric, cutoff: number): number[] {
  const errors = members.map((m) => {
    const rows = backtests.get(m)!;
    const others = rows.filter((r) => r.cutoff.getTime() !== cutoff);
    const use = others.length > 0 ? others : rows;
    return errorOf(metric, use.map((r) => r.y), use.map((r) => r.yhat));
  });
  return inverseErrorWeights(errors);
}
