/**
 * The forecasting models `auto` chooses from, built for a series' frequency: Prophet, AutoETS, MSTL,
 * seasonal naive, moving average and the ridge regression, each on log1p(y) when `log` (the same
 * footing for every model, as notebook 03 fits revenue).
 */
import { etsModel, mstlModel } from "./augurs-models.js";
import { movingAverageModel, naiveModel, seasonalNaiveModel } from "./baselines.js";
import type { ForecastModel } from "./cross-validation.js";
import { MS_PER_DAY } from "../io/time.js";
import type { HolidaysSetting } from "./holidays.js";
import { inLogSpace, prophetModel } from "./models.js";
import type { ProphetConfig } from "./prophet.js";
import { ridgeModel } from "./ridge-model.js";

/** What `--model` accepts besides `auto` and the ensembles, and the model each names. */
export const SINGLE_MODELS = ["prophet", "ets", "mstl", "seasonal-naive", "moving-average", "ridge"] as const;
export type SingleModelName = (typeof SINGLE_MODELS)[number];
export const ENSEMBLE_MODELS = ["ensemble-mean", "ensemble-median", "ensemble-weighted"] as const;

export interface ZooOptions {
  prophet: Partial<ProphetConfig>;
  holidays: HolidaysSetting;
  log: boolean;
  /** The series' step in ms (1 day for daily data). */
  stepMs: number;
  intervalWidth?: number;
}

/** Steps in a season: a week for daily data, a day for sub-daily, a year for monthly; null when there is no natural one. */
export function seasonSteps(stepMs: number): number | null {
  if (stepMs === MS_PER_DAY) return 7;
  if (stepMs < MS_PER_DAY && MS_PER_DAY % stepMs === 0) return MS_PER_DAY / stepMs;
  if (stepMs >= 28 * MS_PER_DAY && stepMs <= 31 * MS_PER_DAY) return 12;
  return null;
}

export function forecastZoo(options: ZooOptions): Record<SingleModelName, ForecastModel> {
  const width = options.intervalWidth ?? 0.8;
  const season = seasonSteps(options.stepMs);
  const exactSeason = season !== null && options.stepMs <= MS_PER_DAY; // seasonal naive needs a season of whole days or less, exactly
  const onScale = (model: ForecastModel): ForecastModel => (options.log ? inLogSpace(model) : model);
  return {
    prophet: onScale(prophetModel({ ...options.prophet, holidays: options.holidays, intervalWidth: width })),
    ets: onScale(etsModel(width)),
    mstl: onScale(season !== null ? mstlModel([season], width) : etsModel(width)),
    "seasonal-naive": onScale(exactSeason ? seasonalNaiveModel((season! * options.stepMs) / MS_PER_DAY, { intervalWidth: width }) : naiveModel({ intervalWidth: width })),
    "moving-average": onScale(movingAverageModel(season ?? 7, { intervalWidth: width })),
    ridge: onScale(ridgeModel({ holidays: options.holidays, intervalWidth: width })),
  };
}
