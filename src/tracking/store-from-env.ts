/**
 * Picks the backend the way MLflow does from MLFLOW_TRACKING_URI:
 * - `http://` / `https://` -> the REST store (auth from MLFLOW_TRACKING_TOKEN -> Bearer, else
 *   MLFLOW_TRACKING_USERNAME + MLFLOW_TRACKING_PASSWORD -> Basic; user-info in the URI is used as Basic
 *   credentials too and never shown);
 * - unset -> the file store in MLFLOW_TRACKING_DIR or `<cwd>/mlruns`;
 * - a `file:` URI or a plain path -> the file store there (relative to cwd);
 * - anything else (sqlite:, postgresql:, databricks, ...) -> a TrackingError saying what to use instead.
 */
import { join, resolve } from "node:path";
import { readTrackingEnv } from "./env.js";
import { ErrorCodes, TrackingError } from "./errors.js";
import { FileStore, localPathOfUri } from "./file-store.js";
import type { RestAuth } from "./rest-client.js";
import { RestStore } from "./rest-store.js";
import { displayUri, secretsOf } from "./secrets.js";
import type { SleepFn, TrackingStore, WarnFn } from "./types.js";

export interface StoreOptions {
  cwd?: string;
  /** Test hook: the sleep between retries. */
  sleep?: SleepFn;
  /** Where warnings go; stderr by default. */
  warn?: WarnFn;
}

export const defaultWarn: WarnFn = (message) => {
  process.stderr.write(`[tracking] warning: ${message}\n`);
};

const warnedInsecureTls = new WeakSet<WarnFn>();

export function storeFromEnv(env: NodeJS.ProcessEnv = process.env, options: StoreOptions = {}): TrackingStore {
  const cfg = readTrackingEnv(env);
  const cwd = options.cwd ?? process.cwd();
  const warn = options.warn ?? defaultWarn;
  const fileOptions = { truncateLongValues: cfg.truncateLongValues, warn, env };
  const uri = cfg.trackingUri;
  if (uri === undefined) return new FileStore(cfg.trackingDir !== undefined ? resolve(cwd, cfg.trackingDir) : join(cwd, "mlruns"), fileOptions);

  if (/^https?:\/\//i.test(uri)) {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      throw new TrackingError(`MLFLOW_TRACKING_URI is not a valid URL: '${displayUri(uri)}'.`, {
        endpoint: "environment",
        errorCode: ErrorCodes.INVALID_PARAMETER_VALUE,
      });
    }
    const username = cfg.username ?? (url.username !== "" ? decodeURIComponent(url.username) : undefined);
    const password = cfg.password ?? (url.password !== "" ? decodeURIComponent(url.password) : undefined);
    let auth: RestAuth | undefined;
    if (cfg.token !== undefined) auth = { kind: "bearer", token: cfg.token };
    else if (username !== undefined && password !== undefined) auth = { kind: "basic", username, password };
    if (cfg.insecureTls && !warnedInsecureTls.has(warn)) {
      warnedInsecureTls.add(warn);
      warn(
        "MLFLOW_TRACKING_INSECURE_TLS is ignored by this client (Node's fetch verifies certificates). " +
          "Point NODE_EXTRA_CA_CERTS at the server's CA certificate instead.",
      );
    }
    const secrets = secretsOf({
      ...(cfg.token === undefined ? {} : { token: cfg.token }),
      ...(username === undefined ? {} : { username }),
      ...(password === undefined ? {} : { password }),
    });
    return new RestStore({
      baseUrl: displayUri(uri),
      ...(auth === undefined ? {} : { auth }),
      retry: {
        maxRetries: cfg.maxRetries,
        backoffFactor: cfg.backoffFactor,
        backoffJitter: cfg.backoffJitter,
        timeoutMs: cfg.timeoutSeconds * 1000,
        respectRetryAfter: cfg.respectRetryAfter,
      },
      secrets,
      ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
      truncateLongValues: cfg.truncateLongValues,
      warn,
      uriHasCredentials: url.username !== "" || url.password !== "" || url.search !== "",
    });
  }

  const local = localPathOfUri(uri, cwd);
  if (local === undefined) {
    const scheme = uri.slice(0, uri.indexOf(":"));
    throw new TrackingError(
      `MLFLOW_TRACKING_URI with scheme '${scheme}' is not supported here: use the URL of an MLflow tracking server ` +
        `(http:// or https://, e.g. one started with 'mlflow server --backend-store-uri ${scheme}:...'), or a local path / file: URI.`,
      { endpoint: "environment", errorCode: ErrorCodes.INVALID_PARAMETER_VALUE },
    );
  }
  return new FileStore(local, fileOptions);
}
