/**
 * HTTP for the MLflow REST API on global fetch, with MLflow's client behaviour (mlflow/utils/rest_utils.py,
 * request_utils.py on urllib3's Retry):
 * - retried: network errors, timeouts and statuses 408, 429, 500, 502, 503, 504, up to `maxRetries` times;
 *   never any other 4xx;
 * - wait before retry n (n = failures so far): 0 for the first, then `backoffFactor * 2^(n-1)` plus
 *   `random() * backoffJitter` seconds, at most 120 s; a `Retry-After` header on 429/503 is honoured
 *   instead (capped at the same 120 s);
 * - each attempt limited to `timeoutMs` (AbortSignal.timeout);
 * - `Authorization: Bearer <token>` or `Basic base64(user:password)`;
 * - error bodies `{"error_code", "message"}` become TrackingError(status, errorCode); other error bodies get
 *   MLflow's status-derived code.
 * Nothing here logs; messages name the server without credentials and are redacted.
 */
import { TrackingError, errorCodeForStatus, messageOf } from "./errors.js";
import { redact } from "./secrets.js";
import type { SleepFn } from "./types.js";

export const RETRY_STATUS_CODES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);
/** urllib3's Retry.RETRY_AFTER_STATUS_CODES (413 is not retried at all here, as in MLflow). */
const RETRY_AFTER_STATUS_CODES: ReadonlySet<number> = new Set([413, 429, 503]);
/** urllib3's Retry.DEFAULT_BACKOFF_MAX, seconds. */
const BACKOFF_MAX_SECONDS = 120;

export type RestAuth = { kind: "bearer"; token: string } | { kind: "basic"; username: string; password: string };

export interface RetryPolicy {
  maxRetries: number;
  backoffFactor: number;
  backoffJitter: number;
  timeoutMs: number;
  respectRetryAfter: boolean;
}

export interface RestClientOptions {
  /** Server base URL without credentials, e.g. `https://host:5000` or `https://host/mlflow`. */
  baseUrl: string;
  auth?: RestAuth;
  retry: RetryPolicy;
  /** Strings to redact from any message (token, password, their encodings). */
  secrets?: readonly string[];
  sleep?: SleepFn;
  random?: () => number;
}

export interface RequestOptions {
  query?: Record<string, string | undefined>;
  json?: unknown;
  body?: Uint8Array;
  contentType?: string;
  /** Whether a 2xx answer must be a JSON object (true for /api/2.0 endpoints, as in MLflow). */
  expectJson?: boolean;
  /** Return a 2xx answer's body as `{ bytes }` (an artifact download) instead of parsing it. */
  binary?: boolean;
}

export const defaultSleep: SleepFn = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Seconds to wait from a Retry-After value (delta-seconds or an HTTP date), or undefined. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, (date - now) / 1000);
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error) {
      const code = (cause as { code?: string }).code;
      return code !== undefined && !cause.message.includes(code) ? `${code} ${cause.message}` : cause.message;
    }
    return error.message;
  }
  return String(error);
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
}

export class RestClient {
  readonly baseUrl: string;
  private readonly authHeader: string | undefined;
  private readonly retry: RetryPolicy;
  private readonly secrets: readonly string[];
  private readonly sleep: SleepFn;
  private readonly random: () => number;

  constructor(options: RestClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.retry = options.retry;
    this.secrets = options.secrets ?? [];
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    const auth = options.auth;
    if (auth?.kind === "bearer") this.authHeader = `Bearer ${auth.token}`;
    else if (auth?.kind === "basic") this.authHeader = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
  }

  /** Seconds before retry number `failures` (urllib3 Retry.get_backoff_time). */
  backoffSeconds(failures: number): number {
    if (failures <= 1) return 0;
    const value = this.retry.backoffFactor * 2 ** (failures - 1) + this.random() * this.retry.backoffJitter;
    return Math.max(0, Math.min(BACKOFF_MAX_SECONDS, value));
  }

  private clean(text: string): string {
    return redact(text, this.secrets);
  }

  /** Calls `path` (which starts with `/api/`) and returns the parsed JSON object of a 2xx answer. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<Record<string, unknown>> {
    const url = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const headers: Record<string, string> = { "User-Agent": "retail-intel-tracking", Accept: "application/json" };
    let body: string | ArrayBuffer | undefined;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers["Content-Type"] = "application/json";
    } else if (options.body !== undefined) {
      const bytes = options.body;
      body = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      headers["Content-Type"] = options.contentType ?? "application/octet-stream";
    }
    if (this.authHeader !== undefined) headers.Authorization = this.authHeader;
    const endpoint = path;
    const label = `${method} ${path}`;
    const where = `MLflow server ${this.baseUrl}`;
    const expectJson = options.expectJson ?? true;

    let failures = 0;
    for (;;) {
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers,
          ...(body === undefined ? {} : { body }),
          signal: AbortSignal.timeout(this.retry.timeoutMs),
        });
      } catch (error) {
        failures++;
        if (failures <= this.retry.maxRetries) {
          await this.sleep(this.backoffSeconds(failures) * 1000);
          continue;
        }
        const attempts = `${failures} attempt${failures === 1 ? "" : "s"}`;
        const message = isTimeout(error)
          ? `${where} did not answer ${label} within ${this.retry.timeoutMs / 1000} s (${attempts}). To allow longer, set MLFLOW_HTTP_REQUEST_TIMEOUT (seconds).`
          : `Could not reach ${where} for ${label} (${attempts}): ${describeNetworkError(error)}.`;
        throw new TrackingError(this.clean(message), { endpoint, transient: true, cause: error });
      }

      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await response.arrayBuffer());
      } catch (error) {
        failures++;
        if (failures <= this.retry.maxRetries) {
          await this.sleep(this.backoffSeconds(failures) * 1000);
          continue;
        }
        throw new TrackingError(this.clean(`${where} broke off its answer to ${label}: ${messageOf(error)}.`), {
          endpoint,
          transient: true,
          cause: error,
        });
      }

      if (response.ok && options.binary === true) return { bytes };
      const text = new TextDecoder().decode(bytes);
      if (response.ok) {
        if (text.trim() === "") return {};
        try {
          const parsed: unknown = JSON.parse(text);
          if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
        } catch {
          // fall through
        }
        if (!expectJson) return {};
        throw new TrackingError(
          this.clean(`${where} answered ${label} with a body that is not a JSON object (is ${this.baseUrl} an MLflow tracking server?): '${text.slice(0, 200)}'`),
          { endpoint, status: response.status },
        );
      }

      const status = response.status;
      if (RETRY_STATUS_CODES.has(status) && failures < this.retry.maxRetries) {
        failures++;
        const retryAfter = this.retry.respectRetryAfter && RETRY_AFTER_STATUS_CODES.has(status)
          ? parseRetryAfter(response.headers.get("retry-after"))
          : undefined;
        const seconds = retryAfter !== undefined ? Math.min(retryAfter, BACKOFF_MAX_SECONDS) : this.backoffSeconds(failures);
        await this.sleep(seconds * 1000);
        continue;
      }
      failures++;
      throw this.errorFromResponse(status, text, label, endpoint, failures);
    }
  }

  /** The body of a GET (e.g. an artifact through the proxy), with the same retries and errors as {@link request}. */
  async download(path: string): Promise<Uint8Array> {
    return (await this.request("GET", path, { binary: true })).bytes as Uint8Array;
  }

  private errorFromResponse(status: number, text: string, label: string, endpoint: string, attempts: number): TrackingError {
    let errorCode: string | undefined;
    let serverMessage: string | undefined;
    try {
      const parsed = JSON.parse(text) as { error_code?: unknown; message?: unknown };
      if (typeof parsed === "object" && parsed !== null) {
        if (typeof parsed.error_code === "string") errorCode = parsed.error_code;
        if (typeof parsed.message === "string") serverMessage = parsed.message;
      }
    } catch {
      // not JSON
    }
    errorCode ??= errorCodeForStatus(status);
    const transient = RETRY_STATUS_CODES.has(status);
    const detail = serverMessage ?? (text.trim() === "" ? "(empty body)" : `'${text.trim().slice(0, 300)}'`);
    const hint =
      status === 401 || status === 403
        ? " Check MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD."
        : transient && attempts > 1
          ? ` (after ${attempts} attempts)`
          : "";
    const message = `MLflow server ${this.baseUrl} answered ${status} ${errorCode} to ${label}: ${detail}${hint}`;
    return new TrackingError(this.clean(message), { status, errorCode, endpoint, transient });
  }
}
