/**
 * Processed tables out of PostgreSQL as the same DataFrames the Parquet files give: COPY (SELECT ...) TO
 * STDOUT as CSV, parsed by polars with the column types recorded at load time (pg-columns.ts).
 */
import pl from "nodejs-polars";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { META_TABLE, NULL_MARK } from "./pg-load.js";
import { StoreError, describePgError } from "./pg-connect.js";
import { columnKind, ident } from "./pg-columns.js";
import { tableSpec } from "./tables.js";

/** The column types a table was loaded with, from retail_intel_tables; a StoreError naming the table when it is not there. */
export async function storedColumns(client: pg.Client, name: string, where: string): Promise<[string, string][]> {
  const exists = await client.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [META_TABLE]);
  const rows = exists.rows[0].present ? (await client.query(`SELECT columns FROM ${META_TABLE} WHERE name = $1 AND to_regclass(quote_ident(name)) IS NOT NULL`, [name])).rows : [];
  if (rows.length === 0) throw new StoreError(`PostgreSQL ${where} has no table ${name}: load it with \`npx retail-intel features --store <url>\``);
  return rows[0].columns as [string, string][];
}

/** Runs `COPY (query) TO STDOUT` as CSV with a header and returns the bytes. */
export async function copyOut(client: pg.Client, query: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const stream = client.query(copyTo(`COPY (${query}) TO STDOUT WITH (FORMAT csv, HEADER true, NULL '${NULL_MARK}')`));
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** CSV bytes with the given columns as a DataFrame of their final types. */
export function frameFromCsv(csv: Buffer, columns: readonly [string, string][]): pl.DataFrame {
  const plan = columns.map(([name, dtype]) => ({ name, kind: columnKind(dtype) }));
  const raw = pl.readCSV(csv, { dtypes: Object.fromEntries(plan.map((p) => [p.name, p.kind.readAs])), nullValues: NULL_MARK, quoteChar: '"' });
  return raw.select(...plan.map((p) => (p.kind.final === pl.Bool ? pl.col(p.name).eq(pl.lit(1)).alias(p.name) : pl.col(p.name).cast(p.kind.final))));
}

export async function readPgTable(client: pg.Client, name: string, where: string, only?: readonly string[]): Promise<pl.DataFrame> {
  const spec = tableSpec(name);
  const columns = (await storedColumns(client, name, where)).filter(([column]) => only === undefined || only.includes(column));
  const select = columns.map(([column, dtype]) => columnKind(dtype).select(ident(column))).join(", ");
  try {
    const csv = await copyOut(client, `SELECT ${select} FROM ${ident(name)} ORDER BY ${spec.primaryKey.map(ident).join(", ")}`);
    return frameFromCsv(csv, columns);
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError(`reading ${name} from PostgreSQL ${where} failed: ${describePgError(error)}`);
  }
}
