/**
 * Everything the notebooks call, in one module, so a notebook loads src/ with a single import
 * (tslab compiles cells to CommonJS; see notebooks/README.md for the loading line).
 */
export { formatQualityReport, type QualityReport } from "./data/quality-report.js";
export { buildFeatureTables, type FeatureTables } from "./features/build-features.js";
export { formatOlistProfile, profileOlist } from "./features/olist-profile.js";
export { REVENUE_DEFINITION } from "./features/revenue.js";
export { describeColumns, ordersPerDay, ordersPerWeek, revenueByCategory, statusMix, valueCounts } from "./features/summaries.js";
export { writeFeatureTables } from "./features/write-features.js";
export { writeFileAtomically } from "./io/atomic-write.js";
export { naiveModel, seasonalNaiveModel, movingAverageModel } from "./forecast/baselines.js";
export { forecastChartPoints, pickComponents } from "./forecast/chart-points.js";
export { performanceMetrics } from "./forecast/performance-metrics.js";
export { evaluateForecasters, rowsKey } from "./forecast/evaluate.js";
export { forecastAhead } from "./forecast/forecast-ahead.js";
export { formatForecastCsv } from "./forecast/forecast-csv.js";
export { inLogSpace, onTrailingWindow, prophetModel } from "./forecast/models.js";
export { autoModel, fitAuto } from "./forecast/auto.js";
export { forecastZoo } from "./forecast/zoo.js";
export { forecastVerdict, windowMapes } from "./forecast/verdict.js";
export { predictWhereDefined } from "./forecast/cross-validation.js";
export { DEFAULT_PROPHET_CONFIG, resolveProphetConfig } from "./forecast/prophet.js";
export { trimTrailingTail } from "./forecast/series-window.js";
export { validateRaw } from "./pipeline/data-steps.js";
export { artifactDir, ensureRawData, metricKeyPart, requireRawData, qualityMetrics, readDailyRevenue, repoRoot, rfmFrame } from "./pipeline/notebook-support.js";
export { deliveredOrdersFromProcessed, writeSegmentOutputs } from "./pipeline/segment-io.js";
export { monitorInputsFromProcessedDir } from "./pipeline/monitor-io.js";
export { formatCheckTable, runMonitor } from "./monitor/run.js";
export { clusteringParams, computeRfm, runSegmentation, segmentConfigParams } from "./segment/index.js";
export { notebookParams } from "./pipeline/params.js";
export { progress } from "./pipeline/notebook-progress.js";
export * from "./report/index.js";
export { startRun, type ActiveRun } from "./tracking/index.js";
export { describeDecision, fingerprint, registerModel } from "./tracking/register-model.js";
export { writeForecasterFolder, writeSegmentationModel } from "./pipeline/model-folders.js";
export { saveFeatureTables, saveSegmentsToStore } from "./pipeline/store-io.js";
export { recommendInputFromProcessed, writeRecommendEvaluation, metricsCsv } from "./pipeline/recommend-io.js";
export { buildDataset, groupSize, orderCount } from "./recommend/dataset.js";
export { evaluateRecommenders, protocolSplit } from "./recommend/evaluate.js";
export { twoTowerScorer } from "./recommend/fit.js";
export { DEFAULT_TWO_TOWER_CONFIG, resolveTwoTowerConfig } from "./recommend/config.js";
export { initTensorflow } from "./recommend/tf-runtime.js";
export { parseProtocols, PROTOCOL_DESCRIPTIONS } from "./recommend/protocols.js";
export { epochProgressLine, evaluationOverview, exampleRecommendations, itemEmbeddingMap, lossCurveRows, metricTableRows, recommendMetricKey, recommendMetrics, seedCountText, seedSpreadRows, servingSummary, trainingChoiceRows, verdicts } from "./recommend/report.js";
