/**
 * TrackingStore on MLflow's local file store layout (mlflow/store/tracking/file_store.py), readable by
 * `mlflow ui --backend-store-uri ./mlruns`:
 *
 *   mlruns/.trash/                               deleted experiments (created with the root)
 *   mlruns/0/meta.yaml                           the Default experiment (created with the root)
 *   mlruns/<exp_id>/meta.yaml                    artifact_location, creation_time, experiment_id ('quoted'),
 *                                                last_update_time, lifecycle_stage, name
 *   mlruns/<exp_id>/tags/<key>                   experiment tags
 *   mlruns/<exp_id>/<run_id>/meta.yaml           artifact_uri, [deleted_time], end_time, entry_point_name,
 *                                                experiment_id, lifecycle_stage, run_id, run_name, run_uuid,
 *                                                source_name, source_type, source_version, start_time,
 *                                                status (int), tags ([]), user_id
 *   mlruns/<exp_id>/<run_id>/metrics/<key>       lines `<timestamp_ms> <value> <step>`; `/` in a key = folders
 *   mlruns/<exp_id>/<run_id>/params/<key>        the value, no trailing newline
 *   mlruns/<exp_id>/<run_id>/tags/<key>          the value, no trailing newline
 *   mlruns/<exp_id>/<run_id>/artifacts/          artifacts (the run's artifact_uri, a file:// URI)
 *
 * Every file is written atomically (temporary file beside it, then rename) except metric files, which are
 * append-only like MLflow's. Our own bookkeeping files in the root (`.experiment-lock`, unsent data) are
 * files, never folders: MLflow treats every folder in the root as an experiment.
 */
import { appendFileSync, copyFileSync, existsSync, mkdirSync, openSync, closeSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { posix } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { writeFileAtomically, writeFilesAtomically } from "../io/atomic-write.js";
import { localArtifactFiles, parseRunsUri } from "./artifacts.js";
import { FileRegistry } from "./file-registry.js";
import type { ModelRegistry } from "./registry.js";
import { currentUser } from "./env.js";
import { ErrorCodes, TrackingError, messageOf } from "./errors.js";
import { filterRuns, sortRuns } from "./file-search.js";
import { newExperimentId, newRunId, randomRunName } from "./names.js";
import { formatPythonFloat, parsePythonFloat } from "./python-float.js";
import type {
  ArtifactEntry,
  CreateRunOptions,
  ExperimentSummary,
  LogBatch,
  Metric,
  Run,
  RunInfo,
  RunStatus,
  SearchRunsOptions,
  TrackingStore,
  WarnFn,
} from "./types.js";
import {
  limitValue,
  validateArtifactPath,
  validateExperimentId,
  validateExperimentName,
  validateKey,
  validateMetric,
  validateRunId,
  validateStatus,
} from "./validation.js";
import { readYamlMapping, writeYamlMapping, type YamlValue } from "./yaml.js";

const TRASH = ".trash";
const META = "meta.yaml";
/** Folders in an experiment that are not runs (FileStore.RESERVED_EXPERIMENT_FOLDERS). */
const RESERVED_EXPERIMENT_FOLDERS = new Set(["tags", "datasets", "traces"]);
/** The model registry's folder in the same root (ModelRegistryFileStore.MODELS_FOLDER_NAME). */
const MODELS_FOLDER = "models";
const DEFAULT_EXPERIMENT_ID = "0";
const DEFAULT_EXPERIMENT_NAME = "Default";
/** RunStatus ints as stored in meta.yaml. */
const STATUS_TO_INT: Record<RunStatus, number> = { RUNNING: 1, SCHEDULED: 2, FINISHED: 3, FAILED: 4, KILLED: 5 };
const INT_TO_STATUS: Record<number, RunStatus> = { 1: "RUNNING", 2: "SCHEDULED", 3: "FINISHED", 4: "FAILED", 5: "KILLED" };
/** SourceType.LOCAL, which MLflow's file store writes for every run. */
const SOURCE_TYPE_LOCAL = 4;
const LOCK_FILE = ".experiment-lock";
const TEMP_PREFIX = ".tmp-";

interface ExperimentRecord extends ExperimentSummary {
  dir: string;
  lifecycleStage: string;
}

interface RunLocation {
  experimentId: string;
  dir: string;
}

export interface FileStoreOptions {
  truncateLongValues?: boolean;
  warn?: WarnFn;
  /** Used for `user_id` when a run has no `mlflow.user` tag. */
  env?: NodeJS.ProcessEnv;
}

function fail(message: string, operation: string, errorCode: string): TrackingError {
  return new TrackingError(message, { endpoint: `file-store:${operation}`, errorCode });
}

/** MLflow's append_to_uri_path for the URIs this store makes. */
function appendToUri(uri: string, ...parts: string[]): string {
  return [uri.replace(/\/+$/, ""), ...parts].join("/");
}

/** A local directory from a file: URI or a path; undefined for other schemes. */
export function localPathOfUri(uri: string, cwd: string = process.cwd()): string | undefined {
  if (uri.startsWith("file:")) {
    if (uri.startsWith("file://")) {
      try {
        return fileURLToPath(uri);
      } catch {
        return undefined;
      }
    }
    return resolve(cwd, decodeURIComponent(uri.slice("file:".length)));
  }
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(uri)) return undefined;
  return isAbsolute(uri) ? uri : resolve(cwd, uri);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Files under `dir`, recursively, as `/`-separated paths relative to it (MLflow's `_get_resource_files`). */
export function listResourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (current: string, rel: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.name.startsWith(TEMP_PREFIX)) continue;
      const relPath = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(join(current, entry.name), relPath);
      else out.push(relPath);
    }
  };
  walk(dir, "");
  return out.sort();
}

export class FileStore implements TrackingStore {
  readonly root: string;
  readonly description: string;
  /** The root's absolute path: what MLFLOW_TRACKING_URI must be for another process to log here. */
  readonly location: string;
  readonly registry: ModelRegistry;
  private readonly options: FileStoreOptions;

  constructor(root: string, options: FileStoreOptions = {}) {
    this.root = resolve(root);
    this.description = `local file store ${this.root}`;
    this.location = this.root;
    this.registry = new FileRegistry(this.root);
    this.options = options;
  }

  private get trash(): string {
    return join(this.root, TRASH);
  }

  /**
   * MLflow's FileStore constructor gives a missing root the Default experiment; `.trash` always exists.
   * Our mlruns/ is committed with only a README in it, so Default is also made when it is neither there
   * nor in the trash: the MLflow UI opens on experiment 0.
   */
  private ensureRoot(): void {
    if (existsSync(this.root) && !statSync(this.root).isDirectory()) {
      throw fail(`'${this.root}' is not a directory.`, "open", ErrorCodes.INVALID_STATE);
    }
    mkdirSync(this.root, { recursive: true });
    if (!existsSync(join(this.root, DEFAULT_EXPERIMENT_ID)) && !existsSync(join(this.trash, DEFAULT_EXPERIMENT_ID))) {
      this.writeExperiment(DEFAULT_EXPERIMENT_ID, DEFAULT_EXPERIMENT_NAME, undefined);
    }
    mkdirSync(this.trash, { recursive: true });
  }

  private limitOptions(operation: string) {
    const options: { truncate: boolean; endpoint: string; warn?: WarnFn } = {
      truncate: this.options.truncateLongValues ?? true,
      endpoint: `file-store:${operation}`,
    };
    if (this.options.warn !== undefined) options.warn = this.options.warn;
    return options;
  }

  // ---------------------------------------------------------------- experiments

  private experimentDirs(includeDeleted: boolean): { id: string; dir: string }[] {
    const list = (parent: string, skip: (name: string) => boolean) =>
      existsSync(parent)
        ? readdirSync(parent, { withFileTypes: true })
            .filter((e) => e.isDirectory() && !skip(e.name) && /^[a-zA-Z0-9][\w-]{0,63}$/.test(e.name))
            .map((e) => ({ id: e.name, dir: join(parent, e.name) }))
        : [];
    const active = list(this.root, (name) => name.endsWith(TRASH) || name === MODELS_FOLDER);
    return includeDeleted ? [...active, ...list(this.trash, () => false)] : active;
  }

  private readExperiment(id: string, dir: string): ExperimentRecord | undefined {
    const metaPath = join(dir, META);
    if (!existsSync(metaPath)) return undefined;
    let meta: Record<string, YamlValue>;
    try {
      meta = readYamlMapping(readFileSync(metaPath, "utf8"));
    } catch (error) {
      this.options.warn?.(`Skipping malformed experiment '${id}' in ${this.root}: ${messageOf(error)}`);
      return undefined;
    }
    if (String(meta.experiment_id) !== id) return undefined;
    return {
      experimentId: id,
      name: String(meta.name ?? ""),
      artifactLocation: String(meta.artifact_location ?? ""),
      lifecycleStage: String(meta.lifecycle_stage ?? "active"),
      dir,
    };
  }

  private findExperiment(id: string, includeDeleted = true): ExperimentRecord | undefined {
    validateExperimentId(id, "file-store:getExperiment");
    const candidates = [join(this.root, id), ...(includeDeleted ? [join(this.trash, id)] : [])];
    for (const dir of candidates) {
      if (existsSync(dir) && statSync(dir).isDirectory()) return this.readExperiment(id, dir);
    }
    return undefined;
  }

  async getExperimentByName(name: string): Promise<ExperimentSummary | undefined> {
    validateExperimentName(name, "file-store:getExperimentByName");
    if (!existsSync(this.root)) return undefined;
    const e = this.findByName(name, false);
    return e === undefined ? undefined : { experimentId: e.experimentId, name: e.name, artifactLocation: e.artifactLocation, lifecycleStage: e.lifecycleStage };
  }

  private findByName(name: string, includeDeleted: boolean): ExperimentRecord | undefined {
    for (const { id, dir } of this.experimentDirs(includeDeleted)) {
      const experiment = this.readExperiment(id, dir);
      if (experiment !== undefined && experiment.name === name) return experiment;
    }
    return undefined;
  }

  /** meta.yaml of a new experiment, then its tags (MLflow's `_create_experiment_with_id`). */
  private writeExperiment(id: string, name: string, tags: Record<string, string> | undefined): void {
    const dir = join(this.root, id);
    mkdirSync(dir, { recursive: true });
    const now = Date.now();
    writeFileAtomically(
      join(dir, META),
      writeYamlMapping({
        artifact_location: appendToUri(pathToFileURL(this.root).href, id),
        creation_time: now,
        experiment_id: id,
        last_update_time: now,
        lifecycle_stage: "active",
        name,
      }),
    );
    for (const [key, value] of Object.entries(tags ?? {})) writeFileAtomically(join(dir, "tags", ...key.split("/")), value);
  }

  /** Serialises experiment creation between processes sharing the root (a lock *file*: folders are experiments). */
  private async withLock<T>(fn: () => T): Promise<T> {
    const lock = join(this.root, LOCK_FILE);
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        closeSync(openSync(lock, "wx"));
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        try {
          if (Date.now() - statSync(lock).mtimeMs > 30_000) rmSync(lock, { force: true });
        } catch {
          // removed meanwhile
        }
        if (Date.now() > deadline) throw fail(`Timed out waiting for ${lock}; remove it if no other process is creating experiments.`, "createExperiment", ErrorCodes.INTERNAL_ERROR);
        await sleep(20);
      }
    }
    try {
      return fn();
    } finally {
      rmSync(lock, { force: true });
    }
  }

  private createExperimentUnlocked(name: string, tags: Record<string, string> | undefined): string {
    const existing = this.findByName(name, true);
    if (existing !== undefined) {
      const message =
        existing.lifecycleStage === "deleted"
          ? `Experiment '${name}' already exists in deleted state. Restore it, or permanently delete it from ${this.trash}, to use this name again.`
          : `Experiment '${name}' already exists.`;
      throw fail(message, "createExperiment", ErrorCodes.RESOURCE_ALREADY_EXISTS);
    }
    let id = newExperimentId();
    while (existsSync(join(this.root, id)) || existsSync(join(this.trash, id))) id = newExperimentId();
    this.writeExperiment(id, name, tags);
    return id;
  }

  async createExperiment(name: string, tags?: Record<string, string>): Promise<string> {
    validateExperimentName(name, "file-store:createExperiment");
    for (const key of Object.keys(tags ?? {})) validateKey("tag", key, "file-store:createExperiment");
    this.ensureRoot();
    return this.withLock(() => this.createExperimentUnlocked(name, tags));
  }

  async getOrCreateExperiment(name: string): Promise<string> {
    validateExperimentName(name, "file-store:getOrCreateExperiment");
    this.ensureRoot();
    const found = this.findByName(name, false);
    if (found !== undefined) return found.experimentId;
    return this.withLock(() => {
      const again = this.findByName(name, false);
      if (again !== undefined) return again.experimentId;
      // The Default experiment keeps MLflow's id 0 when its folder is missing (e.g. a root made by hand).
      if (name === DEFAULT_EXPERIMENT_NAME && !existsSync(join(this.root, DEFAULT_EXPERIMENT_ID)) && !existsSync(join(this.trash, DEFAULT_EXPERIMENT_ID))) {
        this.writeExperiment(DEFAULT_EXPERIMENT_ID, DEFAULT_EXPERIMENT_NAME, undefined);
        return DEFAULT_EXPERIMENT_ID;
      }
      return this.createExperimentUnlocked(name, undefined);
    });
  }

  // ---------------------------------------------------------------- runs

  /** `_make_persisted_run_info_dict`: RunInfo plus the legacy fields MLflow still writes. */
  private runMeta(info: RunInfo, deletedTime: number | null | undefined): Record<string, YamlValue> {
    const meta: Record<string, YamlValue> = {
      artifact_uri: info.artifactUri,
      end_time: info.endTime ?? null,
      entry_point_name: "",
      experiment_id: info.experimentId,
      lifecycle_stage: info.lifecycleStage,
      run_id: info.runId,
      run_name: info.runName,
      run_uuid: info.runId,
      source_name: "",
      source_type: SOURCE_TYPE_LOCAL,
      source_version: "",
      start_time: info.startTime,
      status: STATUS_TO_INT[info.status],
      tags: [],
      user_id: info.userId,
    };
    // create_run writes `deleted_time: null`; later overwrites (_overwrite_run_info) only write a real one.
    if (deletedTime !== undefined) meta.deleted_time = deletedTime;
    return meta;
  }

  private findRun(runId: string, operation: string): RunLocation {
    validateRunId(runId, `file-store:${operation}`);
    if (existsSync(this.root)) {
      for (const { id, dir } of this.experimentDirs(true)) {
        const runDir = join(dir, runId);
        if (existsSync(join(runDir, META))) return { experimentId: id, dir: runDir };
      }
    }
    throw fail(`Run '${runId}' not found in ${this.root}.`, operation, ErrorCodes.RESOURCE_DOES_NOT_EXIST);
  }

  private readRunInfo(location: RunLocation, operation: string): RunInfo {
    let meta: Record<string, YamlValue>;
    try {
      meta = readYamlMapping(readFileSync(join(location.dir, META), "utf8"));
    } catch (error) {
      throw fail(`Run metadata ${join(location.dir, META)} is malformed: ${messageOf(error)}`, operation, ErrorCodes.INVALID_STATE);
    }
    const experimentId = String(meta.experiment_id ?? "");
    if (experimentId !== location.experimentId) {
      throw fail(`Run '${location.dir}' metadata is in invalid state (experiment_id ${experimentId}).`, operation, ErrorCodes.INVALID_STATE);
    }
    const statusInt = typeof meta.status === "number" ? meta.status : 1;
    const info: RunInfo = {
      runId: String(meta.run_id ?? meta.run_uuid ?? ""),
      experimentId,
      runName: typeof meta.run_name === "string" ? meta.run_name : "",
      status: INT_TO_STATUS[statusInt] ?? "RUNNING",
      startTime: typeof meta.start_time === "number" ? meta.start_time : 0,
      artifactUri: String(meta.artifact_uri ?? ""),
      lifecycleStage: typeof meta.lifecycle_stage === "string" ? meta.lifecycle_stage : "active",
      userId: typeof meta.user_id === "string" ? meta.user_id : String(meta.user_id ?? ""),
    };
    if (typeof meta.end_time === "number") info.endTime = meta.end_time;
    return info;
  }

  /** check_run_is_active */
  private activeRun(runId: string, operation: string): { location: RunLocation; info: RunInfo } {
    const location = this.findRun(runId, operation);
    const info = this.readRunInfo(location, operation);
    if (info.lifecycleStage !== "active") {
      throw fail(`The run ${runId} must be in the 'active' state. Current state is ${info.lifecycleStage}.`, operation, ErrorCodes.INVALID_STATE);
    }
    return { location, info };
  }

  private writeRunMeta(dir: string, info: RunInfo, deletedTime?: number | null): void {
    writeFileAtomically(join(dir, META), writeYamlMapping(this.runMeta(info, deletedTime)));
  }

  async createRun(experimentId: string, options: CreateRunOptions): Promise<RunInfo> {
    const op = "createRun";
    this.ensureRoot();
    const experiment = this.findExperiment(experimentId);
    if (experiment === undefined) {
      throw fail(`Could not create run under experiment with ID ${experimentId} - no such experiment exists in ${this.root}.`, op, ErrorCodes.RESOURCE_DOES_NOT_EXIST);
    }
    if (experiment.lifecycleStage !== "active") {
      throw fail(`Could not create run under non-active experiment with ID ${experimentId}.`, op, ErrorCodes.INVALID_STATE);
    }
    const tags: Record<string, string> = {};
    for (const [key, value] of Object.entries(options.tags ?? {})) {
      validateKey("tag", key, `file-store:${op}`);
      tags[key] = limitValue("tag", key, value, this.limitOptions(op));
    }
    const tagName = tags["mlflow.runName"];
    if (options.runName !== undefined && tagName !== undefined && options.runName !== tagName) {
      throw fail(
        `Both 'runName' and the 'mlflow.runName' tag are specified, but with different values (runName='${options.runName}', mlflow.runName='${tagName}').`,
        op,
        ErrorCodes.INVALID_PARAMETER_VALUE,
      );
    }
    const runName = options.runName ?? tagName ?? randomRunName();
    tags["mlflow.runName"] = runName;
    const runId = newRunId();
    const info: RunInfo = {
      runId,
      experimentId,
      runName,
      status: "RUNNING",
      startTime: options.startTime ?? Date.now(),
      artifactUri: appendToUri(experiment.artifactLocation, runId, "artifacts"),
      lifecycleStage: "active",
      userId: tags["mlflow.user"] ?? currentUser(this.options.env),
    };
    const dir = join(experiment.dir, runId);
    mkdirSync(dir, { recursive: true });
    this.writeRunMeta(dir, info, null);
    for (const sub of ["metrics", "params", "artifacts"]) mkdirSync(join(dir, sub), { recursive: true });
    for (const [key, value] of Object.entries(tags)) writeFileAtomically(join(dir, "tags", ...key.split("/")), value);
    return info;
  }

  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    const op = "logBatch";
    const endpoint = `file-store:${op}`;
    validateRunId(runId, endpoint);
    for (const metric of batch.metrics ?? []) validateMetric(metric, endpoint);
    const params: [string, string][] = [];
    for (const [key, value] of Object.entries(batch.params ?? {})) {
      validateKey("param", key, endpoint);
      params.push([key, limitValue("param", key, value, this.limitOptions(op))]);
    }
    const tags: [string, string][] = [];
    for (const [key, value] of Object.entries(batch.tags ?? {})) {
      validateKey("tag", key, endpoint);
      tags.push([key, limitValue("tag", key, value, this.limitOptions(op))]);
    }
    const { location, info } = this.activeRun(runId, op);
    // Params are immutable: check all before writing any, so a conflict writes nothing.
    for (const [key, value] of params) {
      const path = join(location.dir, "params", ...key.split("/"));
      if (existsSync(path)) {
        const current = readFileSync(path, "utf8");
        if (current !== value) {
          throw fail(
            `Changing param values is not allowed. Param with key='${key}' was already logged with value='${current}' for run ID='${runId}'. Attempted logging new value '${value}'.`,
            op,
            ErrorCodes.INVALID_PARAMETER_VALUE,
          );
        }
      }
    }
    writeFilesAtomically(
      params.map(([key, value]) => ({ path: join(location.dir, "params", ...key.split("/")), write: (temp) => writeFileSync(temp, value) })),
    );
    this.appendMetrics(location.dir, batch.metrics ?? []);
    if (tags.length > 0) this.writeTags(location.dir, info, tags);
  }

  /** One append per metric key: `<timestamp> <python float> <step>\n` per point. */
  private appendMetrics(runDir: string, metrics: readonly Metric[]): void {
    const byKey = new Map<string, string[]>();
    for (const m of metrics) {
      let lines = byKey.get(m.key);
      if (lines === undefined) byKey.set(m.key, (lines = []));
      lines.push(`${m.timestamp} ${formatPythonFloat(m.value)} ${m.step}\n`);
    }
    for (const [key, lines] of byKey) {
      const path = join(runDir, "metrics", ...key.split("/"));
      mkdirSync(dirname(path), { recursive: true });
      appendFileSync(path, lines.join(""));
    }
  }

  private writeTags(runDir: string, info: RunInfo, tags: readonly [string, string][]): void {
    writeFilesAtomically(tags.map(([key, value]) => ({ path: join(runDir, "tags", ...key.split("/")), write: (temp) => writeFileSync(temp, value) })));
    // Setting mlflow.runName renames the run (file_store.set_tag / log_batch update the run info).
    const renamed = tags.filter(([key]) => key === "mlflow.runName").pop();
    if (renamed !== undefined && renamed[1] !== info.runName) this.writeRunMeta(runDir, { ...info, runName: renamed[1] });
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    const op = "setTag";
    validateRunId(runId, `file-store:${op}`);
    validateKey("tag", key, `file-store:${op}`);
    const limited = limitValue("tag", key, value, this.limitOptions(op));
    const { location, info } = this.activeRun(runId, op);
    this.writeTags(location.dir, info, [[key, limited]]);
  }

  async updateRun(runId: string, status: RunStatus, endTime?: number): Promise<void> {
    const op = "updateRun";
    validateStatus(status, `file-store:${op}`);
    const { location, info } = this.activeRun(runId, op);
    const updated: RunInfo = { ...info, status };
    if (endTime !== undefined) updated.endTime = endTime;
    this.writeRunMeta(location.dir, updated);
  }

  /** The points of one metric file, in file order. */
  private readMetricPoints(metricsDir: string, key: string): Metric[] {
    const points: Metric[] = [];
    for (const line of readFileSync(join(metricsDir, ...key.split("/")), "utf8").split("\n")) {
      const parts = line.trim().split(" ");
      if (parts.length < 2 || parts[0] === "") continue;
      points.push({ key, timestamp: Number(parts[0]), value: parsePythonFloat(parts[1]!), step: parts.length >= 3 ? Number(parts[2]) : 0 });
    }
    return points;
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    const op = "getMetricHistory";
    validateKey("metric", key, `file-store:${op}`);
    const metricsDir = join(this.findRun(runId, op).dir, "metrics");
    return existsSync(join(metricsDir, ...key.split("/"))) ? this.readMetricPoints(metricsDir, key) : [];
  }

  private readData(runDir: string): Run["data"] {
    const metrics: Record<string, number> = {};
    const metricsDir = join(runDir, "metrics");
    for (const key of listResourceFiles(metricsDir)) {
      let best: Metric | undefined;
      for (const point of this.readMetricPoints(metricsDir, key)) {
        // max by (step, timestamp, value), Python tuple order
        if (
          best === undefined ||
          point.step > best.step ||
          (point.step === best.step && (point.timestamp > best.timestamp || (point.timestamp === best.timestamp && point.value > best.value)))
        ) {
          best = point;
        }
      }
      if (best !== undefined) metrics[key] = best.value;
    }
    const readAll = (sub: string) => {
      const out: Record<string, string> = {};
      const base = join(runDir, sub);
      for (const key of listResourceFiles(base)) out[key] = readFileSync(join(base, ...key.split("/")), "utf8");
      return out;
    };
    return { metrics, params: readAll("params"), tags: readAll("tags") };
  }

  private runAt(location: RunLocation, operation: string): Run {
    const info = this.readRunInfo(location, operation);
    const data = this.readData(location.dir);
    if (info.runName === "" && data.tags["mlflow.runName"] !== undefined) info.runName = data.tags["mlflow.runName"];
    return { info, data };
  }

  async getRun(runId: string): Promise<Run> {
    return this.runAt(this.findRun(runId, "getRun"), "getRun");
  }

  async searchRuns(experimentIds: string[], options: SearchRunsOptions = {}): Promise<Run[]> {
    const runs: Run[] = [];
    for (const experimentId of experimentIds) {
      const experiment = existsSync(this.root) ? this.findExperiment(experimentId) : undefined;
      if (experiment === undefined) continue;
      for (const entry of readdirSync(experiment.dir, { withFileTypes: true })) {
        if (!entry.isDirectory() || RESERVED_EXPERIMENT_FOLDERS.has(entry.name)) continue;
        const dir = join(experiment.dir, entry.name);
        if (!existsSync(join(dir, META))) continue;
        try {
          const run = this.runAt({ experimentId, dir }, "searchRuns");
          if (run.info.lifecycleStage === "active") runs.push(run);
        } catch (error) {
          if (!(error instanceof TrackingError)) throw error;
          this.options.warn?.(`Skipping malformed run ${dir}: ${error.message}`);
        }
      }
    }
    const selected = sortRuns(filterRuns(runs, options.filter), options.orderBy);
    return options.maxResults === undefined ? selected : selected.slice(0, options.maxResults);
  }

  private artifactRoot(runId: string, operation: string): string {
    const info = this.readRunInfo(this.findRun(runId, operation), operation);
    const local = localPathOfUri(info.artifactUri);
    if (local === undefined) {
      throw fail(
        `Run ${runId} stores artifacts at '${info.artifactUri}', which is not a local path; the local file store can only write file: locations.`,
        operation,
        ErrorCodes.INVALID_PARAMETER_VALUE,
      );
    }
    return local;
  }

  async logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void> {
    const op = "logArtifact";
    validateRunId(runId, `file-store:${op}`);
    validateArtifactPath(artifactPath, `file-store:${op}`);
    const files = localArtifactFiles(localPath, artifactPath, `file-store:${op}`);
    const root = this.artifactRoot(runId, op);
    for (const file of files) {
      const target = join(root, ...file.artifactDir.split("/").filter((p) => p !== ""), file.name);
      writeFilesAtomically([{ path: target, write: (temp) => copyFileSync(file.localFile, temp) }]);
    }
  }

  async downloadArtifacts(artifactUri: string, _destDir: string): Promise<string> {
    const endpoint = "file-store:downloadArtifacts";
    const runs = parseRunsUri(artifactUri);
    const uri = runs === undefined ? artifactUri : appendToUri((await this.getRun(runs.runId)).info.artifactUri, ...runs.path.split("/").filter((p) => p !== ""));
    const local = localPathOfUri(uri);
    if (local === undefined || !existsSync(local)) {
      throw new TrackingError(`Cannot read artifacts at '${artifactUri}' from ${this.description}: ${local === undefined ? "not a local path" : `${local} does not exist`}.`, {
        endpoint,
        errorCode: ErrorCodes.RESOURCE_DOES_NOT_EXIST,
      });
    }
    return local;
  }

  async listArtifacts(runId: string, path?: string): Promise<ArtifactEntry[]> {
    const op = "listArtifacts";
    validateRunId(runId, `file-store:${op}`);
    validateArtifactPath(path, `file-store:${op}`);
    const sub = path === undefined || path === "" ? "" : path.replace(/\/+$/, "");
    const dir = join(this.artifactRoot(runId, op), ...sub.split("/").filter((p) => p !== ""));
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => !e.name.startsWith(TEMP_PREFIX))
      .map((e): ArtifactEntry => {
        const rel = sub === "" ? e.name : posix.join(sub, e.name);
        const full = join(dir, e.name);
        const isDir = statSync(full).isDirectory();
        return isDir ? { path: rel, isDir } : { path: rel, isDir, fileSize: statSync(full).size };
      })
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}
