import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import { gunzipSync } from "node:zlib";
import pl from "nodejs-polars";
import { scanCsv, type CsvLayout } from "./csv-scan.js";
import { DataValidationError } from "../io/data-validation-error.js";
import { readFileNamed } from "../io/read-file.js";
import { OLIST_DATETIME_FORMAT, type ColumnSpec, type TableSpec } from "./olist-schema.js";

/** A validated table: typed columns in schema order, and where each row sits in its file. */
export interface LoadedTable {
  readonly spec: TableSpec;
  /** The path that was read (`.csv` or `.csv.gz`). */
  readonly path: string;
  readonly frame: pl.DataFrame;
  /** Editor line of each row of `frame` (1-based, header = 1). */
  readonly rowLines: Int32Array;
}

const ROW_INDEX = "__row";

/** The file for a table in `dir`: `<name>.csv`, or `<name>.csv.gz` when only that exists. */
export function resolveTablePath(dir: string, spec: TableSpec): string | undefined {
  const plain = join(dir, spec.file);
  if (existsSync(plain)) return plain;
  const gz = `${plain}.gz`;
  return existsSync(gz) ? gz : undefined;
}

function readBytes(path: string, file: string): Buffer {
  const raw = readFileNamed(path);
  if (!path.endsWith(".gz")) return raw;
  try {
    return gunzipSync(raw);
  } catch (error) {
    throw new DataValidationError({
      file,
      problem: `cannot decompress: ${(error as Error).message}`,
      expected: "a complete gzip file",
    });
  }
}

function checkHeader(spec: TableSpec, header: readonly string[], file: string): void {
  const expected = spec.columns.map((c) => c.name);
  const unknown = header.filter((h) => !expected.includes(h));
  const missing = expected.filter((e) => !header.includes(e));
  const duplicated = header.find((h, i) => header.indexOf(h) !== i);
  if (duplicated !== undefined) {
    throw new DataValidationError({
      file,
      row: 1,
      column: duplicated,
      problem: "the header names this column twice",
      expected: `the columns ${expected.join(", ")}`,
    });
  }
  if (missing.length > 0) {
    const first = missing[0]!;
    const inItsPlace = header[expected.indexOf(first)];
    const renamed = inItsPlace !== undefined && unknown.includes(inItsPlace) ? ` ('${inItsPlace}' is in its place: renamed?)` : "";
    throw new DataValidationError({
      file,
      row: 1,
      column: first,
      problem: `missing column${missing.length > 1 ? `s ${missing.map((m) => `'${m}'`).join(", ")}` : ""}${renamed}`,
      expected: `the header ${expected.join(",")}`,
    });
  }
  if (unknown.length > 0) {
    throw new DataValidationError({
      file,
      row: 1,
      column: unknown[0],
      problem: "unexpected column",
      expected: `only the columns ${expected.join(", ")}`,
    });
  }
}

function describeType(column: ColumnSpec): string {
  switch (column.type) {
    case "int":
      return "an integer";
    case "float":
      return "a number";
    case "datetime":
      return "a timestamp YYYY-MM-DD HH:MM:SS";
    case "string":
      return "text";
  }
}

function typedExpr(column: ColumnSpec): pl.Expr {
  const c = pl.col(column.name);
  switch (column.type) {
    case "int":
      return c.cast(pl.Int64, false);
    case "float":
      return c.cast(pl.Float64, false);
    case "datetime":
      // strptime yields microseconds whatever unit it is given; everything downstream uses milliseconds.
      return c.str.strptime(pl.Datetime("ms"), OLIST_DATETIME_FORMAT).cast(pl.Datetime("ms"));
    case "string":
      return c;
  }
}

function rangeDescription(column: ColumnSpec): string {
  const parts: string[] = [];
  if (column.greaterThan !== undefined) parts.push(`> ${column.greaterThan}`);
  if (column.min !== undefined) parts.push(`>= ${column.min}`);
  if (column.max !== undefined) parts.push(`<= ${column.max}`);
  return `a value ${parts.join(" and ")}`;
}

interface ValueCheck {
  readonly column: ColumnSpec;
  readonly bad: pl.Expr;
  readonly problem: string;
  readonly expected: string;
}

const typedName = (column: ColumnSpec): string => `__typed_${column.name}`;

/** The checks of one column, in the order a user should hear about them. */
function columnChecks(column: ColumnSpec): ValueCheck[] {
  const text = pl.col(column.name);
  const value = pl.col(typedName(column));
  const checks: ValueCheck[] = [];
  const add = (bad: pl.Expr, problem: string, expected: string): void => {
    checks.push({ column, bad, problem, expected });
  };
  if (!column.nullable) add(text.isNull(), "missing value", `${describeType(column)} in every row`);
  if (column.type !== "string") add(text.isNotNull().and(value.isNull()), `cannot be read as ${describeType(column)}`, describeType(column));
  if (column.type === "int" || column.type === "float") {
    add(value.isNan().or(value.isInfinite()), "not a finite number", "a finite number");
    if (column.min !== undefined) add(value.lt(column.min), "out of range", rangeDescription(column));
    if (column.greaterThan !== undefined) add(value.ltEq(column.greaterThan), "out of range", rangeDescription(column));
    if (column.max !== undefined) add(value.gt(column.max), "out of range", rangeDescription(column));
  }
  if (column.pattern) {
    add(text.isNotNull().and(text.str.contains(column.pattern.regex.source).not()), "malformed value", column.pattern.description);
  }
  if (column.values) {
    add(text.isNotNull().and(text.isIn([...column.values]).not()), "unknown value", `one of ${column.values.join(", ")}`);
  }
  return checks;
}

interface CompiledChecks {
  readonly typed: readonly pl.Expr[];
  readonly checks: readonly ValueCheck[];
  /** One expression per check: how many rows fail it. */
  readonly counters: readonly pl.Expr[];
}

// nodejs-polars spends about a millisecond of allocation and GC on every Expr it wraps, so a table's
// expressions are built once per process and reused for every file of that table.
const compiledByTable = new Map<TableSpec, CompiledChecks>();

function compiledChecks(spec: TableSpec): CompiledChecks {
  let compiled = compiledByTable.get(spec);
  if (!compiled) {
    const checks = spec.columns.flatMap(columnChecks);
    compiled = {
      typed: spec.columns.map((c) => typedExpr(c).alias(c.name)),
      checks,
      counters: checks.map((c, i) => c.bad.fillNull(false).cast(pl.UInt32).sum().alias(`c${i}`)),
    };
    compiledByTable.set(spec, compiled);
  }
  return compiled;
}

/**
 * Runs every value check of the table in one pass (counts of failing rows), then locates the first
 * failure of the first failing check, column by column in schema order.
 */
function checkValues(spec: TableSpec, raw: pl.DataFrame, typed: pl.DataFrame, rowLines: Int32Array, file: string): void {
  const both = raw.withColumns(...spec.columns.map((c) => typed.getColumn(c.name).alias(typedName(c))));
  const { checks, counters } = compiledChecks(spec);
  const counts = both.select(...counters).toRecords()[0]!;
  const failing = checks.findIndex((_, i) => Number(counts[`c${i}`]) > 0);
  if (failing < 0) return;
  const check = checks[failing]!;
  const hit = both.filter(check.bad.fillNull(false)).select(ROW_INDEX, check.column.name).head(1).toRecords()[0]!;
  throw new DataValidationError({
    file,
    row: rowLines[Number(hit[ROW_INDEX])],
    column: check.column.name,
    value: (hit[check.column.name] as string | null) ?? "",
    problem: check.problem,
    expected: check.expected,
  });
}

function checkPrimaryKey(spec: TableSpec, typed: pl.DataFrame, rowLines: Int32Array, file: string): void {
  if (spec.primaryKey.length === 0) return;
  const key =
    spec.primaryKey.length === 1
      ? pl.col(spec.primaryKey[0]!).cast(pl.Utf8)
      : pl.concatString(spec.primaryKey.map((k) => pl.col(k).cast(pl.Utf8)), "|");
  const keys = typed.select(key.alias("__key")).withRowIndex(ROW_INDEX);
  const repeats = keys.filter(pl.col("__key").isFirstDistinct().not()).head(1).toRecords()[0];
  if (!repeats) return;
  const value = String(repeats["__key"]);
  const first = keys.filter(pl.col("__key").eq(pl.lit(value))).head(1).toRecords()[0]!;
  throw new DataValidationError({
    file,
    row: rowLines[Number(repeats[ROW_INDEX])],
    column: spec.primaryKey.join(" + "),
    value,
    problem: `duplicate key (first seen on row ${rowLines[Number(first[ROW_INDEX])]})`,
    expected: `unique ${spec.primaryKey.join(" + ")}`,
  });
}

/** Parse CSV bytes that passed scanCsv: every column as text, in file order. */
function parseText(layout: CsvLayout, file: string): pl.DataFrame {
  const frame = pl.readCSV(layout.body, {
    hasHeader: true,
    inferSchemaLength: 0,
    quoteChar: '"',
    sep: ",",
    rechunk: true,
  });
  if (frame.height !== layout.recordCount) {
    throw new DataValidationError({
      file,
      problem: `the CSV parser read ${frame.height} rows where ${layout.recordCount} records were found`,
      expected: "standard CSV quoting (RFC 4180)",
    });
  }
  // The scan reads the header itself; polars may keep a BOM or quotes differently, so name columns from it.
  return frame.rename(Object.fromEntries(frame.columns.map((c, i) => [c, layout.header[i]!])));
}

/** Read, check and type one Olist table from raw bytes. Throws DataValidationError on the first problem. */
export function loadTableFromBytes(spec: TableSpec, bytes: Buffer, path = spec.file): LoadedTable {
  const file = basename(path); // errors name the file read: `.csv.gz` when that is what the folder holds
  const layout = scanCsv(bytes, file);
  checkHeader(spec, layout.header, file);
  if (layout.recordCount === 0) {
    throw new DataValidationError({ file, row: 2, problem: "the file has a header but no data rows", expected: "at least one data row" });
  }
  const raw = parseText(layout, file).withRowIndex(ROW_INDEX);
  const typed = raw.select(...compiledChecks(spec).typed);
  checkValues(spec, raw, typed, layout.recordLines, file);
  checkPrimaryKey(spec, typed, layout.recordLines, file);
  return { spec, path, frame: typed, rowLines: layout.recordLines };
}

/** Read one Olist table from `dir` (`.csv` or `.csv.gz`). */
export function loadTable(dir: string, spec: TableSpec): LoadedTable {
  const path = resolveTablePath(dir, spec);
  if (!path) {
    throw new DataValidationError({
      file: spec.file,
      problem: `file not found in ${dir}`,
      expected: `${spec.file} (or ${spec.file}.gz) from the Olist dataset, or run \`npx retail-intel sample --out ${dir}\``,
    });
  }
  return loadTableFromBytes(spec, readBytes(path, basename(path)), path);
}
