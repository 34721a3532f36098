/** The shapes shared by both tracking backends (MLflow REST server and MLflow's local file store). */
import type { ModelRegistry } from "./registry.js";

/** MLflow's run status names (mlflow/entities/run_status.py). */
export type RunStatus = "RUNNING" | "SCHEDULED" | "FINISHED" | "FAILED" | "KILLED";

export const RUN_STATUSES: readonly RunStatus[] = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"];

/** One metric point: `timestamp` in integer ms since the epoch, `step` an integer. */
export interface Metric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface RunInfo {
  runId: string;
  experimentId: string;
  runName: string;
  status: RunStatus;
  startTime: number;
  endTime?: number;
  artifactUri: string;
  lifecycleStage: string;
  userId: string;
}

export interface RunData {
  /** Latest value of each metric (MLflow's rule: largest step, then timestamp, then value). */
  metrics: Record<string, number>;
  params: Record<string, string>;
  tags: Record<string, string>;
}

export interface Run {
  info: RunInfo;
  data: RunData;
}

export interface ExperimentSummary {
  experimentId: string;
  name: string;
  artifactLocation: string;
  /** "active" or "deleted" (an addition to the brief's shape: getOrCreate must not reuse a deleted one). */
  lifecycleStage?: string;
}

export interface LogBatch {
  metrics?: Metric[];
  params?: Record<string, string>;
  tags?: Record<string, string>;
}

export interface CreateRunOptions {
  runName?: string;
  startTime?: number;
  tags?: Record<string, string>;
}

export interface SearchRunsOptions {
  /** MLflow's filter syntax; the file store supports the subset documented in file-search.ts. */
  filter?: string;
  /** Total number of runs wanted (pages are followed until this many or no more). Default: all. */
  maxResults?: number;
  orderBy?: string[];
}

export interface ArtifactEntry {
  /** Path relative to the run's artifact root, `/`-separated. */
  path: string;
  isDir: boolean;
  fileSize?: number;
}

/** One interface, two backends (rest-store.ts, file-store.ts). */
export interface TrackingStore {
  /** e.g. "MLflow server https://host (REST)" or "local file store /abs/mlruns"; never holds credentials. */
  readonly description: string;
  /**
   * A tracking URI another process can put in MLFLOW_TRACKING_URI to log into this same store (the file
   * store's root path, or the server URL). Never holds credentials (those travel in MLFLOW_TRACKING_TOKEN /
   * _USERNAME / _PASSWORD); undefined when the configured URI carried credentials in its user-info part,
   * so the caller keeps using that URI.
   */
  readonly location?: string;
  getExperimentByName(name: string): Promise<ExperimentSummary | undefined>;
  createExperiment(name: string, tags?: Record<string, string>): Promise<string>;
  /** Gets the experiment by name or creates it; a concurrent create (RESOURCE_ALREADY_EXISTS) is resolved by getting again. */
  getOrCreateExperiment(name: string): Promise<string>;
  createRun(experimentId: string, options: CreateRunOptions): Promise<RunInfo>;
  /** Validates first (nothing is sent when a key is invalid), then sends in requests within MLflow's limits. */
  logBatch(runId: string, batch: LogBatch): Promise<void>;
  setTag(runId: string, key: string, value: string): Promise<void>;
  /** `endTime` undefined leaves the stored end time as it is. */
  updateRun(runId: string, status: RunStatus, endTime?: number): Promise<void>;
  getRun(runId: string): Promise<Run>;
  /** Every logged point of one metric (MLflow's metrics/get-history); [] when the run has none of that key. */
  getMetricHistory(runId: string, key: string): Promise<Metric[]>;
  searchRuns(experimentIds: string[], options?: SearchRunsOptions): Promise<Run[]>;
  /** A file, or a directory whose contents go under `artifactPath` (MLflow's log_artifacts). */
  logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void>;
  listArtifacts(runId: string, path?: string): Promise<ArtifactEntry[]>;
  /**
   * A local folder holding the artifacts at `artifactUri` (a run's artifact folder or below it:
   * `mlflow-artifacts:/...`, `file:///...`, `runs:/<run_id>/<path>`): the folder itself for local URIs,
   * else `destDir`, downloaded whole (into a temporary folder renamed at the end).
   */
  downloadArtifacts(artifactUri: string, destDir: string): Promise<string>;
  /** MLflow's model registry in the same backend. */
  readonly registry: ModelRegistry;
}

/** Where warnings go (stderr by default); tests pass a collector. */
export type WarnFn = (message: string) => void;

/** An injectable sleep so retry tests run fast. */
export type SleepFn = (ms: number) => Promise<void>;
