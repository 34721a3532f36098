/**
 * MLflow's model registry behind one interface, for both backends: an MLflow server's REST API
 * (rest-registry.ts) and MLflow's FileStore registry layout `mlruns/models/<name>/...` (file-registry.ts),
 * so that `mlflow server --backend-store-uri ./mlruns` lists what either wrote.
 */
import { ErrorCodes, TrackingError } from "./errors.js";

export interface ModelVersion {
  readonly name: string;
  /** MLflow sends versions as strings ("1", "2", ...). */
  readonly version: string;
  /** Where the model's files are: a run's artifact folder (`mlflow-artifacts:/...`, `file:///...`, `runs:/<id>/path`). */
  readonly source: string;
  readonly runId: string;
  readonly status: string;
  readonly creationTimestamp: number;
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Aliases pointing at this version (as far as the answer tells). */
  readonly aliases: readonly string[];
}

export interface RegisteredModel {
  readonly name: string;
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;
  /** alias -> version. */
  readonly aliases: Readonly<Record<string, string>>;
}

export interface CreateModelVersionOptions {
  readonly source: string;
  readonly runId: string;
  readonly tags?: Record<string, string>;
  readonly description?: string;
}

export interface ModelRegistry {
  /** undefined when no model has that name. */
  getRegisteredModel(name: string): Promise<RegisteredModel | undefined>;
  /** Creates the model unless it exists (a concurrent create is resolved by getting it). */
  getOrCreateRegisteredModel(name: string, options?: { tags?: Record<string, string>; description?: string }): Promise<RegisteredModel>;
  /** The next version number of the model (which must exist). */
  createModelVersion(name: string, options: CreateModelVersionOptions): Promise<ModelVersion>;
  /** Throws TrackingError RESOURCE_DOES_NOT_EXIST when there is no such version. */
  getModelVersion(name: string, version: string): Promise<ModelVersion>;
  /** undefined when the alias is not set. */
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion | undefined>;
  /** Points the alias at the version (moving it from any other version). */
  setAlias(name: string, alias: string, version: string): Promise<void>;
  deleteAlias(name: string, alias: string): Promise<void>;
  setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void>;
}

/** MLflow's alias rule (mlflow/utils/validation.py `_validate_model_alias_name`): letters, digits, `_`, `-`; not `latest`, not `v<digits>`. */
export function validateAlias(alias: string, endpoint: string): void {
  if (!/^[\w-]{1,255}$/.test(alias) || alias.toLowerCase() === "latest" || /^v\d+$/i.test(alias)) {
    throw new TrackingError(`Model alias '${alias}' is not valid: use letters, digits, '_' or '-' (at most 255), not 'latest' or 'v<number>'.`, {
      endpoint,
      errorCode: ErrorCodes.INVALID_PARAMETER_VALUE,
    });
  }
}

/** A registered model name is non-empty and has no '/' in the file store's folders (MLflow's rule). */
export function validateModelName(name: string, endpoint: string): void {
  if (name === "" || name.includes("/") || name.includes("\\") || name === "." || name === "..") {
    throw new TrackingError(`Registered model name '${name}' is not valid: it must be non-empty, without '/' or '\\'.`, {
      endpoint,
      errorCode: ErrorCodes.INVALID_PARAMETER_VALUE,
    });
  }
}
