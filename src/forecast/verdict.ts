/**
 * What a planner should trust, in one sentence: a model's rolling-origin MAPE against seasonal
 * naive's, overall and window by window (the same cutoffs, the same actuals).
 */
import type { CrossValidationRow } from "./cross-validation.js";
import { mape } from "./metrics.js";

export interface WindowScore {
  cutoff: Date;
  model: number;
  baseline: number;
}

/** MAPE of each backtest window (cutoff) for a model's rows and a baseline's rows. */
export function windowMapes(model: readonly CrossValidationRow[], baseline: readonly CrossValidationRow[]): WindowScore[] {
  const cutoffs = [...new Set(model.map((r) => r.cutoff.getTime()))].sort((a, b) => a - b);
  const mapeOf = (rows: readonly CrossValidationRow[], cutoff: number): number => {
    const own = rows.filter((r) => r.cutoff.getTime() === cutoff);
    return mape(own.map((r) => r.y), own.map((r) => r.yhat));
  };
  return cutoffs.map((c) => ({ cutoff: new Date(c), model: mapeOf(model, c), baseline: mapeOf(baseline, c) }));
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** "auto: mean MAPE 10.3% over 6 windows against seasonal naive's 12.6%: 2.3 points better, better in 5 of 6 windows." */
export function forecastVerdict(modelName: string, baselineName: string, windows: readonly WindowScore[]): string {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const m = mean(windows.map((w) => w.model));
  const b = mean(windows.map((w) => w.baseline));
  const better = windows.filter((w) => w.model < w.baseline).length;
  const gap = Math.abs(m - b) * 100;
  const head = `**${modelName}**: mean MAPE ${pct(m)} over ${windows.length} rolling windows against ${baselineName}'s ${pct(b)}`;
  if (m < b) return `${head}: ${gap.toFixed(1)} points better, better in ${better} of ${windows.length} windows. Trust ${modelName} over "same weekday last week"${better <= windows.length / 2 ? ", though not window by window" : ""}.`;
  return `${head}: ${gap.toFixed(1)} points worse (better in ${better} of ${windows.length} windows). It does not beat ${baselineName}: use ${baselineName}.`;
}
