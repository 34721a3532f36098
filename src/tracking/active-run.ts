/**
 * A run being logged, for notebooks and the runner: metrics, params and tags are buffered and sent in
 * log-batch requests on flush()/end() and whenever the buffer reaches MLflow's per-request limits
 * (1000 metrics, 100 params, 100 tags).
 *
 * Failure policy (so a notebook never loses work to the tracking server):
 * - startRun: a REST server that cannot be reached (after retries) -> warning on stderr naming the URI, and
 *   the run goes to the local file store `<cwd>/mlruns`; resumeRun with the server down -> the run is logged
 *   offline (everything goes to the unsent file below). With MLFLOW_REQUIRE_SERVER=1 both throw instead.
 * - mid-run: whatever a flush/end cannot send is written to `<cwd>/mlruns/.unsent-<runId>-<ts>.json`
 *   (see unsent.ts), with a warning saying how much and where; once the server was unreachable the run stays
 *   offline (no more waiting on retries). logMetric never throws for server problems; flush/end report and
 *   do not throw, unless MLFLOW_REQUIRE_SERVER=1 (then they throw after saving the data).
 * - usage errors (an invalid key, a changed param value, logging after end) throw a TrackingError at once.
 */
import { join } from "node:path";
import { readTrackingEnv } from "./env.js";
import { currentUser } from "./env.js";
import { maskUrlPasswords } from "./secrets.js";
import { ErrorCodes, TrackingError, messageOf } from "./errors.js";
import { FileStore } from "./file-store.js";
import { readGitCommit } from "./git.js";
import { randomRunName } from "./names.js";
import { RestStore } from "./rest-store.js";
import { defaultWarn, storeFromEnv } from "./store-from-env.js";
import type { Metric, RunInfo, RunStatus, SleepFn, TrackingStore, WarnFn } from "./types.js";
import { UnsentLog, describeCounts } from "./unsent.js";
import {
  MAX_METRICS_PER_BATCH,
  MAX_PARAMS_TAGS_PER_BATCH,
  limitValue,
  splitBatch,
  validateArtifactPath,
  validateKey,
  validateMetric,
  validateStatus,
} from "./validation.js";

export interface ActiveRun {
  readonly info: RunInfo;
  readonly store: TrackingStore;
  logParams(params: Record<string, string | number | boolean>): void;
  logMetric(key: string, value: number, step?: number): void;
  logMetrics(metrics: Record<string, number>, step?: number): void;
  setTags(tags: Record<string, string>): void;
  logArtifact(localPath: string, artifactPath?: string): Promise<void>;
  flush(): Promise<void>;
  /** flush + updateRun(status, now); default FINISHED. */
  end(status?: RunStatus): Promise<void>;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Test hook: the sleep between HTTP retries. */
  sleep?: SleepFn;
  /** Where warnings go; stderr by default. */
  warn?: WarnFn;
}

export interface StartRunOptions extends RunOptions {
  experimentName?: string;
  runName?: string;
  tags?: Record<string, string>;
}

interface RunContext {
  cwd: string;
  warn: WarnFn;
  requireServer: boolean;
  truncateLongValues: boolean;
  /** Logging goes straight to the unsent file (server unreachable). */
  offline: boolean;
}

const ENDPOINT = "active-run";

class ActiveRunImpl implements ActiveRun {
  readonly store: TrackingStore;
  private current: RunInfo;
  private readonly ctx: RunContext;
  private metrics: Metric[] = [];
  private params = new Map<string, string>();
  private tags = new Map<string, string>();
  /** Every param value given to this run, to enforce MLflow's immutability at once. */
  private readonly paramValues = new Map<string, string>();
  private chain: Promise<void> = Promise.resolve();
  private unsent: UnsentLog | undefined;
  private firstFailure: TrackingError | undefined;
  private pendingError: TrackingError | undefined;
  private ended = false;

  constructor(store: TrackingStore, info: RunInfo, ctx: RunContext) {
    this.store = store;
    this.current = { ...info };
    this.ctx = ctx;
  }

  get info(): RunInfo {
    return this.current;
  }

  private checkOpen(): void {
    if (this.ended) {
      throw new TrackingError(`Run ${this.current.runId} has ended; start a new run (or resumeRun) to log more.`, {
        endpoint: ENDPOINT,
        errorCode: ErrorCodes.INVALID_STATE,
      });
    }
  }

  logParams(params: Record<string, string | number | boolean>): void {
    this.checkOpen();
    const accepted: [string, string][] = [];
    for (const [key, raw] of Object.entries(params)) {
      validateKey("param", key, ENDPOINT);
      const value = limitValue("param", key, maskUrlPasswords(String(raw)), { truncate: this.ctx.truncateLongValues, endpoint: ENDPOINT, warn: this.ctx.warn });
      const previous = this.paramValues.get(key);
      if (previous !== undefined && previous !== value) {
        throw new TrackingError(
          `Changing param values is not allowed: param '${key}' was already logged with value '${previous}' for run ${this.current.runId}; attempted '${value}'.`,
          { endpoint: ENDPOINT, errorCode: ErrorCodes.INVALID_PARAMETER_VALUE },
        );
      }
      accepted.push([key, value]);
    }
    for (const [key, value] of accepted) {
      if (this.paramValues.get(key) === value) continue;
      this.paramValues.set(key, value);
      this.params.set(key, value);
    }
    if (this.params.size >= MAX_PARAMS_TAGS_PER_BATCH) this.schedule();
  }

  logMetric(key: string, value: number, step = 0): void {
    this.checkOpen();
    const metric: Metric = { key, value, timestamp: Date.now(), step };
    validateMetric(metric, ENDPOINT);
    this.metrics.push(metric);
    if (this.metrics.length >= MAX_METRICS_PER_BATCH) this.schedule();
  }

  logMetrics(metrics: Record<string, number>, step = 0): void {
    this.checkOpen();
    const timestamp = Date.now();
    const points = Object.entries(metrics).map(([key, value]): Metric => ({ key, value, timestamp, step }));
    for (const p of points) validateMetric(p, ENDPOINT);
    this.metrics.push(...points);
    if (this.metrics.length >= MAX_METRICS_PER_BATCH) this.schedule();
  }

  setTags(tags: Record<string, string>): void {
    this.checkOpen();
    const accepted: [string, string][] = [];
    for (const [key, value] of Object.entries(tags)) {
      validateKey("tag", key, ENDPOINT);
      accepted.push([key, limitValue("tag", key, String(value), { truncate: this.ctx.truncateLongValues, endpoint: ENDPOINT, warn: this.ctx.warn })]);
    }
    for (const [key, value] of accepted) this.tags.set(key, value);
    if (this.tags.size >= MAX_PARAMS_TAGS_PER_BATCH) this.schedule();
  }

  /**
   * Queues a send of the buffer; sends run one at a time, in order. Server failures are handled inside
   * sendBuffered; anything else (e.g. the unsent file cannot be written) is kept for flush()/end() to throw,
   * so a background send never becomes an unhandled rejection.
   */
  private schedule(): Promise<void> {
    this.chain = this.chain
      .then(() => this.sendBuffered())
      .catch((error: unknown) => {
        this.pendingError ??=
          error instanceof TrackingError
            ? error
            : new TrackingError(`Logging run ${this.current.runId} failed: ${messageOf(error)}`, { endpoint: ENDPOINT, cause: error });
      });
    return this.chain;
  }

  private unsentLog(): UnsentLog {
    this.unsent ??= new UnsentLog(join(this.ctx.cwd, "mlruns"), this.current.runId, this.store.description);
    return this.unsent;
  }

  /** Records a failure: what could not be sent goes to the unsent file; the first unreachable error turns the run offline. */
  private recordFailure(error: unknown, save: (log: UnsentLog) => void): void {
    const trackingError =
      error instanceof TrackingError
        ? error
        : new TrackingError(`Logging run ${this.current.runId} to ${this.store.description} failed: ${messageOf(error)}`, { endpoint: ENDPOINT, cause: error });
    const log = this.unsentLog();
    save(log);
    log.reason(trackingError.message);
    log.write();
    if (trackingError.transient) {
      if (!this.ctx.offline) {
        this.ctx.offline = true;
        this.ctx.warn(
          `${trackingError.message} Logging of run ${this.current.runId} continues offline: what is not sent ` +
            `(so far ${describeCounts(log.counts())}) is saved in ${log.path}.`,
        );
      }
    } else {
      this.ctx.warn(`${trackingError.message} The data of that request (${describeCounts(log.counts())} so far) is saved in ${log.path}.`);
    }
    this.firstFailure ??= trackingError;
    if (this.ctx.requireServer) this.pendingError ??= trackingError;
  }

  /** Offline (the server was unreachable): straight to the unsent file; with MLFLOW_REQUIRE_SERVER=1 that is an error. */
  private saveOffline(save: (log: UnsentLog) => void): void {
    const log = this.unsentLog();
    save(log);
    log.write();
    if (this.ctx.requireServer) {
      this.pendingError ??= new TrackingError(
        `${this.store.description} was unreachable, so run ${this.current.runId} data was not sent (MLFLOW_REQUIRE_SERVER=1); it is saved in ${log.path}.`,
        { endpoint: ENDPOINT, transient: true, ...(this.firstFailure === undefined ? {} : { cause: this.firstFailure }) },
      );
    }
  }

  private async sendBuffered(): Promise<void> {
    if (this.metrics.length === 0 && this.params.size === 0 && this.tags.size === 0) return;
    const metrics = this.metrics;
    const params = Object.fromEntries(this.params);
    const tags = Object.fromEntries(this.tags);
    this.metrics = [];
    this.params = new Map();
    this.tags = new Map();
    if (this.ctx.offline) {
      this.saveOffline((log) => log.add({ metrics, params, tags }));
      return;
    }
    const chunks = splitBatch({ metrics, params, tags }, this.current.runId);
    for (let i = 0; i < chunks.length; i++) {
      const chunk = chunks[i]!;
      const batch = { metrics: chunk.metrics, params: Object.fromEntries(chunk.params), tags: Object.fromEntries(chunk.tags) };
      if (this.ctx.offline) {
        this.saveOffline((log) => log.add(batch));
        continue;
      }
      try {
        await this.store.logBatch(this.current.runId, batch);
      } catch (error) {
        this.recordFailure(error, (log) => log.add(batch));
      }
    }
  }

  async flush(): Promise<void> {
    await this.schedule();
    this.throwPending();
  }

  private throwPending(): void {
    const error = this.pendingError;
    if (error !== undefined) {
      this.pendingError = undefined;
      throw error;
    }
  }

  async logArtifact(localPath: string, artifactPath?: string): Promise<void> {
    validateArtifactPath(artifactPath, ENDPOINT);
    if (this.ctx.offline) {
      this.saveOffline((log) => log.addArtifact(localPath, artifactPath));
      this.throwPending();
      return;
    }
    try {
      await this.store.logArtifact(this.current.runId, localPath, artifactPath);
    } catch (error) {
      // Not transient (bad path, an artifact location we cannot write): a usage or setup error, thrown.
      if (!(error instanceof TrackingError) || !error.transient) throw error;
      this.recordFailure(error, (log) => log.addArtifact(localPath, artifactPath));
      this.throwPending();
    }
  }

  async end(status: RunStatus = "FINISHED"): Promise<void> {
    validateStatus(status, ENDPOINT);
    if (this.ended) return;
    await this.schedule();
    this.ended = true;
    const endTime = Date.now();
    if (this.ctx.offline) {
      this.saveOffline((log) => log.setStatus(status, endTime));
    } else {
      try {
        await this.store.updateRun(this.current.runId, status, endTime);
      } catch (error) {
        this.recordFailure(error, (log) => log.setStatus(status, endTime));
      }
    }
    this.current = { ...this.current, status, endTime };
    if (this.unsent !== undefined) {
      this.ctx.warn(
        `Run ${this.current.runId}: ${describeCounts(this.unsent.counts())} could not be sent to ${this.store.description}; ` +
          `saved in ${this.unsent.path}. Nothing is lost: send it later with replayUnsent('${this.unsent.path}').`,
      );
    }
    this.throwPending();
  }
}

function systemTags(env: NodeJS.ProcessEnv, cwd: string): Record<string, string> {
  const tags: Record<string, string> = {
    "mlflow.user": currentUser(env),
    "mlflow.source.type": "LOCAL",
  };
  const script = process.argv[1];
  if (script !== undefined) tags["mlflow.source.name"] = script;
  const commit = readGitCommit(cwd);
  if (commit !== undefined) tags["mlflow.source.git.commit"] = commit;
  return tags;
}

function contextOf(options: RunOptions, offline: boolean): RunContext {
  const cfg = readTrackingEnv(options.env ?? process.env);
  return {
    cwd: options.cwd ?? process.cwd(),
    warn: options.warn ?? defaultWarn,
    requireServer: cfg.requireServer,
    truncateLongValues: cfg.truncateLongValues,
    offline,
  };
}

function storeOf(options: RunOptions): TrackingStore {
  return storeFromEnv(options.env ?? process.env, {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    ...(options.warn === undefined ? {} : { warn: options.warn }),
  });
}

function canFallBack(store: TrackingStore, error: unknown, requireServer: boolean): error is TrackingError {
  return store instanceof RestStore && error instanceof TrackingError && error.transient && !requireServer;
}

/**
 * Starts a run (or, when MLFLOW_RUN_ID is set, resumes that run, as MLflow does). Experiment:
 * `experimentName` ?? MLFLOW_EXPERIMENT_NAME ?? MLFLOW_EXPERIMENT_ID ?? "Default". Tags set: mlflow.runName,
 * mlflow.user, mlflow.source.name (the script), mlflow.source.type (LOCAL), mlflow.source.git.commit (when
 * in a git work tree), then the caller's tags (which win, e.g. mlflow.source.type NOTEBOOK).
 */
export async function startRun(options: StartRunOptions = {}): Promise<ActiveRun> {
  const env = options.env ?? process.env;
  const cfg = readTrackingEnv(env);
  if (cfg.runId !== undefined) {
    const run = await resumeRun(cfg.runId, options);
    // The caller's tags are set on the resumed run (as MLflow does); its name stays the one it was created with.
    const tags = Object.fromEntries(Object.entries(options.tags ?? {}).filter(([key]) => key !== "mlflow.runName"));
    if (Object.keys(tags).length > 0) run.setTags(tags);
    return run;
  }
  const ctx = contextOf(options, false);
  const runName = options.runName ?? options.tags?.["mlflow.runName"] ?? randomRunName();
  const tags = { ...systemTags(env, ctx.cwd), ...(options.tags ?? {}), "mlflow.runName": runName };
  const create = async (store: TrackingStore, useEnvExperimentId: boolean): Promise<ActiveRun> => {
    const experimentId =
      options.experimentName === undefined && cfg.experimentName === undefined && cfg.experimentId !== undefined && useEnvExperimentId
        ? cfg.experimentId
        : await store.getOrCreateExperiment(options.experimentName ?? cfg.experimentName ?? "Default");
    const info = await store.createRun(experimentId, { runName, startTime: Date.now(), tags });
    return new ActiveRunImpl(store, info, ctx);
  };
  const store = storeOf(options);
  try {
    return await create(store, true);
  } catch (error) {
    if (!canFallBack(store, error, cfg.requireServer)) throw error;
    const local = new FileStore(join(ctx.cwd, "mlruns"), { truncateLongValues: cfg.truncateLongValues, warn: ctx.warn, env });
    ctx.warn(
      `${error.message} Logging this run to the local file store ${local.root} instead ` +
        `(view it with 'mlflow ui --backend-store-uri ${local.root}'; set MLFLOW_REQUIRE_SERVER=1 to fail instead).`,
    );
    return create(local, false);
  }
}

/**
 * Continues logging into an existing run (MLflow's start_run(run_id=...)): a finished run is set back to
 * RUNNING. If the server cannot be reached, the returned run logs offline to the unsent file.
 */
export async function resumeRun(runId: string, options: RunOptions = {}): Promise<ActiveRun> {
  const ctx = contextOf(options, false);
  const store = storeOf(options);
  const offline = (error: TrackingError): ActiveRun => {
    ctx.warn(`${error.message} Run ${runId} is logged offline: its data is saved under ${join(ctx.cwd, "mlruns")} (.unsent-${runId}-*.json) for replayUnsent.`);
    ctx.offline = true;
    const info: RunInfo = { runId, experimentId: "", runName: "", status: "RUNNING", startTime: 0, artifactUri: "", lifecycleStage: "active", userId: "" };
    return new ActiveRunImpl(store, info, ctx);
  };
  let info: RunInfo;
  try {
    info = (await store.getRun(runId)).info;
  } catch (error) {
    if (canFallBack(store, error, ctx.requireServer)) return offline(error);
    throw error;
  }
  if (info.lifecycleStage !== "active") {
    throw new TrackingError(`Run ${runId} is ${info.lifecycleStage}; restore it before logging to it.`, {
      endpoint: ENDPOINT,
      errorCode: ErrorCodes.INVALID_STATE,
    });
  }
  if (info.status !== "RUNNING") {
    try {
      await store.updateRun(runId, "RUNNING", info.endTime);
      info = { ...info, status: "RUNNING" };
    } catch (error) {
      if (canFallBack(store, error, ctx.requireServer)) return offline(error);
      throw error;
    }
  }
  return new ActiveRunImpl(store, info, ctx);
}
