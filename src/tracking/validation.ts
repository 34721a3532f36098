/**
 * MLflow's limits and name rules (mlflow/utils/validation.py), checked before anything is sent or written,
 * and the splitting of a batch into log-batch requests that respect them.
 */
import { posix } from "node:path";
import { ErrorCodes, TrackingError } from "./errors.js";
import type { Metric, RunStatus } from "./types.js";
import { RUN_STATUSES } from "./types.js";

export const MAX_METRICS_PER_BATCH = 1000;
export const MAX_PARAMS_TAGS_PER_BATCH = 100;
export const MAX_ENTITIES_PER_BATCH = 1000;
/** MAX_BATCH_LOG_REQUEST_SIZE: the server rejects a log-batch body longer than this. */
export const MAX_BATCH_LOG_REQUEST_SIZE = 1_000_000;
export const MAX_ENTITY_KEY_LENGTH = 250;
export const MAX_PARAM_VAL_LENGTH = 6000;
/** Current MLflow; older servers used 5000 and truncate (or reject) on their side. */
export const MAX_TAG_VAL_LENGTH = 8000;
export const MAX_EXPERIMENT_NAME_LENGTH = 500;

/** Python's `\w` is Unicode-aware (letters and digits of any script, and `_`). */
const VALID_KEY = /^[/\p{L}\p{N}_.\- ]*$/u;
const VALID_RUN_ID = /^[a-zA-Z0-9][\w-]{0,255}$/;
const VALID_EXPERIMENT_ID = /^[a-zA-Z0-9][\w-]{0,63}$/;

export type KeyKind = "metric" | "param" | "tag";
const KIND_LABEL: Record<KeyKind, string> = { metric: "metric name", param: "parameter name", tag: "tag name" };

function invalid(message: string, endpoint: string): TrackingError {
  return new TrackingError(message, { endpoint, errorCode: ErrorCodes.INVALID_PARAMETER_VALUE });
}

/** MLflow's `path_not_unique`: a key is also a file path and must not resolve to another name. */
function pathNotUnique(name: string): boolean {
  const norm = posix.normalize(name);
  return norm !== name || norm === "." || norm.startsWith("..") || norm.startsWith("/");
}

/**
 * A metric, param or tag key: at most 250 characters of letters, digits, `_ - . / space`, and a normalised
 * relative path (no `a//b`, `./a`, `../a`, `/a`, trailing `/`).
 */
export function validateKey(kind: KeyKind, key: string, endpoint: string): void {
  const label = KIND_LABEL[kind];
  if (typeof key !== "string" || key === "") throw invalid(`Invalid ${label}: a key name must be provided.`, endpoint);
  if (!VALID_KEY.test(key)) {
    throw invalid(
      `Invalid ${label}: '${key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).`,
      endpoint,
    );
  }
  if (pathNotUnique(key)) {
    throw invalid(
      `Invalid ${label}: '${key}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${posix.normalize(key)}'.`,
      endpoint,
    );
  }
  if (key.length > MAX_ENTITY_KEY_LENGTH) {
    throw invalid(`Invalid ${label}: '${key.slice(0, 50)}...' has ${key.length} characters; the limit is ${MAX_ENTITY_KEY_LENGTH}.`, endpoint);
  }
}

export function validateMetric(metric: Metric, endpoint: string): void {
  validateKey("metric", metric.key, endpoint);
  if (typeof metric.value !== "number") {
    throw invalid(`Got invalid value ${String(metric.value)} for metric '${metric.key}': it must be a number (NaN and ±Infinity are allowed).`, endpoint);
  }
  if (!Number.isSafeInteger(metric.timestamp) || metric.timestamp < 0) {
    throw invalid(`Got invalid timestamp ${String(metric.timestamp)} for metric '${metric.key}': it must be a non-negative integer (ms).`, endpoint);
  }
  if (!Number.isSafeInteger(metric.step)) {
    throw invalid(`Got invalid step ${String(metric.step)} for metric '${metric.key}': it must be an integer.`, endpoint);
  }
}

/**
 * MLflow's `_validate_length_limit(..., truncate=True)`: by default (MLFLOW_TRUNCATE_LONG_VALUES=true) an
 * over-long param/tag value is cut to the limit with a warning; with the variable false it is rejected.
 */
export function limitValue(
  kind: "param" | "tag",
  key: string,
  value: string,
  options: { truncate: boolean; endpoint: string; warn?: (message: string) => void },
): string {
  const limit = kind === "param" ? MAX_PARAM_VAL_LENGTH : MAX_TAG_VAL_LENGTH;
  if (typeof value !== "string") throw invalid(`The value of ${kind} '${key}' must be a string.`, options.endpoint);
  if (value.length <= limit) return value;
  const label = kind === "param" ? "Param value" : "Tag value";
  if (options.truncate) {
    options.warn?.(`${label} '${key}' (${value.length} characters) is truncated to ${limit} characters to meet MLflow's length limit.`);
    return value.slice(0, limit);
  }
  throw invalid(
    `${label} '${key}' had length ${value.length}, which exceeded length limit of ${limit} (MLFLOW_TRUNCATE_LONG_VALUES is false).`,
    options.endpoint,
  );
}

export function validateRunId(runId: string, endpoint: string): void {
  if (typeof runId !== "string" || !VALID_RUN_ID.test(runId)) throw invalid(`Invalid run ID: '${String(runId)}'.`, endpoint);
}

export function validateExperimentId(experimentId: string, endpoint: string): void {
  if (typeof experimentId !== "string" || !VALID_EXPERIMENT_ID.test(experimentId)) {
    throw invalid(`Invalid experiment ID: '${String(experimentId)}'.`, endpoint);
  }
}

export function validateExperimentName(name: string, endpoint: string): void {
  if (typeof name !== "string" || name === "") throw invalid(`Invalid experiment name: '${String(name)}'.`, endpoint);
  if (name.length > MAX_EXPERIMENT_NAME_LENGTH) {
    throw invalid(`Experiment name exceeds the maximum length of ${MAX_EXPERIMENT_NAME_LENGTH} characters.`, endpoint);
  }
}

export function validateStatus(status: string, endpoint: string): asserts status is RunStatus {
  if (!(RUN_STATUSES as readonly string[]).includes(status)) {
    throw invalid(`Invalid run status '${status}': use one of ${RUN_STATUSES.join(", ")}.`, endpoint);
  }
}

/** MLflow's `verify_artifact_path`: a relative, normalised path. */
export function validateArtifactPath(artifactPath: string | undefined, endpoint: string): void {
  if (artifactPath === undefined || artifactPath === "") return;
  if (pathNotUnique(artifactPath)) {
    throw invalid(`Invalid artifact path: '${artifactPath}'. Use a relative path such as 'reports/figures'.`, endpoint);
  }
}

export interface BatchChunk {
  metrics: Metric[];
  params: [string, string][];
  tags: [string, string][];
}

/** JSON size of one entity inside a log-batch body (its text plus a separating comma). */
function entitySize(entity: unknown): number {
  return Buffer.byteLength(JSON.stringify(entity)) + 1;
}

/**
 * Splits a batch into chunks each within MLflow's log-batch limits: <= 100 params, <= 100 tags,
 * <= 1000 metrics, <= 1000 entities, and a JSON body under 1 MB. Params and tags go first (so a run's
 * configuration arrives before its metrics); metrics fill the remaining room in order.
 */
export function splitBatch(
  batch: { metrics?: readonly Metric[]; params?: Record<string, string>; tags?: Record<string, string> },
  runId = "",
): BatchChunk[] {
  const params = Object.entries(batch.params ?? {});
  const tags = Object.entries(batch.tags ?? {});
  const metrics = batch.metrics ?? [];
  // Room for the envelope `{"run_id":"...","metrics":[],"params":[],"tags":[]}` with margin.
  const budget = MAX_BATCH_LOG_REQUEST_SIZE - 200 - runId.length;
  const chunks: BatchChunk[] = [];
  let p = 0;
  let t = 0;
  let m = 0;
  while (p < params.length || t < tags.length || m < metrics.length) {
    const chunk: BatchChunk = { metrics: [], params: [], tags: [] };
    let size = 0;
    let count = 0;
    const fits = (bytes: number) => size + bytes <= budget && count < MAX_ENTITIES_PER_BATCH;
    while (p < params.length && chunk.params.length < MAX_PARAMS_TAGS_PER_BATCH) {
      const [key, value] = params[p]!;
      const bytes = entitySize({ key, value });
      if (!fits(bytes) && count > 0) break;
      chunk.params.push([key, value]);
      size += bytes;
      count++;
      p++;
    }
    while (t < tags.length && chunk.tags.length < MAX_PARAMS_TAGS_PER_BATCH) {
      const [key, value] = tags[t]!;
      const bytes = entitySize({ key, value });
      if (!fits(bytes) && count > 0) break;
      chunk.tags.push([key, value]);
      size += bytes;
      count++;
      t++;
    }
    while (m < metrics.length && chunk.metrics.length < MAX_METRICS_PER_BATCH) {
      const metric = metrics[m]!;
      const bytes = entitySize({ key: metric.key, value: "-Infinity", timestamp: metric.timestamp, step: metric.step }) + 20;
      if (!fits(bytes) && count > 0) break;
      chunk.metrics.push(metric);
      size += bytes;
      count++;
      m++;
    }
    chunks.push(chunk);
  }
  return chunks;
}
