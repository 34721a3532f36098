import { crossValidation, seedProtocolSplit, type CrossValidationRow, type ForecastModel, type SeriesHistory } from "./cross-validation.js";
import { onTrailingWindow } from "./models.js";
import { summaryMetrics, type SummaryMetrics } from "./performance-metrics.js";
import { MS_PER_DAY } from "../io/time.js";


export type EvaluationProtocol = "seed-split" | "rolling-origin";

export interface EvaluationOptions {
  /** Days each model is fitted on before a cutoff (the seed: 364). */
  readonly trainDays: number;
  /** Days forecast after each cutoff (the seed: 30). */
  readonly horizonDays: number;
  /** Number of rolling origins, the last one being the seed's cutoff. */
  readonly backtestCutoffs: number;
  /** Days between rolling origins (default: the horizon, so test windows do not overlap). */
  readonly periodDays?: number;
  /** Called before each fit, e.g. to report progress of the backtests. */
  readonly onProgress?: (info: ForecastProgress) => void;
}

/** Which fit is about to run: a model under a protocol at one of its origins (1-based). */
export interface ForecastProgress {
  readonly model: string;
  readonly protocol: EvaluationProtocol;
  readonly origin: number;
  readonly origins: number;
  readonly cutoff: Date;
}

export interface ModelScore extends SummaryMetrics {
  readonly model: string;
  readonly protocol: EvaluationProtocol;
  readonly cutoffs: number;
  readonly rows: number;
}

export interface Evaluation {
  readonly seedCutoff: Date;
  readonly backtestCutoffs: readonly Date[];
  readonly scores: readonly ModelScore[];
  /** The simulated forecasts, by protocol and model. */
  readonly rows: ReadonlyMap<string, readonly CrossValidationRow[]>;
}

export const rowsKey = (protocol: EvaluationProtocol, model: string): string => `${protocol}/${model}`;

/**
 * Every model under the same two protocols, each fitted only on the `trainDays` before its cutoff:
 * - seed-split: the seed's single split (train on `trainDays`, forecast the last `horizonDays` days);
 * - rolling-origin: `backtestCutoffs` origins every `periodDays` back from the seed's cutoff, same horizon.
 */
export async function evaluateForecasters(history: SeriesHistory, models: readonly ForecastModel[], options: EvaluationOptions): Promise<Evaluation> {
  const split = seedProtocolSplit(history, options.trainDays, options.horizonDays);
  const period = (options.periodDays ?? options.horizonDays) * MS_PER_DAY;
  const backtestCutoffs = Array.from({ length: options.backtestCutoffs }, (_, i) => new Date(split.cutoff.getTime() - (options.backtestCutoffs - 1 - i) * period));
  const scores: ModelScore[] = [];
  const rows = new Map<string, CrossValidationRow[]>();
  for (const model of models) {
    const windowed = onTrailingWindow(model, options.trainDays);
    const plans: [EvaluationProtocol, readonly Date[]][] = [
      ["seed-split", [split.cutoff]],
      ["rolling-origin", backtestCutoffs],
    ];
    for (const [protocol, cutoffs] of plans) {
      const cv = await crossValidation(history, windowed, {
        horizonDays: options.horizonDays,
        cutoffs,
        onCutoff: ({ cutoff, index }) => options.onProgress?.({ model: model.name, protocol, origin: index, origins: cutoffs.length, cutoff }),
      });
      rows.set(rowsKey(protocol, model.name), cv);
      scores.push({ model: model.name, protocol, cutoffs: cutoffs.length, rows: cv.length, ...summaryMetrics(cv) });
    }
  }
  return { seedCutoff: split.cutoff, backtestCutoffs, scores, rows };
}
