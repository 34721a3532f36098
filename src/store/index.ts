/**
 * Where the processed tables live, behind one interface: the Parquet folder (the embedded default) or a
 * PostgreSQL database (`--store postgresql://...` or RETAIL_INTEL_DATABASE_URL), chosen the same way by
 * `features` (which writes) and every reader.
 *
 *   const store = await openTableStore({ processedDir: "data/processed" });   // or { url }
 *   const facts = await store.read("order_facts");
 *   const asOf = await store.userFeaturesAsOf(new Date("2018-01-01"));        // SQL in PostgreSQL
 *   await store.close();
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type pl from "nodejs-polars";
import type pg from "pg";
import { readParquetFile } from "../data/parquet-file.js";
import { userFeaturesAsOf } from "../features/user-features.js";
import { FEATURES_MANIFEST_FILE, type FeaturesManifest } from "../features/write-features.js";
import { readJsonFile } from "../io/json-file.js";
import { DataValidationError } from "../io/data-validation-error.js";
import { FileError } from "../io/file-error.js";
import { requireDirectory } from "../io/path-checks.js";
import { connectPg, isPostgresUrl, pgTarget, storeUrl } from "./pg-connect.js";
import { pgUserFeaturesAsOf } from "./pg-features.js";
import { loadTables, MANIFEST_TABLE, META_TABLE, type LoadResult, type TableToLoad } from "./pg-load.js";
import { readPgTable } from "./pg-read.js";
import { tableSpec, type StoredTableName } from "./tables.js";

export { StoreError, DATABASE_URL_ENV, isPostgresUrl, storeUrl } from "./pg-connect.js";
export { STORED_TABLES, tableSpec, type StoredTableName } from "./tables.js";
export type { LoadResult } from "./pg-load.js";

export interface TableStore {
  readonly kind: "parquet" | "postgresql";
  /** The folder, or `user@host:port/database` (never a password). */
  readonly description: string;
  /** The table, or only those of `columns` it has (a missing one is left for the caller to name). */
  read(name: StoredTableName, columns?: readonly string[]): Promise<pl.DataFrame>;
  has(name: StoredTableName): Promise<boolean>;
  /** What `features` recorded with the tables (features.json): the data's origin and the tables. */
  manifest(): Promise<FeaturesManifest | undefined>;
  /** User features from the orders before `asOf` (src/features/user-features.ts `userFeaturesAsOf`). */
  userFeaturesAsOf(asOf: Date): Promise<pl.DataFrame>;
  close(): Promise<void>;
}

/**
 * One processed table of the folder `dir` (written by `npx retail-intel features`). A missing folder or
 * file says so; a file that is not readable Parquet (cut short) is named as damaged, with the command
 * that rebuilds it.
 */
export function readProcessedTable(dir: string, file: string, columns?: readonly string[]): pl.DataFrame {
  requireDirectory(dir, "processed tables folder", `run \`npx retail-intel features --out ${dir}\` first`);
  const path = join(dir, file);
  if (!existsSync(path)) {
    throw new DataValidationError({ file: path, problem: "file not found", expected: "the processed tables: run `npx retail-intel features` first" });
  }
  try {
    return readParquetFile(path, "file", columns);
  } catch (error) {
    if (!(error instanceof FileError)) throw error;
    throw new FileError(path, error.kind, `processed tables folder ${dir} is damaged: ${file} ${error.reason}; re-run \`npx retail-intel features --out ${dir}\` to rebuild it`, error.reason);
  }
}

export function parquetStore(dir: string): TableStore {
  const read = async (name: StoredTableName, columns?: readonly string[]) => readProcessedTable(dir, tableSpec(name).file, columns);
  return {
    kind: "parquet",
    description: dir,
    read,
    has: async (name) => existsSync(join(dir, tableSpec(name).file)),
    manifest: async () => {
      const path = join(dir, FEATURES_MANIFEST_FILE);
      return existsSync(path) ? (readJsonFile(path, "features manifest") as FeaturesManifest) : undefined;
    },
    userFeaturesAsOf: async (asOf) => userFeaturesAsOf(await read("order_facts"), await read("order_item_facts"), asOf),
    close: async () => undefined,
  };
}

export async function postgresStore(url: string, env: NodeJS.ProcessEnv = process.env): Promise<TableStore & { readonly client: pg.Client }> {
  const where = pgTarget(url, env).where;
  const client = await connectPg(url, env);
  return {
    kind: "postgresql",
    description: describeSource(url, env),
    client,
    read: (name, columns) => readPgTable(client, name, where, columns),
    has: async (name) => {
      const r = await client.query(`SELECT to_regclass($1) IS NOT NULL AND to_regclass($2) IS NOT NULL AS present`, [META_TABLE, name]);
      return r.rows[0].present === true;
    },
    manifest: async () => {
      const r = await client.query(`SELECT manifest FROM ${MANIFEST_TABLE} WHERE id = 1 AND to_regclass($1) IS NOT NULL`, [MANIFEST_TABLE]).catch(() => ({ rows: [] as { manifest: FeaturesManifest }[] }));
      return r.rows[0]?.manifest as FeaturesManifest | undefined;
    },
    userFeaturesAsOf: (asOf) => pgUserFeaturesAsOf(client, asOf, where),
    close: () => client.end(),
  };
}

/**
 * Which store a reader or writer uses: `processedDir` itself when it is a postgresql:// URL, else `url` or
 * RETAIL_INTEL_DATABASE_URL when set; undefined for the Parquet folder `processedDir`.
 */
export function resolveStoreUrl(processedDir: string, url: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return isPostgresUrl(processedDir) ? processedDir : storeUrl(url, env);
}

export async function openTableStore(options: { processedDir: string; url?: string; env?: NodeJS.ProcessEnv }): Promise<TableStore> {
  const env = options.env ?? process.env;
  const url = resolveStoreUrl(options.processedDir, options.url, env);
  return url === undefined ? parquetStore(options.processedDir) : postgresStore(url, env);
}

/** A processed-tables source for messages and reports: the folder, or `PostgreSQL user@host:port/db` (never a password). */
export function describeSource(source: string, env: NodeJS.ProcessEnv = process.env): string {
  return isPostgresUrl(source) ? `PostgreSQL ${pgTarget(source, env).where}` : source;
}

/** Opens the store, runs `fn`, closes it. */
export async function withTableStore<T>(options: { processedDir: string; url?: string; env?: NodeJS.ProcessEnv }, fn: (store: TableStore) => Promise<T>): Promise<T> {
  const store = await openTableStore(options);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Loads the processed tables into the PostgreSQL store at `url` (all or nothing; see pg-load.ts). */
export async function loadIntoPostgres(
  url: string,
  tables: readonly { name: string; frame: pl.DataFrame }[],
  options: { manifest?: FeaturesManifest; onStep?: (line: string) => void; env?: NodeJS.ProcessEnv } = {},
): Promise<LoadResult> {
  const client = await connectPg(url, options.env ?? process.env);
  try {
    const toLoad: TableToLoad[] = tables.map((t) => ({ spec: tableSpec(t.name), frame: t.frame }));
    return await loadTables(client, toLoad, { ...(options.manifest === undefined ? {} : { manifest: options.manifest }), ...(options.onStep === undefined ? {} : { onStep: options.onStep }) });
  } finally {
    await client.end().catch(() => undefined);
  }
}
