/**
 * How a polars column lives in PostgreSQL: its column type on the way in, and on the way out the SELECT
 * expression, the type polars reads the CSV as, and the type it is cast back to. Timestamps travel as epoch
 * milliseconds and dates as epoch days, so nothing depends on the server's time zone or date style.
 */
import pl from "nodejs-polars";
import { StoreError } from "./pg-connect.js";

export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

interface ColumnKind {
  readonly pgType: string;
  readonly select: (quoted: string) => string;
  readonly readAs: pl.DataType;
  readonly final: pl.DataType;
}

const plain = (quoted: string): string => quoted;

const KINDS = {
  text: { pgType: "text", select: plain, readAs: pl.Utf8, final: pl.Utf8 },
  float: { pgType: "double precision", select: plain, readAs: pl.Float64, final: pl.Float64 },
  int32: { pgType: "integer", select: plain, readAs: pl.Int64, final: pl.Int32 },
  int64: { pgType: "bigint", select: plain, readAs: pl.Int64, final: pl.Int64 },
  bool: { pgType: "boolean", select: (c: string) => `${c}::int AS ${c}`, readAs: pl.Int32, final: pl.Bool },
  datetime: { pgType: "timestamp(3)", select: (c: string) => `(extract(epoch from ${c}) * 1000)::bigint AS ${c}`, readAs: pl.Int64, final: pl.Datetime("ms") },
  date: { pgType: "date", select: (c: string) => `(${c} - date '1970-01-01') AS ${c}`, readAs: pl.Int32, final: pl.Date },
} satisfies Record<string, ColumnKind>;

/** The kind of a polars dtype, from its name (e.g. "Int64", "Datetime(ms)"). */
export function columnKind(dtype: string): ColumnKind {
  if (dtype.includes("String") || dtype.includes("Utf8") || dtype.includes("Categorical")) return KINDS.text;
  if (dtype.includes("Float")) return KINDS.float;
  if (dtype.includes("Int64") || dtype.includes("UInt32")) return KINDS.int64;
  if (dtype.includes("Int")) return KINDS.int32;
  if (dtype.includes("Bool")) return KINDS.bool;
  if (dtype.includes("Datetime")) return KINDS.datetime;
  if (dtype.includes("Date")) return KINDS.date;
  throw new StoreError(`cannot store a column of type ${dtype} in PostgreSQL`);
}
