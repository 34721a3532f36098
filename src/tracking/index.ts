/**
 * MLflow tracking for notebooks and the runner: one TrackingStore interface with two backends (an MLflow
 * server's REST API, and MLflow's local file store `mlruns/`), chosen from MLflow's environment variables,
 * and ActiveRun, a buffered run logger that never loses data when the server goes away.
 */
export type {
  ArtifactEntry,
  CreateRunOptions,
  ExperimentSummary,
  LogBatch,
  Metric,
  Run,
  RunData,
  RunInfo,
  RunStatus,
  SearchRunsOptions,
  TrackingStore,
} from "./types.js";
export { TrackingError } from "./errors.js";
export { storeFromEnv, type StoreOptions } from "./store-from-env.js";
export { startRun, resumeRun, type ActiveRun, type RunOptions, type StartRunOptions } from "./active-run.js";
export { FileStore } from "./file-store.js";
export { RestStore } from "./rest-store.js";
export { replayUnsent } from "./unsent.js";
export type { CreateModelVersionOptions, ModelRegistry, ModelVersion, RegisteredModel } from "./registry.js";
export { isModelUri, modelCacheDir, parseModelUri, resolveModelUri, type ModelUri, type ResolvedModel } from "./model-uri.js";
export {
  MAX_ENTITIES_PER_BATCH,
  MAX_METRICS_PER_BATCH,
  MAX_PARAMS_TAGS_PER_BATCH,
  MAX_PARAM_VAL_LENGTH,
  MAX_TAG_VAL_LENGTH,
} from "./validation.js";
