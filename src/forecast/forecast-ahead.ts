/**
 * Prophet's fit → predict → back-transform, as `retail-intel forecast` and notebook 03 both run it:
 * fit on the history (on y' = log1p(y) when `log`), predict every history date plus `periods` future
 * dates, and map the y-scale columns back with expm1 (`forecastFromLogSpace`).
 */
import { forecastFromLogSpace, toLogSpace } from "./log-transform.js";
import { fitProphet, type FittedProphet, type ProphetConfig, type ProphetForecast, type SeriesInput } from "./prophet.js";

/** Runs one named step and returns its result; a caller passes one to time or report the steps. */
export type StepRunner = <T>(name: string, step: () => T | Promise<T>) => Promise<T>;

export interface ForecastAheadOptions {
  /** Number of future dates after the history. */
  readonly periods: number;
  /** Spacing of the future dates (D, H, MS, 5min, ...); inferred from the history when absent. */
  readonly freq?: string;
  /** Fit on log1p(y) and bring yhat, trend and their intervals back with expm1. */
  readonly log?: boolean;
  /** Runs the "fit" and "predict" steps (default: just runs them). */
  readonly runStep?: StepRunner;
}

export interface ForecastAhead {
  /** The fitted model (fitted on log1p(y) when `log`): parameters, seasonalities, config. */
  readonly fitted: FittedProphet;
  /** `fitted.predict` over history + future dates as the model sees it (log space when `log`); its components are there. */
  readonly modelForecast: ProphetForecast;
  /** The same rows with yhat, trend and their intervals on the scale of y. */
  readonly forecast: ProphetForecast;
  /** The future dates predicted after the history. */
  readonly future: readonly Date[];
}

const runDirectly: StepRunner = async (_name, step) => step();

export async function forecastAhead(history: SeriesInput, config: Partial<ProphetConfig>, options: ForecastAheadOptions): Promise<ForecastAhead> {
  const runStep = options.runStep ?? runDirectly;
  const log = options.log === true;
  const input: SeriesInput = log ? { ds: history.ds, y: toLogSpace(history.y) } : history;
  const fitted = await runStep(`fit Prophet on ${history.ds.length.toLocaleString("en-US")} rows`, () => fitProphet(input, config));
  const future = fitted.futureDates(options.periods, options.freq);
  const modelForecast = await runStep(`predict ${history.ds.length + future.length} rows`, () => fitted.predict([...history.ds, ...future]));
  return { fitted, modelForecast, forecast: log ? forecastFromLogSpace(modelForecast) : modelForecast, future };
}
