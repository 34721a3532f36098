/**
 * MLflow's environment variables (mlflow/environment_variables.py), read once into a typed object.
 * Names and defaults are MLflow's; bad values raise a TrackingError naming the variable.
 */
import { userInfo } from "node:os";
import { ErrorCodes, TrackingError } from "./errors.js";

export interface TrackingEnv {
  trackingUri?: string;
  /** MLflow's MLFLOW_TRACKING_DIR: the file store root when MLFLOW_TRACKING_URI is unset. */
  trackingDir?: string;
  experimentName?: string;
  experimentId?: string;
  runId?: string;
  token?: string;
  username?: string;
  password?: string;
  insecureTls: boolean;
  maxRetries: number;
  /** Seconds. */
  backoffFactor: number;
  /** Seconds. */
  backoffJitter: number;
  /** Seconds per request (MLflow takes an int; a fraction is accepted here). */
  timeoutSeconds: number;
  respectRetryAfter: boolean;
  /** MLFLOW_TRUNCATE_LONG_VALUES (default true): truncate over-long param/tag values instead of rejecting. */
  truncateLongValues: boolean;
  /** MLFLOW_REQUIRE_SERVER=1: never fall back to the local store, let flush/end throw. (Ours, not MLflow's.) */
  requireServer: boolean;
}

const ENDPOINT = "environment";

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

function numberVar(env: NodeJS.ProcessEnv, name: string, fallback: number, check: (n: number) => string | undefined): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const value = Number(raw.trim());
  const problem = Number.isFinite(value) ? check(value) : "a number";
  if (problem !== undefined) {
    throw new TrackingError(`${name}=${JSON.stringify(raw)} is invalid: it must be ${problem}.`, {
      endpoint: ENDPOINT,
      errorCode: ErrorCodes.INVALID_PARAMETER_VALUE,
    });
  }
  return value;
}

/** MLflow's boolean variables accept true/false/1/0 (case-insensitive). */
function booleanVar(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const lower = raw.trim().toLowerCase();
  if (lower === "true" || lower === "1") return true;
  if (lower === "false" || lower === "0") return false;
  throw new TrackingError(`${name}=${JSON.stringify(raw)} is invalid: use one of true, false, 1, 0.`, {
    endpoint: ENDPOINT,
    errorCode: ErrorCodes.INVALID_PARAMETER_VALUE,
  });
}

export function readTrackingEnv(env: NodeJS.ProcessEnv = process.env): TrackingEnv {
  const out: TrackingEnv = {
    insecureTls: booleanVar(env, "MLFLOW_TRACKING_INSECURE_TLS", false),
    // MLflow asserts 0 <= max_retries < 10 and 0 <= backoff_factor < 120 (rest_utils._validate_*).
    maxRetries: numberVar(env, "MLFLOW_HTTP_REQUEST_MAX_RETRIES", 5, (n) =>
      Number.isInteger(n) && n >= 0 && n < 10 ? undefined : "an integer from 0 to 9",
    ),
    backoffFactor: numberVar(env, "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", 2, (n) =>
      n >= 0 && n < 120 ? undefined : "at least 0 and below 120",
    ),
    backoffJitter: numberVar(env, "MLFLOW_HTTP_REQUEST_BACKOFF_JITTER", 1.0, (n) => (n >= 0 ? undefined : "at least 0")),
    timeoutSeconds: numberVar(env, "MLFLOW_HTTP_REQUEST_TIMEOUT", 120, (n) => (n > 0 ? undefined : "above 0")),
    respectRetryAfter: booleanVar(env, "MLFLOW_HTTP_RESPECT_RETRY_AFTER_HEADER", true),
    truncateLongValues: booleanVar(env, "MLFLOW_TRUNCATE_LONG_VALUES", true),
    requireServer: booleanVar(env, "MLFLOW_REQUIRE_SERVER", false),
  };
  const strings: [keyof TrackingEnv, string][] = [
    ["trackingUri", "MLFLOW_TRACKING_URI"],
    ["trackingDir", "MLFLOW_TRACKING_DIR"],
    ["experimentName", "MLFLOW_EXPERIMENT_NAME"],
    ["experimentId", "MLFLOW_EXPERIMENT_ID"],
    ["runId", "MLFLOW_RUN_ID"],
    ["token", "MLFLOW_TRACKING_TOKEN"],
    ["username", "MLFLOW_TRACKING_USERNAME"],
    ["password", "MLFLOW_TRACKING_PASSWORD"],
  ];
  for (const [key, name] of strings) {
    const value = nonEmpty(env[name]);
    if (value !== undefined) (out as unknown as Record<string, unknown>)[key] = key === "token" || key === "password" ? value : value.trim();
  }
  return out;
}

/** The user name MLflow records (`getpass.getuser()`: LOGNAME, USER, LNAME, USERNAME, then the passwd entry). */
export function currentUser(env: NodeJS.ProcessEnv = process.env): string {
  for (const name of ["LOGNAME", "USER", "LNAME", "USERNAME"]) {
    const value = nonEmpty(env[name]);
    if (value !== undefined) return value;
  }
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}
