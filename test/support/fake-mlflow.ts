/**
 * An in-test MLflow tracking server (node:http on 127.0.0.1, random port) that implements the documented
 * request/response shapes of the REST endpoints retail-intel calls, with its state in memory.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: Buffer;
  json: Record<string, unknown> | undefined;
}

interface StoredRun {
  info: Record<string, unknown>;
  metrics: { key: string; value: number; timestamp: number; step: number }[];
  params: Map<string, string>;
  tags: Map<string, string>;
}

interface FakeModelVersion {
  version: string;
  source: string;
  runId: string;
  tags: Map<string, string>;
}

/** Answers a request itself (returns true) before the normal handlers see it. */
export type Interceptor = (req: RecordedRequest, res: ServerResponse) => boolean;

const num = (v: unknown): number =>
  v === "NaN" ? NaN : v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : Number(v);
const jsonNum = (v: number): number | string => (Number.isNaN(v) ? "NaN" : v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : v);

export class FakeMlflow {
  server: Server;
  port = 0;
  requests: RecordedRequest[] = [];
  interceptors: Interceptor[] = [];
  experiments = new Map<string, { name: string; artifact_location: string; lifecycle_stage: string }>();
  runs = new Map<string, StoredRun>();
  models = new Map<string, { description: string; tags: Map<string, string>; aliases: Map<string, string>; versions: FakeModelVersion[] }>();
  artifacts = new Map<string, { body: Buffer; contentType: string | undefined }>();
  /** The server caps max_results at this page size (to exercise page tokens). */
  pageSize = 1000;
  /** Older servers send int64 fields as JSON strings. */
  int64AsString = false;
  private nextExperiment = 1;
  private nextRun = 1;

  constructor() {
    this.experiments.set("0", { name: "Default", artifact_location: "mlflow-artifacts:/0", lifecycle_stage: "active" });
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => this.handle(req, Buffer.concat(chunks), res));
    });
  }

  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(port, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  calls(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  private int(v: number): number | string {
    return this.int64AsString ? String(v) : v;
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify(body));
  }

  private error(res: ServerResponse, status: number, errorCode: string, message: string): void {
    this.send(res, status, { error_code: errorCode, message });
  }

  private runJson(run: StoredRun): unknown {
    const latest = new Map<string, StoredRun["metrics"][number]>();
    for (const m of run.metrics) {
      const cur = latest.get(m.key);
      if (!cur || m.step > cur.step || (m.step === cur.step && m.timestamp >= cur.timestamp)) latest.set(m.key, m);
    }
    const info: Record<string, unknown> = { ...run.info, start_time: this.int(run.info.start_time as number) };
    if (run.info.end_time !== undefined) info.end_time = this.int(run.info.end_time as number);
    return {
      info,
      data: {
        metrics: [...latest.values()].map((m) => ({ key: m.key, value: jsonNum(m.value), timestamp: this.int(m.timestamp), step: this.int(m.step) })),
        params: [...run.params].map(([key, value]) => ({ key, value })),
        tags: [...run.tags].map(([key, value]) => ({ key, value })),
      },
    };
  }

  /** The model registry endpoints, with MLflow 2.11's answers (checked against the real server by test/mlflow-contract.test.ts). */
  private registry(rec: RecordedRequest, b: Record<string, unknown>, res: ServerResponse): boolean {
    const api = "/api/2.0/mlflow";
    const route = `${rec.method} ${rec.path}`;
    const q = (k: string): string => rec.query.get(k) ?? "";
    const kv = (tags: Map<string, string>) => [...tags].map(([key, value]) => ({ key, value }));
    const versionJson = (name: string, v: FakeModelVersion, withAliases: boolean) => {
      const aliases = [...(this.models.get(name)?.aliases ?? new Map<string, string>())].filter(([, ver]) => ver === v.version).map(([a]) => a);
      return {
        name, version: v.version, creation_timestamp: 1, last_updated_timestamp: 1, current_stage: "None", description: "", source: v.source, run_id: v.runId, status: "READY", run_link: "",
        ...(v.tags.size > 0 ? { tags: kv(v.tags) } : {}),
        ...(withAliases && aliases.length > 0 ? { aliases } : {}),
      };
    };
    const model = (name: string) => this.models.get(name);
    const missingModel = () => this.error(res, 404, "RESOURCE_DOES_NOT_EXIST", `Registered Model with name=${String(b.name ?? q("name"))} not found`);
    switch (route) {
      case `POST ${api}/registered-models/create`: {
        const name = String(b.name);
        if (this.models.has(name)) return this.error(res, 400, "RESOURCE_ALREADY_EXISTS", `Registered Model (name=${name}) already exists.`), true;
        const tags = new Map(((b.tags as { key: string; value: string }[] | undefined) ?? []).map((t) => [t.key, t.value]));
        this.models.set(name, { description: String(b.description ?? ""), tags, aliases: new Map(), versions: [] });
        return this.send(res, 200, { registered_model: { name, creation_timestamp: 1, last_updated_timestamp: 1, description: String(b.description ?? ""), ...(tags.size ? { tags: kv(tags) } : {}) } }), true;
      }
      case `GET ${api}/registered-models/get`: {
        const m = model(q("name"));
        if (!m) return missingModel(), true;
        const latest = m.versions.at(-1);
        return this.send(res, 200, {
          registered_model: {
            name: q("name"), creation_timestamp: 1, last_updated_timestamp: 1, description: m.description,
            ...(latest ? { latest_versions: [versionJson(q("name"), latest, false)] } : {}),
            ...(m.tags.size ? { tags: kv(m.tags) } : {}),
            ...(m.aliases.size ? { aliases: [...m.aliases].map(([alias, version]) => ({ alias, version })) } : {}),
          },
        }), true;
      }
      case `POST ${api}/model-versions/create`: {
        const name = String(b.name);
        const m = model(name);
        if (!m) return missingModel(), true;
        const v: FakeModelVersion = { version: String(m.versions.length + 1), source: String(b.source), runId: String(b.run_id ?? ""), tags: new Map(((b.tags as { key: string; value: string }[] | undefined) ?? []).map((t) => [t.key, t.value])) };
        m.versions.push(v);
        return this.send(res, 200, { model_version: versionJson(name, v, false) }), true;
      }
      case `GET ${api}/model-versions/get`: {
        const m = model(q("name"));
        const v = m?.versions.find((x) => x.version === q("version"));
        if (!m || !v) return this.error(res, 404, "RESOURCE_DOES_NOT_EXIST", `Model Version (name=${q("name")}, version=${q("version")}) not found`), true;
        return this.send(res, 200, { model_version: versionJson(q("name"), v, false) }), true;
      }
      case `POST ${api}/model-versions/set-tag`: {
        const v = model(String(b.name))?.versions.find((x) => x.version === String(b.version));
        if (!v) return this.error(res, 404, "RESOURCE_DOES_NOT_EXIST", "Model Version not found"), true;
        v.tags.set(String(b.key), String(b.value));
        return this.send(res, 200, {}), true;
      }
      case `POST ${api}/registered-models/alias`: {
        const m = model(String(b.name));
        if (!m) return missingModel(), true;
        if (!m.versions.some((x) => x.version === String(b.version))) return this.error(res, 404, "RESOURCE_DOES_NOT_EXIST", "Model Version not found"), true;
        m.aliases.set(String(b.alias), String(b.version));
        return this.send(res, 200, {}), true;
      }
      case `DELETE ${api}/registered-models/alias`: {
        const m = model(String(b.name));
        if (!m) return missingModel(), true;
        m.aliases.delete(String(b.alias));
        return this.send(res, 200, {}), true;
      }
      case `GET ${api}/registered-models/alias`: {
        const m = model(q("name"));
        if (!m) return missingModel(), true;
        const version = m.aliases.get(q("alias"));
        // MLflow 2.11 answers a missing alias with 400 INVALID_PARAMETER_VALUE, not a 404
        if (version === undefined) return this.error(res, 400, "INVALID_PARAMETER_VALUE", `Registered model alias ${q("alias")} not found.`), true;
        return this.send(res, 200, { model_version: versionJson(q("name"), m.versions.find((x) => x.version === version)!, true) }), true;
      }
      default:
        return false;
    }
  }

  private handle(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", this.url);
    let json: Record<string, unknown> | undefined;
    if ((req.headers["content-type"] ?? "").startsWith("application/json") && body.length > 0) json = JSON.parse(body.toString("utf8"));
    const rec: RecordedRequest = { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers: req.headers, body, json };
    this.requests.push(rec);
    for (const intercept of this.interceptors) if (intercept(rec, res)) return;
    const api = "/api/2.0/mlflow";
    const b = json ?? {};
    const route = `${rec.method} ${rec.path}`;

    if (rec.path.startsWith("/api/2.0/mlflow-artifacts/artifacts")) {
      const path = decodeURIComponent(rec.path.slice("/api/2.0/mlflow-artifacts/artifacts".length).replace(/^\//, ""));
      if (rec.method === "PUT") {
        this.artifacts.set(path, { body, contentType: req.headers["content-type"] });
        return this.send(res, 200, {});
      }
      const file = this.artifacts.get(path);
      if (file !== undefined) {
        res.writeHead(200, { "Content-Type": file.contentType ?? "application/octet-stream" });
        return void res.end(file.body);
      }
      const dir = (rec.query.get("path") ?? "").replace(/\/$/, "");
      const children = new Map<string, { is_dir: boolean; file_size?: number }>();
      for (const [p, a] of this.artifacts) {
        if (!p.startsWith(`${dir}/`)) continue;
        const rest = p.slice(dir.length + 1).split("/");
        children.set(rest[0]!, rest.length > 1 ? { is_dir: true } : { is_dir: false, file_size: a.body.length });
      }
      return this.send(res, 200, { files: [...children].map(([path, f]) => ({ path, ...f })) });
    }

    switch (route) {
      case `GET ${api}/experiments/get-by-name`: {
        const name = rec.query.get("experiment_name");
        for (const [id, e] of this.experiments) {
          if (e.name === name) return this.send(res, 200, { experiment: { experiment_id: id, ...e, creation_time: this.int(1), last_update_time: this.int(1) } });
        }
        return this.error(res, 404, "RESOURCE_DOES_NOT_EXIST", `Could not find experiment with name '${name}'`);
      }
      case `POST ${api}/experiments/create`: {
        const name = String(b.name ?? "");
        if ([...this.experiments.values()].some((e) => e.name === name)) return this.error(res, 400, "RESOURCE_ALREADY_EXISTS", `Experiment '${name}' already exists.`);
        const id = String(this.nextExperiment++);
        this.experiments.set(id, { name, artifact_location: `mlflow-artifacts:/${id}`, lifecycle_stage: "active" });
        return this.send(res, 200, { experiment_id: id });
      }
      case `POST ${api}/runs/create`: {
        const experimentId = String(b.experiment_id);
        const experiment = this.experiments.get(experimentId);
        if (!experiment) return this.error(res, 404, "RESOURCE_DOES_NOT_EXIST", `No experiment ${experimentId}`);
        const runId = `${String(this.nextRun++).padStart(4, "0")}${"a".repeat(28)}`;
        const tags = new Map<string, string>((b.tags as { key: string; value: string }[] | undefined)?.map((t) => [t.key, t.value]) ?? []);
        const runName = String(b.run_name ?? tags.get("mlflow.runName") ?? "fake-run");
        tags.set("mlflow.runName", runName);
        const run: StoredRun = {
          info: {
            run_id: runId, run_uuid: runId, run_name: runName, experiment_id: experimentId, user_id: String(b.user_id ?? ""),
            status: "RUNNING", start_time: Number(b.start_time), artifact_uri: `${experiment.artifact_location}/${runId}/artifacts`, lifecycle_stage: "active",
          },
          metrics: [], params: new Map(), tags,
        };
        this.runs.set(runId, run);
        return this.send(res, 200, { run: this.runJson(run) });
      }
      case `POST ${api}/runs/log-batch`: {
        const run = this.runs.get(String(b.run_id));
        if (!run) return this.error(res, 404, "RESOURCE_DOES_NOT_EXIST", `Run '${String(b.run_id)}' not found`);
        const metrics = (b.metrics as Record<string, unknown>[] | undefined) ?? [];
        const params = (b.params as { key: string; value: string }[] | undefined) ?? [];
        const tags = (b.tags as { key: string; value: string }[] | undefined) ?? [];
        // validation.py _validate_batch_log_limits and the 1 MB body limit
        if (metrics.length > 1000 || params.length > 100 || tags.length > 100 || metrics.length + params.length + tags.length > 1000 || body.length > 1_000_000) {
          return this.error(res, 400, "INVALID_PARAMETER_VALUE", "A batch logging request exceeds MLflow's limits");
        }
        for (const p of params) {
          const old = run.params.get(p.key);
          if (old !== undefined && old !== p.value) return this.error(res, 400, "INVALID_PARAMETER_VALUE", `Changing param values is not allowed. Param with key='${p.key}'`);
        }
        for (const p of params) run.params.set(p.key, p.value);
        for (const m of metrics) run.metrics.push({ key: String(m.key), value: num(m.value), timestamp: num(m.timestamp), step: num(m.step ?? 0) });
        for (const t of tags) run.tags.set(t.key, t.value);
        return this.send(res, 200, {});
      }
      case `POST ${api}/runs/set-tag`: {
        const run = this.runs.get(String(b.run_id));
        if (!run) return this.error(res, 404, "RESOURCE_DOES_NOT_EXIST", "no run");
        run.tags.set(String(b.key), String(b.value));
        return this.send(res, 200, {});
      }
      case `POST ${api}/runs/update`: {
        const run = this.runs.get(String(b.run_id));
        if (!run) return this.error(res, 404, "RESOURCE_DOES_NOT_EXIST", "no run");
        run.info.status = b.status;
        if (b.end_time !== undefined) run.info.end_time = Number(b.end_time);
        return this.send(res, 200, { run_info: run.info });
      }
      case `GET ${api}/runs/get`: {
        const run = this.runs.get(rec.query.get("run_id") ?? "");
        if (!run) return this.error(res, 404, "RESOURCE_DOES_NOT_EXIST", `Run '${rec.query.get("run_id")}' not found`);
        return this.send(res, 200, { run: this.runJson(run) });
      }
      case `POST ${api}/runs/search`: {
        const ids = (b.experiment_ids as string[]).map(String);
        const all = [...this.runs.values()].filter((r) => ids.includes(String(r.info.experiment_id)));
        const offset = b.page_token ? Number(Buffer.from(String(b.page_token), "base64").toString()) : 0;
        const size = Math.min(Number(b.max_results ?? 1000), this.pageSize);
        const page = all.slice(offset, offset + size);
        const next = offset + size < all.length ? Buffer.from(String(offset + size)).toString("base64") : undefined;
        return this.send(res, 200, { runs: page.map((r) => this.runJson(r)), ...(next ? { next_page_token: next } : {}) });
      }
      case `GET ${api}/metrics/get-history`: {
        const run = this.runs.get(rec.query.get("run_id") ?? "");
        if (!run) return this.error(res, 404, "RESOURCE_DOES_NOT_EXIST", `Run '${rec.query.get("run_id")}' not found`);
        const key = rec.query.get("metric_key");
        return this.send(res, 200, { metrics: run.metrics.filter((m) => m.key === key).map((m) => ({ ...m, value: jsonNum(m.value) })) });
      }
      default:
        if (this.registry(rec, b, res)) return;
        res.writeHead(404, { "Content-Type": "text/html" });
        res.end("<html>Not Found</html>");
    }
  }
}

