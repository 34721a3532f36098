/**
 * The one error type of src/tracking. Carries the HTTP status and MLflow `error_code` when a server answered,
 * and the endpoint (REST path, or `file-store:<operation>` for the local store). Messages are built from
 * credential-free parts only (see secrets.ts).
 */
export interface TrackingErrorOptions {
  status?: number;
  errorCode?: string;
  endpoint: string;
  /** Network error, timeout, or a retryable status (408/429/5xx) still failing after all retries. */
  transient?: boolean;
  cause?: unknown;
}

export class TrackingError extends Error {
  readonly status?: number;
  readonly errorCode?: string;
  readonly endpoint: string;
  /** True when the server could not be reached or stayed unavailable: the caller may fall back or keep data aside. */
  readonly transient: boolean;

  constructor(message: string, options: TrackingErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "TrackingError";
    if (options.status !== undefined) this.status = options.status;
    if (options.errorCode !== undefined) this.errorCode = options.errorCode;
    this.endpoint = options.endpoint;
    this.transient = options.transient ?? false;
  }
}

/** MLflow's error codes used here (mlflow/protos/databricks.proto). */
export const ErrorCodes = {
  INVALID_PARAMETER_VALUE: "INVALID_PARAMETER_VALUE",
  RESOURCE_ALREADY_EXISTS: "RESOURCE_ALREADY_EXISTS",
  RESOURCE_DOES_NOT_EXIST: "RESOURCE_DOES_NOT_EXIST",
  INVALID_STATE: "INVALID_STATE",
  INTERNAL_ERROR: "INTERNAL_ERROR",
} as const;

/**
 * The error code MLflow's client assigns to a non-JSON error response (mlflow/exceptions.py
 * `HTTP_STATUS_TO_ERROR_CODE`, the inverse of `ERROR_CODE_TO_HTTP_STATUS` with its overrides).
 */
export function errorCodeForStatus(status: number): string {
  const table: Record<number, string> = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "ENDPOINT_NOT_FOUND",
    409: "ALREADY_EXISTS",
    429: "RESOURCE_EXHAUSTED",
    499: "CANCELLED",
    500: "INTERNAL_ERROR",
    501: "NOT_IMPLEMENTED",
    503: "TEMPORARILY_UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
  };
  return table[status] ?? "INTERNAL_ERROR";
}

export function isTrackingError(error: unknown): error is TrackingError {
  return error instanceof TrackingError;
}

/** The message of anything thrown, for wrapping. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
