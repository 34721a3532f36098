/**
 * TrackingStore on an MLflow tracking server's REST API (https://mlflow.org/docs/latest/rest-api.html).
 * Endpoints used: experiments/get-by-name, experiments/create, runs/create, runs/log-batch, runs/set-tag,
 * runs/update, runs/get, runs/search, artifacts/list, and the artifact proxy
 * (PUT/GET /api/2.0/mlflow-artifacts/artifacts/...).
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import {
  ARTIFACT_PROXY_PREFIX,
  encodePath,
  guessMimeType,
  httpArtifactLocation,
  localArtifactFiles,
  parseRunsUri,
  type HttpArtifactLocation,
} from "./artifacts.js";
import { ErrorCodes, TrackingError } from "./errors.js";
import type { ModelRegistry } from "./registry.js";
import { RestRegistry } from "./rest-registry.js";
import { RestClient, type RestClientOptions } from "./rest-client.js";
import { parseExperiment, parseRun, toJsonMetric, toKeyValues } from "./rest-json.js";
import { fromJsonNumber } from "./python-float.js";
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
  splitBatch,
  validateArtifactPath,
  validateExperimentName,
  validateKey,
  validateMetric,
  validateRunId,
  validateStatus,
} from "./validation.js";

const API = "/api/2.0/mlflow";
/** SEARCH_MAX_RESULTS_DEFAULT: the page size asked for when following page tokens. */
const SEARCH_PAGE_SIZE = 1000;

export interface RestStoreOptions extends RestClientOptions {
  truncateLongValues?: boolean;
  warn?: WarnFn;
  /** The configured URI had credentials in its user-info part (then `location` is left undefined). */
  uriHasCredentials?: boolean;
}

export class RestStore implements TrackingStore {
  readonly description: string;
  readonly location?: string;
  readonly client: RestClient;
  readonly registry: ModelRegistry;
  private readonly options: RestStoreOptions;
  private readonly artifactUris = new Map<string, string>();

  constructor(options: RestStoreOptions) {
    this.options = options;
    this.client = new RestClient(options);
    this.registry = new RestRegistry(this.client);
    this.description = `MLflow server ${this.client.baseUrl} (REST)`;
    if (options.uriHasCredentials !== true) this.location = this.client.baseUrl;
  }

  /** The server's URL without credentials. */
  get uri(): string {
    return this.client.baseUrl;
  }

  async getExperimentByName(name: string): Promise<ExperimentSummary | undefined> {
    const endpoint = `${API}/experiments/get-by-name`;
    validateExperimentName(name, endpoint);
    try {
      const res = await this.client.request("GET", endpoint, { query: { experiment_name: name } });
      return parseExperiment(res.experiment);
    } catch (error) {
      if (error instanceof TrackingError && error.errorCode === ErrorCodes.RESOURCE_DOES_NOT_EXIST) return undefined;
      throw error;
    }
  }

  async createExperiment(name: string, tags?: Record<string, string>): Promise<string> {
    const endpoint = `${API}/experiments/create`;
    validateExperimentName(name, endpoint);
    for (const key of Object.keys(tags ?? {})) validateKey("tag", key, endpoint);
    const body: Record<string, unknown> = { name };
    if (tags !== undefined && Object.keys(tags).length > 0) body.tags = toKeyValues(Object.entries(tags));
    const res = await this.client.request("POST", endpoint, { json: body });
    const id = typeof res.experiment_id === "number" ? String(res.experiment_id) : res.experiment_id;
    if (typeof id !== "string" || id === "") {
      throw new TrackingError(`MLflow server ${this.uri} created experiment '${name}' but returned no experiment_id.`, { endpoint });
    }
    return id;
  }

  async getOrCreateExperiment(name: string): Promise<string> {
    const found = await this.getExperimentByName(name);
    if (found !== undefined) return activeExperimentId(found, this.description);
    try {
      return await this.createExperiment(name);
    } catch (error) {
      // Someone else created it between our get and create: get it again.
      if (error instanceof TrackingError && error.errorCode === ErrorCodes.RESOURCE_ALREADY_EXISTS) {
        const again = await this.getExperimentByName(name);
        if (again !== undefined) return activeExperimentId(again, this.description);
      }
      throw error;
    }
  }

  async createRun(experimentId: string, options: CreateRunOptions): Promise<RunInfo> {
    const endpoint = `${API}/runs/create`;
    const tags = { ...(options.tags ?? {}) };
    if (options.runName !== undefined && tags["mlflow.runName"] === undefined) tags["mlflow.runName"] = options.runName;
    for (const [key, value] of Object.entries(tags)) {
      validateKey("tag", key, endpoint);
      tags[key] = limitValue("tag", key, value, this.limitOptions(endpoint));
    }
    const body: Record<string, unknown> = {
      experiment_id: experimentId,
      start_time: options.startTime ?? Date.now(),
      tags: toKeyValues(Object.entries(tags)),
    };
    if (options.runName !== undefined) body.run_name = options.runName;
    // Deprecated in the API but still sent by MLflow's Python client; older servers read it.
    if (tags["mlflow.user"] !== undefined) body.user_id = tags["mlflow.user"];
    const res = await this.client.request("POST", endpoint, { json: body });
    const run = parseRun(res.run);
    if (run.info.runId === "") throw new TrackingError(`MLflow server ${this.uri} returned no run id from runs/create.`, { endpoint });
    this.artifactUris.set(run.info.runId, run.info.artifactUri);
    return run.info;
  }

  private limitOptions(endpoint: string) {
    const options: { truncate: boolean; endpoint: string; warn?: WarnFn } = { truncate: this.options.truncateLongValues ?? true, endpoint };
    if (this.options.warn !== undefined) options.warn = this.options.warn;
    return options;
  }

  async logBatch(runId: string, batch: LogBatch): Promise<void> {
    const endpoint = `${API}/runs/log-batch`;
    validateRunId(runId, endpoint);
    // Validate everything before the first request, so an invalid key sends nothing.
    for (const metric of batch.metrics ?? []) validateMetric(metric, endpoint);
    const params: Record<string, string> = {};
    for (const [key, value] of Object.entries(batch.params ?? {})) {
      validateKey("param", key, endpoint);
      params[key] = limitValue("param", key, value, this.limitOptions(endpoint));
    }
    const tags: Record<string, string> = {};
    for (const [key, value] of Object.entries(batch.tags ?? {})) {
      validateKey("tag", key, endpoint);
      tags[key] = limitValue("tag", key, value, this.limitOptions(endpoint));
    }
    const chunks = splitBatch({ ...(batch.metrics === undefined ? {} : { metrics: batch.metrics }), params, tags }, runId);
    for (const chunk of chunks) {
      const body: Record<string, unknown> = { run_id: runId };
      if (chunk.metrics.length > 0) body.metrics = chunk.metrics.map(toJsonMetric);
      if (chunk.params.length > 0) body.params = toKeyValues(chunk.params);
      if (chunk.tags.length > 0) body.tags = toKeyValues(chunk.tags);
      await this.client.request("POST", endpoint, { json: body });
    }
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    const endpoint = `${API}/runs/set-tag`;
    validateRunId(runId, endpoint);
    validateKey("tag", key, endpoint);
    const limited = limitValue("tag", key, value, this.limitOptions(endpoint));
    await this.client.request("POST", endpoint, { json: { run_id: runId, key, value: limited } });
  }

  async updateRun(runId: string, status: RunStatus, endTime?: number): Promise<void> {
    const endpoint = `${API}/runs/update`;
    validateRunId(runId, endpoint);
    validateStatus(status, endpoint);
    const body: Record<string, unknown> = { run_id: runId, status };
    if (endTime !== undefined) body.end_time = endTime;
    await this.client.request("POST", endpoint, { json: body });
  }

  async getRun(runId: string): Promise<Run> {
    const endpoint = `${API}/runs/get`;
    validateRunId(runId, endpoint);
    const res = await this.client.request("GET", endpoint, { query: { run_id: runId } });
    const run = parseRun(res.run);
    this.artifactUris.set(runId, run.info.artifactUri);
    return run;
  }

  async searchRuns(experimentIds: string[], options: SearchRunsOptions = {}): Promise<Run[]> {
    const endpoint = `${API}/runs/search`;
    const wanted = options.maxResults ?? Infinity;
    const runs: Run[] = [];
    let pageToken: string | undefined;
    while (runs.length < wanted) {
      const body: Record<string, unknown> = {
        experiment_ids: experimentIds,
        max_results: Math.min(SEARCH_PAGE_SIZE, wanted - runs.length),
      };
      if (options.filter !== undefined && options.filter !== "") body.filter = options.filter;
      if (options.orderBy !== undefined && options.orderBy.length > 0) body.order_by = options.orderBy;
      if (pageToken !== undefined) body.page_token = pageToken;
      const res = await this.client.request("POST", endpoint, { json: body });
      const page = Array.isArray(res.runs) ? res.runs.map(parseRun) : [];
      runs.push(...page);
      pageToken = typeof res.next_page_token === "string" && res.next_page_token !== "" ? res.next_page_token : undefined;
      if (pageToken === undefined || page.length === 0) break;
    }
    return runs.slice(0, wanted);
  }

  private async artifactUriOf(runId: string): Promise<string> {
    const known = this.artifactUris.get(runId);
    if (known !== undefined && known !== "") return known;
    return (await this.getRun(runId)).info.artifactUri;
  }

  /** A client for the server that serves this location (the tracking server itself unless the URI names another host). */
  private clientFor(location: HttpArtifactLocation): RestClient {
    if (location.serverBase === this.client.baseUrl) return this.client;
    return new RestClient({ ...this.options, baseUrl: location.serverBase });
  }

  private unreachable(runId: string, artifactUri: string, endpoint: string): TrackingError {
    return new TrackingError(
      `Cannot upload artifacts of run ${runId}: its artifact location '${artifactUri}' is not served by the MLflow server ${this.uri} ` +
        `(this client uploads only through MLflow's artifact proxy, URIs 'mlflow-artifacts:/...'). ` +
        `Start the server with artifact serving (MLflow >= 2: the default, or 'mlflow server --serve-artifacts --artifacts-destination <uri>') ` +
        `and use an experiment created after that, or log to a local file store (unset MLFLOW_TRACKING_URI).`,
      { endpoint, errorCode: ErrorCodes.INVALID_PARAMETER_VALUE },
    );
  }

  async logArtifact(runId: string, localPath: string, artifactPath?: string): Promise<void> {
    const endpoint = ARTIFACT_PROXY_PREFIX;
    validateRunId(runId, endpoint);
    validateArtifactPath(artifactPath, endpoint);
    const files = localArtifactFiles(localPath, artifactPath, endpoint);
    const artifactUri = await this.artifactUriOf(runId);
    const location = httpArtifactLocation(artifactUri, this.client.baseUrl);
    if (location === undefined) throw this.unreachable(runId, artifactUri, endpoint);
    const client = this.clientFor(location);
    for (const file of files) {
      const target = [location.rootPath, file.artifactDir, file.name].filter((p) => p !== "").join("/");
      await client.request("PUT", `${ARTIFACT_PROXY_PREFIX}/${encodePath(target)}`, {
        body: readFileSync(file.localFile),
        contentType: guessMimeType(file.name),
        expectJson: false,
      });
    }
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    const endpoint = `${API}/metrics/get-history`;
    validateRunId(runId, endpoint);
    const points: Metric[] = [];
    let pageToken: string | undefined;
    do {
      const res = await this.client.request("GET", endpoint, { query: { run_id: runId, metric_key: key, max_results: "25000", page_token: pageToken } });
      for (const m of Array.isArray(res.metrics) ? (res.metrics as Record<string, unknown>[]) : []) {
        points.push({ key, value: fromJsonNumber(m.value), timestamp: fromJsonNumber(m.timestamp), step: m.step === undefined ? 0 : fromJsonNumber(m.step) });
      }
      pageToken = typeof res.next_page_token === "string" && res.next_page_token !== "" ? res.next_page_token : undefined;
    } while (pageToken !== undefined);
    return points;
  }

  async downloadArtifacts(artifactUri: string, destDir: string): Promise<string> {
    const endpoint = ARTIFACT_PROXY_PREFIX;
    const runs = parseRunsUri(artifactUri);
    const uri = runs === undefined ? artifactUri : [(await this.artifactUriOf(runs.runId)).replace(/\/+$/, ""), runs.path].filter((p) => p !== "").join("/");
    const location = httpArtifactLocation(uri, this.client.baseUrl);
    if (location === undefined) {
      throw new TrackingError(
        `Cannot download '${artifactUri}' from ${this.description}: only artifacts served through MLflow's artifact proxy ('mlflow-artifacts:/...') can be downloaded here.`,
        { endpoint, errorCode: ErrorCodes.INVALID_PARAMETER_VALUE },
      );
    }
    const client = this.clientFor(location);
    const files: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      const res = await client.request("GET", ARTIFACT_PROXY_PREFIX, { query: { path: dir } });
      for (const f of Array.isArray(res.files) ? (res.files as { path?: unknown; is_dir?: unknown }[]) : []) {
        const rel = typeof f.path === "string" ? f.path : "";
        if (rel === "") continue;
        const full = dir === "" ? rel : `${dir}/${rel}`;
        if (f.is_dir === true) await walk(full);
        else files.push(full);
      }
    };
    await walk(location.rootPath);
    if (files.length === 0) {
      throw new TrackingError(`No artifacts at '${artifactUri}' on ${this.description}.`, { endpoint, errorCode: ErrorCodes.RESOURCE_DOES_NOT_EXIST });
    }
    const temp = `${destDir}.tmp-${process.pid}-${Date.now()}`;
    rmSync(temp, { recursive: true, force: true });
    try {
      for (const file of files) {
        const local = join(temp, ...file.slice(location.rootPath.length).split("/").filter((p) => p !== ""));
        mkdirSync(dirname(local), { recursive: true });
        writeFileSync(local, await client.download(`${ARTIFACT_PROXY_PREFIX}/${encodePath(file)}`));
      }
      rmSync(destDir, { recursive: true, force: true });
      mkdirSync(dirname(destDir), { recursive: true });
      renameSync(temp, destDir);
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
    return destDir;
  }

  async listArtifacts(runId: string, path?: string): Promise<ArtifactEntry[]> {
    validateRunId(runId, ARTIFACT_PROXY_PREFIX);
    validateArtifactPath(path, ARTIFACT_PROXY_PREFIX);
    const sub = path === undefined || path === "" ? "" : path.replace(/\/+$/, "");
    const artifactUri = await this.artifactUriOf(runId);
    const location = httpArtifactLocation(artifactUri, this.client.baseUrl);
    const entries: ArtifactEntry[] = [];
    if (location !== undefined) {
      const res = await this.clientFor(location).request("GET", ARTIFACT_PROXY_PREFIX, {
        query: { path: [location.rootPath, sub].filter((p) => p !== "").join("/") },
      });
      for (const f of Array.isArray(res.files) ? res.files : []) entries.push(fileEntry(f, sub, true));
    } else {
      // Not proxied: the tracking server lists its artifact store itself (mlflow/artifacts/list).
      let pageToken: string | undefined;
      do {
        const query: Record<string, string | undefined> = { run_id: runId, path: sub === "" ? undefined : sub, page_token: pageToken };
        const res = await this.client.request("GET", `${API}/artifacts/list`, { query });
        for (const f of Array.isArray(res.files) ? res.files : []) entries.push(fileEntry(f, sub, false));
        pageToken = typeof res.next_page_token === "string" && res.next_page_token !== "" ? res.next_page_token : undefined;
      } while (pageToken !== undefined);
    }
    return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

function fileEntry(value: unknown, sub: string, relativeToSub: boolean): ArtifactEntry {
  const f = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  const name = typeof f.path === "string" ? f.path : "";
  const entry: ArtifactEntry = { path: relativeToSub && sub !== "" ? posix.join(sub, name) : name, isDir: f.is_dir === true };
  if (!entry.isDir && f.file_size !== undefined) entry.fileSize = fromJsonNumber(f.file_size);
  return entry;
}

function activeExperimentId(experiment: ExperimentSummary, where: string): string {
  if (experiment.lifecycleStage === "deleted") {
    throw new TrackingError(
      `Experiment '${experiment.name}' (id ${experiment.experimentId}) is deleted in ${where}. Restore it in the MLflow UI, or use another experiment name.`,
      { endpoint: `${API}/experiments/get-by-name`, errorCode: ErrorCodes.INVALID_STATE },
    );
  }
  return experiment.experimentId;
}
