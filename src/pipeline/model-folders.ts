/**
 * The folders notebooks register as models, in the formats `serve` loads: the forecaster's
 * forecast.csv + forecast.csv.json (as `forecast --out` writes them) and the segmentation's
 * segments.parquet + segment_summary.* + segmentation-model.json (thresholds, scaler, centroids).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AutoChoice } from "../forecast/auto.js";
import { formatForecastCsv } from "../forecast/forecast-csv.js";
import { writeFilesAtomically } from "../io/atomic-write.js";
import type { SegmentationResult } from "../segment/run-segmentation.js";

export interface ForecastRows {
  readonly ds: readonly Date[];
  readonly yhat: readonly number[];
  readonly yhat_lower?: readonly number[];
  readonly yhat_upper?: readonly number[];
}

/** forecast.csv (history and `periods` future rows) and forecast.csv.json (the choice, `model`, `periods`) in `dir`. */
export function writeForecasterFolder(dir: string, forecast: ForecastRows, choice: AutoChoice, periods: number, extra: Record<string, unknown> = {}): void {
  const nan = forecast.ds.map(() => Number.NaN);
  const report = {
    model: choice.chosen,
    reason: choice.reason,
    metric: choice.metric,
    backtestCutoffs: choice.cutoffs.map((c) => c.toISOString()),
    candidates: choice.candidates,
    weights: choice.weights,
    periods,
    ...extra,
  };
  writeFilesAtomically([
    { path: join(dir, "forecast.csv"), write: (temp) => writeFileSync(temp, formatForecastCsv({ ds: [...forecast.ds], yhat: [...forecast.yhat], yhat_lower: [...(forecast.yhat_lower ?? nan)], yhat_upper: [...(forecast.yhat_upper ?? nan)] })) },
    { path: join(dir, "forecast.csv.json"), write: (temp) => writeFileSync(temp, `${JSON.stringify(report, null, 2)}\n`) },
  ]);
}

/** segmentation-model.json in `dir`: what assigns a new customer (score edges, segment map, log-RFM scaler, centroids, cluster names). */
export function writeSegmentationModel(dir: string, result: SegmentationResult): void {
  const model = {
    format: "retail-intel-segmentation/1",
    scoring: result.scoring,
    segmentMap: result.config.segmentMap,
    kmeans: { k: result.k, features: result.model.scaler.features, scaler: result.model.scaler, centroids: result.model.centroids, clusterNames: result.profiles.map((p) => p.name) },
    stability: { bootstrapAriMean: result.bootstrap.mean, resamples: result.bootstrap.resamples },
  };
  writeFilesAtomically([{ path: join(dir, "segmentation-model.json"), write: (temp) => writeFileSync(temp, `${JSON.stringify(model, null, 2)}\n`) }]);
}
