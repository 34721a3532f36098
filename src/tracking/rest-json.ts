/**
 * MLflow REST JSON (protobuf's JSON mapping, snake_case) to our camelCase types, and back for requests.
 * Protobuf JSON omits empty and unset fields, and older servers send int64 values (times) as strings and
 * NaN/Infinity doubles as "NaN"/"Infinity": all are accepted.
 */
import { fromJsonNumber, toJsonNumber } from "./python-float.js";
import type { ExperimentSummary, Metric, Run, RunData, RunInfo, RunStatus } from "./types.js";
import { RUN_STATUSES } from "./types.js";

type Json = Record<string, unknown>;

function obj(value: unknown): Json {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(obj) : [];
}

function str(value: unknown, fallback = ""): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return fallback;
}

function optionalInt(value: unknown): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const n = fromJsonNumber(value);
  return Number.isNaN(n) ? undefined : n;
}

function status(value: unknown): RunStatus {
  const s = str(value, "RUNNING");
  return (RUN_STATUSES as readonly string[]).includes(s) ? (s as RunStatus) : "RUNNING";
}

export function parseExperiment(value: unknown): ExperimentSummary {
  const e = obj(value);
  return {
    experimentId: str(e.experiment_id),
    name: str(e.name),
    artifactLocation: str(e.artifact_location),
    lifecycleStage: str(e.lifecycle_stage, "active"),
  };
}

export function keyValues(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list(value)) out[str(item.key)] = str(item.value);
  return out;
}

export function parseRunInfo(value: unknown, tags: Record<string, string> = {}): RunInfo {
  const i = obj(value);
  const info: RunInfo = {
    runId: str(i.run_id, str(i.run_uuid)),
    experimentId: str(i.experiment_id),
    runName: str(i.run_name, tags["mlflow.runName"] ?? ""),
    status: status(i.status),
    startTime: optionalInt(i.start_time) ?? 0,
    artifactUri: str(i.artifact_uri),
    lifecycleStage: str(i.lifecycle_stage, "active"),
    userId: str(i.user_id),
  };
  const end = optionalInt(i.end_time);
  if (end !== undefined) info.endTime = end;
  return info;
}

export function parseRun(value: unknown): Run {
  const r = obj(value);
  const d = obj(r.data);
  const metrics: Record<string, number> = {};
  for (const m of list(d.metrics)) metrics[str(m.key)] = fromJsonNumber(m.value);
  const data: RunData = { metrics, params: keyValues(d.params), tags: keyValues(d.tags) };
  return { info: parseRunInfo(r.info, data.tags), data };
}

export function toKeyValues(entries: Iterable<[string, string]>): { key: string; value: string }[] {
  return [...entries].map(([key, value]) => ({ key, value }));
}

export function toJsonMetric(m: Metric): { key: string; value: number | string; timestamp: number; step: number } {
  return { key: m.key, value: toJsonNumber(m.value), timestamp: m.timestamp, step: m.step };
}
