import type { FittedForecastModel, ForecastModel, SeriesHistory } from "./cross-validation.js";
import { fromLogSpace, toLogSpace } from "./log-transform.js";
import { fitProphet, type ProphetConfig } from "./prophet.js";
import { MS_PER_DAY } from "../io/time.js";

/** Prophet (augurs) as a ForecastModel: point forecast from the MAP fit, intervals from the seeded simulation. */
export function prophetModel(config: Partial<ProphetConfig> = {}, name = "prophet"): ForecastModel {
  return {
    name,
    async fit(history) {
      const fitted = await fitProphet(history, config);
      return {
        predict(ds) {
          const f = fitted.predict(ds);
          return { ds: f.ds, yhat: f.yhat, yhat_lower: f.yhat_lower, yhat_upper: f.yhat_upper };
        },
      };
    },
  };
}

/**
 * The model fitted on log1p(y), its forecasts mapped back with expm1 (intervals too: quantiles commute with
 * a monotone map). This is how the seed models revenue; baselines get the same treatment so every model is
 * compared on the same footing.
 */
export function inLogSpace(model: ForecastModel): ForecastModel {
  return {
    name: model.name,
    async fit(history) {
      const fitted = await model.fit({ ds: history.ds, y: toLogSpace(history.y) });
      return {
        predict(ds) {
          const f = fitted.predict(ds);
          return {
            ds: f.ds,
            yhat: fromLogSpace(f.yhat),
            ...(f.yhat_lower ? { yhat_lower: fromLogSpace(f.yhat_lower) } : {}),
            ...(f.yhat_upper ? { yhat_upper: fromLogSpace(f.yhat_upper) } : {}),
          };
        },
      };
    },
  };
}

/** The model fitted only on the last `trainDays` days of whatever history it is given (the seed's 364-day window). */
export function onTrailingWindow(model: ForecastModel, trainDays: number): ForecastModel {
  const span = trainDays * MS_PER_DAY;
  return {
    name: model.name,
    fit(history: SeriesHistory): Promise<FittedForecastModel> {
      const last = Math.max(...history.ds.map((d) => d.getTime()));
      const keep = history.ds.map((d) => d.getTime() > last - span);
      return model.fit({ ds: history.ds.filter((_, i) => keep[i]), y: history.y.filter((_, i) => keep[i]) });
    },
  };
}
