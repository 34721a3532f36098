/**
 * The serving API's routes on Node's `http` (five GET routes with no bodies to parse: a framework would add
 * a dependency and per-request work for nothing we use). Every answer is JSON except /metrics; bad input
 * gets a 4xx with `{"error": {"code", "message"}}`, and a failure inside a handler a 500 of the same shape,
 * so nothing a client sends can bring the server down.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { recommendForUser, recommendForUserWith } from "../recommend/saved-model.js";
import type { LoadedModelInfo, ServeMetrics } from "./metrics.js";
import type { ServedForecast, ServedRecommender, ServedSegments } from "./served-models.js";

export interface ServedModels {
  readonly recommender?: ServedRecommender;
  readonly segments?: ServedSegments;
  readonly forecast?: ServedForecast;
}

/** Largest k a client may ask for. */
export const MAX_K = 100;
/** Olist ids are 32 hex characters; this accepts any id of letters, digits, '-' and '_' up to 64. */
const CUSTOMER_ID = /^[A-Za-z0-9_-]{1,64}$/;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: string, contentType = "application/json"): void {
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body), "Cache-Control": "no-store" });
  res.end(body);
}

const json = (res: ServerResponse, status: number, value: unknown): void => send(res, status, JSON.stringify(value));

function positiveIntegerParam(params: URLSearchParams, name: string, fallback: number, max: number): number {
  const raw = params.get(name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) throw new HttpError(400, "INVALID_PARAMETER", `${name} must be a whole number from 1 to ${max}, got ${JSON.stringify(raw.slice(0, 40))}`);
  return Number(raw);
}

function customerId(raw: string): string {
  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, "MALFORMED_ID", "the customer id is not valid percent-encoding");
  }
  if (!CUSTOMER_ID.test(id)) throw new HttpError(400, "MALFORMED_ID", "a customer id is 1 to 64 letters, digits, '-' or '_'");
  return id;
}

function need<T>(value: T | undefined, what: string, flag: string): T {
  if (value === undefined) throw new HttpError(503, "NOT_LOADED", `no ${what} is loaded: start serve with ${flag}`);
  return value;
}

const modelOf = (info: LoadedModelInfo) => ({ name: info.name, version: info.version });

interface Route {
  readonly template: string;
  readonly pattern: RegExp;
  /** The answer's JSON value, or a promise of it. */
  readonly handle: (match: RegExpExecArray, query: URLSearchParams) => unknown;
}

export function routes(models: ServedModels, metrics: ServeMetrics, started: Date): { routes: Route[]; metricsText: () => Promise<string> } {
  const list: Route[] = [
    {
      template: "/recommendations/{customer_unique_id}",
      pattern: /^\/recommendations\/([^/]+)$/,
      handle: (match, query) => {
        const served = need(models.recommender, "recommendation model", "--model");
        const k = positiveIntegerParam(query, "k", 10, Math.min(MAX_K, served.model.items.productIds.length));
        const id = customerId(match[1]!);
        const lookup = served.userIndex as Map<string, number>;
        const answer = (result: ReturnType<typeof recommendForUser>) => ({ customer: id, coldStart: !result.known, model: modelOf(served.info), items: result.items });
        return served.cosines === undefined ? answer(recommendForUser(served.model, id, k, lookup)) : recommendForUserWith(served.model, id, k, lookup, served.cosines).then(answer);
      },
    },
    {
      template: "/segments/{customer_unique_id}",
      pattern: /^\/segments\/([^/]+)$/,
      handle: (match) => {
        const served = need(models.segments, "segment table", "--segments");
        const id = customerId(match[1]!);
        const record = served.lookup(id);
        if (record === undefined) throw new HttpError(404, "UNKNOWN_CUSTOMER", `customer ${id} is not in the segment table (${served.customers} customers with delivered orders)`);
        return { customer: id, model: modelOf(served.info), ...record };
      },
    },
    {
      template: "/forecast",
      pattern: /^\/forecast$/,
      handle: (_match, query) => {
        const served = need(models.forecast, "forecast", "--forecast");
        const days = positiveIntegerParam(query, "days", Math.min(30, served.points.length), served.points.length);
        return { model: modelOf(served.info), forecaster: served.forecaster, days, points: served.points.slice(0, days) };
      },
    },
    {
      template: "/health",
      pattern: /^\/health$/,
      handle: () => ({
        status: "ok",
        startedAt: started.toISOString(),
        models: Object.fromEntries(
          [models.recommender?.info, models.segments?.info, models.forecast?.info].filter((i): i is LoadedModelInfo => i !== undefined).map((i) => [i.kind, { name: i.name, version: i.version, loadedAt: i.loadedAt }]),
        ),
      }),
    },
  ];
  return { routes: list, metricsText: () => metrics.registry.metrics() };
}

/** The request handler: routes, errors as JSON, and every answer counted and timed in `metrics`. */
export function createHandler(
  models: ServedModels,
  metrics: ServeMetrics,
  options: { started?: Date; log?: (line: string) => void } = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const started = options.started ?? new Date();
  const { routes: list, metricsText } = routes(models, metrics, started);
  const fail = (res: ServerResponse, template: string, error: unknown): number => {
    const status = error instanceof HttpError ? error.status : 500;
    if (!(error instanceof HttpError)) options.log?.(`500 on ${template}: ${error instanceof Error ? error.message : String(error)}`);
    const body = error instanceof HttpError ? { code: error.code, message: error.message } : { code: "INTERNAL", message: "the request failed inside the server" };
    if (!res.headersSent) json(res, status, { error: body });
    else res.destroy();
    return status;
  };
  return (req, res) => {
    const start = process.hrtime.bigint();
    let template = "unmatched";
    const done = (status: number): void => metrics.observe(template, req.method ?? "", status, Number(process.hrtime.bigint() - start) / 1e9);
    try {
      const url = new URL(req.url ?? "/", "http://serve.local");
      if (url.pathname === "/metrics") {
        template = "/metrics";
        if (req.method !== "GET") throw new HttpError(405, "METHOD_NOT_ALLOWED", "only GET is served");
        metricsText().then(
          (text) => {
            send(res, 200, text, metrics.registry.contentType);
            done(200);
          },
          (error: unknown) => done(fail(res, template, error)),
        );
        return;
      }
      for (const route of list) {
        const match = route.pattern.exec(url.pathname);
        if (match === null) continue;
        template = route.template;
        if (req.method !== "GET") throw new HttpError(405, "METHOD_NOT_ALLOWED", "only GET is served");
        const value = route.handle(match, url.searchParams);
        if (value instanceof Promise) {
          value.then(
            (answer: unknown) => {
              json(res, 200, answer);
              done(200);
            },
            (error: unknown) => done(fail(res, template, error)),
          );
        } else {
          json(res, 200, value);
          done(200);
        }
        return;
      }
      throw new HttpError(404, "NOT_FOUND", `no route ${url.pathname.slice(0, 80)}; routes: /recommendations/{id}?k=10, /segments/{id}, /forecast?days=30, /health, /metrics`);
    } catch (error) {
      done(fail(res, template, error));
    }
  };
}
