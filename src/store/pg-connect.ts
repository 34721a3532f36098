/**
 * Where the PostgreSQL store is and how to reach it: `--store URL` or RETAIL_INTEL_DATABASE_URL, with
 * libpq's PG* variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE) filling what the URL leaves out,
 * as node-postgres does. Errors name host, port and database, never the password.
 */
import pg from "pg";

export const DATABASE_URL_ENV = "RETAIL_INTEL_DATABASE_URL";

/** A connection problem: bad URL, server down, wrong password, no such database. Exit 1. */
export class StoreError extends Error {
  override name = "StoreError";
}

export const isPostgresUrl = (text: string | undefined): boolean => text !== undefined && /^postgres(ql)?:/i.test(text);

/** The store URL: the explicit one, else RETAIL_INTEL_DATABASE_URL, else undefined (the Parquet folder). */
export function storeUrl(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = explicit ?? env[DATABASE_URL_ENV];
  if (url === undefined || url === "") return undefined;
  if (!isPostgresUrl(url)) throw new StoreError(`the store must be a postgresql://USER@HOST:PORT/DB URL, got '${url.replace(/\/\/[^@/]*@/, "//…@")}'`);
  return url;
}

export interface PgTarget {
  readonly config: pg.ClientConfig;
  /** `user@host:port/database`, never the password. */
  readonly where: string;
}

export function pgTarget(url: string, env: NodeJS.ProcessEnv = process.env): PgTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreError(`the store URL is not a valid URL: '${url.replace(/:[^:@/]*@/, ":…@")}' (expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE)`);
  }
  const host = decodeURIComponent(parsed.hostname) || env["PGHOST"] || "localhost";
  const port = Number(parsed.port || env["PGPORT"] || 5432);
  const user = decodeURIComponent(parsed.username) || env["PGUSER"] || env["USER"] || "postgres";
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, "")) || env["PGDATABASE"] || user;
  const password = parsed.password !== "" ? decodeURIComponent(parsed.password) : env["PGPASSWORD"];
  return {
    config: { host, port, user, database, ...(password === undefined ? {} : { password }), connectionTimeoutMillis: 10_000, application_name: "retail-intel" },
    where: `${user}@${host}:${port}/${database}`,
  };
}

/** Connects, or throws a StoreError saying what failed and where (host, port, database; no password). */
export async function connectPg(url: string, env: NodeJS.ProcessEnv = process.env): Promise<pg.Client> {
  const target = pgTarget(url, env);
  const client = new pg.Client(target.config);
  client.on("error", () => undefined); // a dropped connection surfaces on the next query
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new StoreError(`cannot connect to PostgreSQL ${target.where}: ${describePgError(error)}`);
  }
  return client;
}

/** A node-postgres or socket error in words, without credentials. */
export function describePgError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  switch (e.code) {
    case "ECONNREFUSED":
      return "connection refused (is the server running and listening there?)";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "the host name does not resolve";
    case "ETIMEDOUT":
      return "the connection timed out";
    case "28P01":
      return "password authentication failed (check the password in the URL or PGPASSWORD)";
    case "28000":
      return "the server refused this user (pg_hba.conf or role)";
    case "3D000":
      return "the database does not exist (create it first: createdb)";
    default:
      return (e.message ?? String(error)).replace(/password[^,;]*/gi, "password …");
  }
}
