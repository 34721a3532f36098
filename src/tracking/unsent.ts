/**
 * What a run could not send to the tracking server, kept on disk so nothing is lost:
 * `<cwd>/mlruns/.unsent-<runId>-<timestamp>.json`, rewritten atomically whenever more is added.
 *
 * It is a *file* in the mlruns root, not a folder `.unsent/`: MLflow's file store treats every folder in
 * its root as an experiment and, since it validates experiment ids, `mlflow ui` on that root would fail on
 * a folder named `.unsent` (file_store.py `_get_active_experiments` + `_validate_experiment_id`).
 *
 * `replayUnsent(file)` sends such a file's content once the server is back.
 */
import { mkdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomically } from "../io/atomic-write.js";
import { readJsonFile } from "../io/json-file.js";
import { fromJsonNumber, toJsonNumber } from "./python-float.js";
import { storeFromEnv, type StoreOptions } from "./store-from-env.js";
import type { Metric, RunStatus, TrackingStore } from "./types.js";
import { splitBatch } from "./validation.js";

export const UNSENT_FORMAT = "retail-intel/unsent-run-data/1";

export interface UnsentFile {
  format: typeof UNSENT_FORMAT;
  runId: string;
  /** Where it should have gone (no credentials). */
  destination: string;
  createdAt: string;
  updatedAt: string;
  /** Why sending failed, one line per failure. */
  reasons: string[];
  metrics: { key: string; value: number | string; timestamp: number; step: number }[];
  params: Record<string, string>;
  tags: Record<string, string>;
  status?: RunStatus;
  endTime?: number;
  artifacts: { localPath: string; artifactPath?: string }[];
}

export class UnsentLog {
  readonly path: string;
  private readonly data: UnsentFile;

  constructor(mlrunsDir: string, runId: string, destination: string, now = Date.now()) {
    this.path = join(mlrunsDir, `.unsent-${runId}-${now}.json`);
    const iso = new Date(now).toISOString();
    this.data = { format: UNSENT_FORMAT, runId, destination, createdAt: iso, updatedAt: iso, reasons: [], metrics: [], params: {}, tags: {}, artifacts: [] };
  }

  add(batch: { metrics?: readonly Metric[]; params?: Record<string, string>; tags?: Record<string, string> }, reason?: string): void {
    for (const m of batch.metrics ?? []) this.data.metrics.push({ key: m.key, value: toJsonNumber(m.value), timestamp: m.timestamp, step: m.step });
    Object.assign(this.data.params, batch.params ?? {});
    Object.assign(this.data.tags, batch.tags ?? {});
    if (reason !== undefined) this.reason(reason);
  }

  reason(reason: string): void {
    if (!this.data.reasons.includes(reason)) this.data.reasons.push(reason);
  }

  setStatus(status: RunStatus, endTime: number): void {
    this.data.status = status;
    this.data.endTime = endTime;
  }

  addArtifact(localPath: string, artifactPath: string | undefined): void {
    this.data.artifacts.push(artifactPath === undefined ? { localPath } : { localPath, artifactPath });
  }

  counts(): { metrics: number; params: number; tags: number; artifacts: number; status?: RunStatus } {
    const c = {
      metrics: this.data.metrics.length,
      params: Object.keys(this.data.params).length,
      tags: Object.keys(this.data.tags).length,
      artifacts: this.data.artifacts.length,
    };
    return this.data.status === undefined ? c : { ...c, status: this.data.status };
  }

  /** Writes the whole record atomically (temporary file + rename). */
  write(): void {
    this.data.updatedAt = new Date().toISOString();
    mkdirSync(join(this.path, ".."), { recursive: true });
    writeFileAtomically(this.path, `${JSON.stringify(this.data, null, 1)}\n`);
  }
}

/** "1,234 metrics, 3 params, 2 tags, 1 artifact and the final status FINISHED" */
export function describeCounts(c: ReturnType<UnsentLog["counts"]>): string {
  const parts: string[] = [];
  const n = (count: number, word: string) => `${count.toLocaleString("en-US")} ${word}${count === 1 ? "" : "s"}`;
  if (c.metrics > 0) parts.push(n(c.metrics, "metric value"));
  if (c.params > 0) parts.push(n(c.params, "param"));
  if (c.tags > 0) parts.push(n(c.tags, "tag"));
  if (c.artifacts > 0) parts.push(n(c.artifacts, "artifact"));
  if (c.status !== undefined) parts.push(`the final status ${c.status}`);
  if (parts.length === 0) return "nothing";
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

/**
 * Sends an unsent-data file to `store` (default: the store from the environment): params, tags and metrics
 * in log-batch requests, artifacts, then the final status. On success the file is renamed to `*.sent.json`.
 */
export async function replayUnsent(
  file: string,
  options: { store?: TrackingStore; env?: NodeJS.ProcessEnv } & StoreOptions = {},
): Promise<{ metrics: number; params: number; tags: number; artifacts: number }> {
  const data = readJsonFile(file, "unsent-run-data file") as UnsentFile;
  if (data.format !== UNSENT_FORMAT) throw new Error(`${file} is not an unsent-run-data file (format ${String(data.format)}).`);
  const store = options.store ?? storeFromEnv(options.env, options);
  const metrics: Metric[] = data.metrics.map((m) => ({ key: m.key, value: fromJsonNumber(m.value), timestamp: m.timestamp, step: m.step }));
  for (const chunk of splitBatch({ metrics, params: data.params, tags: data.tags }, data.runId)) {
    await store.logBatch(data.runId, {
      metrics: chunk.metrics,
      params: Object.fromEntries(chunk.params),
      tags: Object.fromEntries(chunk.tags),
    });
  }
  for (const a of data.artifacts) await store.logArtifact(data.runId, a.localPath, a.artifactPath);
  if (data.status !== undefined) await store.updateRun(data.runId, data.status, data.endTime);
  renameSync(file, file.replace(/\.json$/, ".sent.json"));
  return { metrics: metrics.length, params: Object.keys(data.params).length, tags: Object.keys(data.tags).length, artifacts: data.artifacts.length };
}
