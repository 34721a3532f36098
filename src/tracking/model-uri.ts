/**
 * `models:/NAME@ALIAS` and `models:/NAME/VERSION` URIs (MLflow's model URIs), resolved through the registry
 * of whichever backend MLFLOW_TRACKING_URI names, to a local folder with the version's files.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { ErrorCodes, TrackingError } from "./errors.js";
import type { ModelVersion } from "./registry.js";
import type { TrackingStore } from "./types.js";

export type ModelUri = { readonly name: string; readonly alias: string } | { readonly name: string; readonly version: string };

export const isModelUri = (text: string): boolean => text.startsWith("models:/");

/** Parses `models:/NAME@ALIAS` or `models:/NAME/VERSION`; throws a TrackingError naming the accepted forms otherwise. */
export function parseModelUri(uri: string): ModelUri {
  const rest = uri.startsWith("models:/") ? uri.slice("models:/".length).replace(/^\/+/, "") : undefined;
  const alias = rest === undefined ? null : /^([^/@]+)@([\w-]+)$/.exec(rest);
  if (alias !== null) return { name: alias[1]!, alias: alias[2]! };
  const version = rest === undefined ? null : /^([^/@]+)\/(\d+)$/.exec(rest);
  if (version !== null) return { name: version[1]!, version: version[2]! };
  throw new TrackingError(`'${uri}' is not a model URI: use models:/NAME@ALIAS (e.g. models:/retail-intel-two-tower@champion) or models:/NAME/VERSION.`, {
    endpoint: "model URI",
    errorCode: ErrorCodes.INVALID_PARAMETER_VALUE,
  });
}

/** Where downloaded model versions are kept: RETAIL_INTEL_MODEL_CACHE, else ~/.cache/retail-intel/models. */
export function modelCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env["RETAIL_INTEL_MODEL_CACHE"] ?? join(env["XDG_CACHE_HOME"] ?? join(homedir(), ".cache"), "retail-intel", "models");
}

export interface ResolvedModel {
  readonly dir: string;
  readonly version: ModelVersion;
}

/**
 * The registry's version for the URI and a local folder with its files: the source folder itself when it is
 * local, else a download into `cacheDir/<backend>/<name>/<version>` (kept: a version's files never change;
 * `<backend>` is a hash of the tracking server's URL).
 */
export async function resolveModelUri(uri: string, store: TrackingStore, cacheDir: string = modelCacheDir()): Promise<ResolvedModel> {
  const parsed = parseModelUri(uri);
  const registered = await store.registry.getRegisteredModel(parsed.name);
  const missing = (why: string) => new TrackingError(`Cannot resolve ${uri} in ${store.description}: ${why}.`, { endpoint: "model URI", errorCode: ErrorCodes.RESOURCE_DOES_NOT_EXIST });
  if (registered === undefined) throw missing(`no registered model '${parsed.name}'`);
  let version: ModelVersion | undefined;
  try {
    version = "alias" in parsed ? await store.registry.getModelVersionByAlias(parsed.name, parsed.alias) : await store.registry.getModelVersion(parsed.name, parsed.version);
  } catch (error) {
    if (!(error instanceof TrackingError && error.errorCode === ErrorCodes.RESOURCE_DOES_NOT_EXIST)) throw error;
  }
  if (version === undefined) {
    throw missing("alias" in parsed ? `model '${parsed.name}' has no alias '${parsed.alias}' (aliases: ${Object.keys(registered.aliases).join(", ") || "none"})` : `model '${parsed.name}' has no version ${parsed.version}`);
  }
  // per backend: another server's "m" version 1 is another model
  const backend = createHash("sha256").update(store.location ?? store.description).digest("hex").slice(0, 12);
  const target = join(cacheDir, backend, version.name, version.version);
  if (existsSync(target)) return { dir: target, version };
  mkdirSync(cacheDir, { recursive: true });
  return { dir: await store.downloadArtifacts(version.source, target), version };
}
