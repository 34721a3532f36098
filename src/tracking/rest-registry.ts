/**
 * The model registry over MLflow's REST API (registered-models/*, model-versions/*, registered-models/alias),
 * with the request and answer shapes of a real MLflow 2.11 server (checked by test/mlflow-contract.test.ts).
 */
import { ErrorCodes, TrackingError } from "./errors.js";
import { fromJsonNumber } from "./python-float.js";
import { validateAlias, validateModelName, type CreateModelVersionOptions, type ModelRegistry, type ModelVersion, type RegisteredModel } from "./registry.js";
import type { RestClient } from "./rest-client.js";
import { toKeyValues } from "./rest-json.js";

const API = "/api/2.0/mlflow";

type Json = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v));

function tagsOf(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of Array.isArray(value) ? value : []) {
    const tag = t as Json;
    if (typeof tag.key === "string") out[tag.key] = str(tag.value);
  }
  return out;
}

export function parseModelVersion(value: unknown): ModelVersion {
  const v = (typeof value === "object" && value !== null ? value : {}) as Json;
  return {
    name: str(v.name),
    version: str(v.version),
    source: str(v.source),
    runId: str(v.run_id),
    status: str(v.status),
    creationTimestamp: v.creation_timestamp === undefined ? 0 : fromJsonNumber(v.creation_timestamp),
    description: str(v.description),
    tags: tagsOf(v.tags),
    aliases: Array.isArray(v.aliases) ? v.aliases.map(str) : [],
  };
}

function parseRegisteredModel(value: unknown): RegisteredModel {
  const m = (typeof value === "object" && value !== null ? value : {}) as Json;
  const aliases: Record<string, string> = {};
  for (const a of Array.isArray(m.aliases) ? m.aliases : []) {
    const alias = a as Json;
    if (typeof alias.alias === "string") aliases[alias.alias] = str(alias.version);
  }
  return { name: str(m.name), description: str(m.description), tags: tagsOf(m.tags), aliases };
}

const isCode = (error: unknown, code: string): boolean => error instanceof TrackingError && error.errorCode === code;

export class RestRegistry implements ModelRegistry {
  constructor(private readonly client: RestClient) {}

  async getRegisteredModel(name: string): Promise<RegisteredModel | undefined> {
    const endpoint = `${API}/registered-models/get`;
    validateModelName(name, endpoint);
    try {
      return parseRegisteredModel((await this.client.request("GET", endpoint, { query: { name } })).registered_model);
    } catch (error) {
      if (isCode(error, ErrorCodes.RESOURCE_DOES_NOT_EXIST)) return undefined;
      throw error;
    }
  }

  async getOrCreateRegisteredModel(name: string, options: { tags?: Record<string, string>; description?: string } = {}): Promise<RegisteredModel> {
    const existing = await this.getRegisteredModel(name);
    if (existing !== undefined) return existing;
    try {
      const res = await this.client.request("POST", `${API}/registered-models/create`, {
        json: { name, tags: toKeyValues(Object.entries(options.tags ?? {})), ...(options.description === undefined ? {} : { description: options.description }) },
      });
      return parseRegisteredModel(res.registered_model);
    } catch (error) {
      if (!isCode(error, ErrorCodes.RESOURCE_ALREADY_EXISTS)) throw error;
      return (await this.getRegisteredModel(name))!;
    }
  }

  async createModelVersion(name: string, options: CreateModelVersionOptions): Promise<ModelVersion> {
    const endpoint = `${API}/model-versions/create`;
    validateModelName(name, endpoint);
    const res = await this.client.request("POST", endpoint, {
      json: {
        name,
        source: options.source,
        run_id: options.runId,
        tags: toKeyValues(Object.entries(options.tags ?? {})),
        ...(options.description === undefined ? {} : { description: options.description }),
      },
    });
    return parseModelVersion(res.model_version);
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    const endpoint = `${API}/model-versions/get`;
    validateModelName(name, endpoint);
    return parseModelVersion((await this.client.request("GET", endpoint, { query: { name, version } })).model_version);
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion | undefined> {
    const endpoint = `${API}/registered-models/alias`;
    validateModelName(name, endpoint);
    validateAlias(alias, endpoint);
    try {
      return parseModelVersion((await this.client.request("GET", endpoint, { query: { name, alias } })).model_version);
    } catch (error) {
      // MLflow 2.11 answers a missing alias with INVALID_PARAMETER_VALUE ("Registered model alias X not found.")
      if (isCode(error, ErrorCodes.INVALID_PARAMETER_VALUE) && /alias .* not found/i.test((error as Error).message)) return undefined;
      throw error;
    }
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    const endpoint = `${API}/registered-models/alias`;
    validateModelName(name, endpoint);
    validateAlias(alias, endpoint);
    await this.client.request("POST", endpoint, { json: { name, alias, version } });
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    const endpoint = `${API}/registered-models/alias`;
    validateModelName(name, endpoint);
    validateAlias(alias, endpoint);
    await this.client.request("DELETE", endpoint, { json: { name, alias } });
  }

  async setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    await this.client.request("POST", `${API}/model-versions/set-tag`, { json: { name, version, key, value } });
  }
}
