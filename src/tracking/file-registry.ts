/**
 * The model registry in MLflow's FileStore registry layout (mlflow/store/model_registry/file_store.py), in
 * the same root as the file tracking store, so `mlflow server --backend-store-uri ./mlruns` lists it:
 *
 *   mlruns/models/<name>/meta.yaml                aliases, creation_timestamp, description, last_updated_timestamp, name
 *   mlruns/models/<name>/tags/<key>               registered-model tags
 *   mlruns/models/<name>/aliases/<alias>          the version number the alias points at
 *   mlruns/models/<name>/version-<n>/meta.yaml    aliases, creation_timestamp, current_stage, description,
 *                                                 last_updated_timestamp, name, run_id, run_link, source, status,
 *                                                 status_message, storage_location, user_id, version
 *   mlruns/models/<name>/version-<n>/tags/<key>   version tags
 *
 * Files are written atomically; a version folder is created with `mkdir` (not recursive), so two writers
 * racing for the same number do not both get it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomically } from "../io/atomic-write.js";
import { currentUser } from "./env.js";
import { ErrorCodes, TrackingError } from "./errors.js";
import { listResourceFiles } from "./file-store.js";
import { validateAlias, validateModelName, type CreateModelVersionOptions, type ModelRegistry, type ModelVersion, type RegisteredModel } from "./registry.js";
import { readYamlMapping, writeYamlMapping, type YamlValue } from "./yaml.js";

const META = "meta.yaml";

const readTags = (dir: string): Record<string, string> =>
  Object.fromEntries(listResourceFiles(dir).map((key) => [key, readFileSync(join(dir, ...key.split("/")), "utf8")]));

export class FileRegistry implements ModelRegistry {
  /** `root` is the tracking store's root (`mlruns`); models live in `root/models`. */
  constructor(private readonly root: string) {}

  private modelDir(name: string, endpoint: string): string {
    validateModelName(name, endpoint);
    return join(this.root, "models", name);
  }

  private requireModel(name: string, endpoint: string): string {
    const dir = this.modelDir(name, endpoint);
    if (!existsSync(join(dir, META))) {
      throw new TrackingError(`Registered Model with name=${name} not found in ${this.root}.`, { endpoint, errorCode: ErrorCodes.RESOURCE_DOES_NOT_EXIST });
    }
    return dir;
  }

  private aliasesOf(dir: string): Record<string, string> {
    return readTags(join(dir, "aliases"));
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel | undefined> {
    const dir = this.modelDir(name, "registry get");
    if (!existsSync(join(dir, META))) return undefined;
    const meta = readYamlMapping(readFileSync(join(dir, META), "utf8"));
    return { name, description: String(meta.description ?? ""), tags: readTags(join(dir, "tags")), aliases: this.aliasesOf(dir) };
  }

  async getOrCreateRegisteredModel(name: string, options: { tags?: Record<string, string>; description?: string } = {}): Promise<RegisteredModel> {
    const existing = await this.getRegisteredModel(name);
    if (existing !== undefined) return existing;
    const dir = this.modelDir(name, "registry create");
    mkdirSync(dir, { recursive: true });
    const now = Date.now();
    for (const [key, value] of Object.entries(options.tags ?? {})) writeFileAtomically(join(dir, "tags", ...key.split("/")), value);
    writeFileAtomically(join(dir, META), writeYamlMapping({ aliases: [], creation_timestamp: now, description: options.description ?? null, last_updated_timestamp: now, name }));
    return (await this.getRegisteredModel(name))!;
  }

  private touch(dir: string): void {
    const meta = readYamlMapping(readFileSync(join(dir, META), "utf8"));
    meta.last_updated_timestamp = Date.now();
    meta.aliases = [];
    writeFileAtomically(join(dir, META), writeYamlMapping(meta));
  }

  private versionNumbers(dir: string): number[] {
    return readdirSync(dir)
      .map((entry) => /^version-(\d+)$/.exec(entry))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]));
  }

  async createModelVersion(name: string, options: CreateModelVersionOptions): Promise<ModelVersion> {
    const endpoint = "registry create version";
    const dir = this.requireModel(name, endpoint);
    for (;;) {
      const version = Math.max(0, ...this.versionNumbers(dir)) + 1;
      const versionDir = join(dir, `version-${version}`);
      try {
        mkdirSync(versionDir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EEXIST") continue; // another writer took this number
        throw error;
      }
      const now = Date.now();
      for (const [key, value] of Object.entries(options.tags ?? {})) writeFileAtomically(join(versionDir, "tags", ...key.split("/")), value);
      const meta: Record<string, YamlValue> = {
        aliases: [],
        creation_timestamp: now,
        current_stage: "None",
        description: options.description ?? null,
        last_updated_timestamp: now,
        name,
        run_id: options.runId,
        run_link: null,
        source: options.source,
        status: "READY",
        status_message: null,
        storage_location: options.source,
        user_id: currentUser(),
        version,
      };
      writeFileAtomically(join(versionDir, META), writeYamlMapping(meta));
      this.touch(dir);
      return this.getModelVersion(name, String(version));
    }
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    const endpoint = "registry get version";
    const dir = this.requireModel(name, endpoint);
    const versionDir = join(dir, `version-${version}`);
    if (!/^\d+$/.test(version) || !existsSync(join(versionDir, META))) {
      throw new TrackingError(`Model Version (name=${name}, version=${version}) not found in ${this.root}.`, { endpoint, errorCode: ErrorCodes.RESOURCE_DOES_NOT_EXIST });
    }
    const meta = readYamlMapping(readFileSync(join(versionDir, META), "utf8"));
    const aliases = Object.entries(this.aliasesOf(dir))
      .filter(([, v]) => v === version)
      .map(([alias]) => alias);
    return {
      name,
      version,
      source: String(meta.source ?? ""),
      runId: String(meta.run_id ?? ""),
      status: String(meta.status ?? ""),
      creationTimestamp: Number(meta.creation_timestamp ?? 0),
      description: String(meta.description ?? ""),
      tags: readTags(join(versionDir, "tags")),
      aliases,
    };
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion | undefined> {
    const endpoint = "registry get alias";
    validateAlias(alias, endpoint);
    const version = this.aliasesOf(this.requireModel(name, endpoint))[alias];
    return version === undefined ? undefined : this.getModelVersion(name, version);
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    const endpoint = "registry set alias";
    validateAlias(alias, endpoint);
    const dir = this.requireModel(name, endpoint);
    await this.getModelVersion(name, version);
    writeFileAtomically(join(dir, "aliases", alias), version);
    this.touch(dir);
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    const endpoint = "registry delete alias";
    validateAlias(alias, endpoint);
    const dir = this.requireModel(name, endpoint);
    rmSync(join(dir, "aliases", alias), { force: true });
    this.touch(dir);
  }

  async setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    await this.getModelVersion(name, version);
    writeFileAtomically(join(this.requireModel(name, "registry set tag"), `version-${version}`, "tags", ...key.split("/")), value);
  }
}
