/**
 * Processed tables into PostgreSQL, all or nothing. Each table is copied (COPY ... FROM STDIN, CSV) into a
 * staging table with its primary key and indexes; then one transaction drops the old tables and renames the
 * staging ones into place, with a row per table in `retail_intel_tables` (content hash, rows, column types).
 * A failure or a kill before that transaction commits leaves the previous tables as they were (a later load
 * drops the orphaned staging tables). A load whose every table hashes as the stored one changes nothing.
 */
import { createHash, randomBytes } from "node:crypto";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import type pl from "nodejs-polars";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { releaseNativeMemory } from "../io/native-memory.js";
import { columnKind, ident } from "./pg-columns.js";
import { StoreError, describePgError } from "./pg-connect.js";
import type { StoredTableSpec } from "./tables.js";

/** Rows per CSV chunk streamed to COPY: bounded memory for a 1M-row table. */
const CHUNK_ROWS = 50_000;
/**
 * Chunks between collections: each chunk's CSV is native polars memory until its wrapper is collected and
 * the event loop turns (src/io/native-memory.ts). Hashing the 1M-order tables without a pause grew RSS by
 * 0.96 GiB, with one every 10 chunks by 0.41 GiB (and 5.3 -> 3.1 s).
 */
const CHUNKS_PER_RELEASE = 10;
export const META_TABLE = "retail_intel_tables";
/** features.json's content (data origin, revenue definition, tables) for readers of the database. */
export const MANIFEST_TABLE = "retail_intel_manifest";
const STAGE_PREFIX = "retail_intel_stage_";
export const NULL_MARK = "\\N";


/** The frame as CSV in chunks of CHUNK_ROWS rows, the header with the first (alone for an empty frame). */
async function* csvChunks(frame: pl.DataFrame): AsyncGenerator<Buffer> {
  const chunks = Math.max(1, Math.ceil(frame.height / CHUNK_ROWS));
  for (let c = 0; c < chunks; c++) {
    yield frame.slice(c * CHUNK_ROWS, CHUNK_ROWS).writeCSV({ includeHeader: c === 0, nullValue: NULL_MARK }) as unknown as Buffer;
    if (c % CHUNKS_PER_RELEASE === CHUNKS_PER_RELEASE - 1) await releaseNativeMemory();
  }
}

/** The table's identity: column names and types, then its rows as CSV. */
export async function contentHash(frame: pl.DataFrame): Promise<string> {
  const hash = createHash("sha256");
  hash.update(JSON.stringify(frame.columns.map((c) => [c, String(frame.getColumn(c).dtype)])));
  for await (const chunk of csvChunks(frame)) hash.update(chunk);
  return hash.digest("hex");
}

export interface TableToLoad {
  readonly spec: StoredTableSpec;
  readonly frame: pl.DataFrame;
}

export interface LoadResult {
  /** False when every table was already stored with the same content: nothing was written. */
  readonly changed: boolean;
  readonly tables: readonly { readonly name: string; readonly rows: number; readonly hash: string }[];
}

async function metaHashes(client: pg.Client): Promise<Map<string, string>> {
  const exists = await client.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [META_TABLE]);
  if (!exists.rows[0].present) return new Map();
  const rows = await client.query(`SELECT m.name, m.content_hash FROM ${META_TABLE} m WHERE to_regclass(quote_ident(m.name)) IS NOT NULL`);
  return new Map(rows.rows.map((r: { name: string; content_hash: string }) => [r.name, r.content_hash]));
}

/** Loads the tables (see the module comment); `onStep` hears "staging order_facts (100,000 rows)" and so on. */
export async function loadTables(client: pg.Client, tables: readonly TableToLoad[], options: { manifest?: unknown; onStep?: (line: string) => void } = {}): Promise<LoadResult> {
  const onStep = options.onStep ?? (() => undefined);
  const hashed: (TableToLoad & { hash: string })[] = [];
  for (const t of tables) hashed.push({ ...t, hash: await contentHash(t.frame) });
  const stored = await metaHashes(client);
  const summary = hashed.map((t) => ({ name: t.spec.name, rows: t.frame.height, hash: t.hash }));
  if (hashed.every((t) => stored.get(t.spec.name) === t.hash)) return { changed: false, tables: summary };

  const loadId = randomBytes(4).toString("hex");
  const stage = (name: string): string => `${STAGE_PREFIX}${loadId}_${name}`;
  try {
    // staging tables a killed load left behind
    const orphans = await client.query(`SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE $1`, [`${STAGE_PREFIX}%`]);
    for (const r of orphans.rows as { tablename: string }[]) await client.query(`DROP TABLE IF EXISTS ${ident(r.tablename)}`);
    for (const t of hashed) {
      const name = stage(t.spec.name);
      onStep(`staging ${t.spec.name} (${t.frame.height.toLocaleString("en-US")} rows)`);
      const columns = t.frame.columns.map((c) => `${ident(c)} ${columnKind(String(t.frame.getColumn(c).dtype)).pgType}`);
      await client.query(`CREATE TABLE ${ident(name)} (${columns.join(", ")})`);
      const copy = client.query(copyFrom(`COPY ${ident(name)} FROM STDIN WITH (FORMAT csv, HEADER true, NULL '${NULL_MARK}')`));
      await pipeline(Readable.from(csvChunks(t.frame)), copy);
      await client.query(`ALTER TABLE ${ident(name)} ADD CONSTRAINT ${ident(`${name}_pkey`)} PRIMARY KEY (${t.spec.primaryKey.map(ident).join(", ")})`);
      for (const [i, cols] of t.spec.indexes.entries()) await client.query(`CREATE INDEX ${ident(`${name}_idx${i}`)} ON ${ident(name)} (${cols.map(ident).join(", ")})`);
      await client.query(`ANALYZE ${ident(name)}`);
    }
    onStep("swapping the staged tables in (one transaction)");
    await client.query("BEGIN");
    await client.query(`CREATE TABLE IF NOT EXISTS ${META_TABLE} (name text PRIMARY KEY, content_hash text NOT NULL, n_rows bigint NOT NULL, columns jsonb NOT NULL, loaded_at timestamptz NOT NULL)`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${MANIFEST_TABLE} (id int PRIMARY KEY, manifest jsonb NOT NULL)`);
    if (options.manifest !== undefined) {
      await client.query(`INSERT INTO ${MANIFEST_TABLE} (id, manifest) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET manifest = EXCLUDED.manifest`, [JSON.stringify(options.manifest)]);
    }
    for (const t of hashed) {
      const name = t.spec.name;
      await client.query(`DROP TABLE IF EXISTS ${ident(name)}`);
      await client.query(`ALTER TABLE ${ident(stage(name))} RENAME TO ${ident(name)}`);
      await client.query(`ALTER TABLE ${ident(name)} RENAME CONSTRAINT ${ident(`${stage(name)}_pkey`)} TO ${ident(`${name}_pkey`)}`);
      for (const i of t.spec.indexes.keys()) await client.query(`ALTER INDEX ${ident(`${stage(name)}_idx${i}`)} RENAME TO ${ident(`${name}_idx${i}`)}`);
      // pairs, not an object: jsonb reorders an object's keys
      const columns = t.frame.columns.map((c) => [c, String(t.frame.getColumn(c).dtype)]);
      await client.query(
        `INSERT INTO ${META_TABLE} (name, content_hash, n_rows, columns, loaded_at) VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (name) DO UPDATE SET content_hash = EXCLUDED.content_hash, n_rows = EXCLUDED.n_rows, columns = EXCLUDED.columns, loaded_at = EXCLUDED.loaded_at`,
        [name, t.hash, t.frame.height, JSON.stringify(columns)],
      );
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    for (const t of hashed) await client.query(`DROP TABLE IF EXISTS ${ident(stage(t.spec.name))}`).catch(() => undefined);
    if (error instanceof StoreError) throw error;
    throw new StoreError(`loading the processed tables failed, the previous tables are unchanged: ${describePgError(error)}`);
  }
  return { changed: true, tables: summary };
}
