/**
 * Reads a series for forecasting from CSV text in Prophet's shape: a `ds` column (dates) and a `y`
 * column (numbers; empty, NA, NaN and pandas' other missing-value texts = missing), in any order,
 * other columns ignored. Problems are reported as
 * `DataValidationError`s naming file, editor line (header = line 1), column and value.
 */
import { DataValidationError } from "../io/data-validation-error.js";
import { isBlankRecord, parseCsvRecords } from "../io/csv-records.js";

export interface SeriesInputOptions {
  /** The series will be fitted in log space (log1p): a negative y is then an error. */
  log?: boolean;
}

export interface ParsedSeries {
  ds: Date[];
  y: (number | null)[];
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

const EXPECTED_DS = "a date YYYY-MM-DD, or YYYY-MM-DD HH:MM[:SS] / ISO 8601 with T and optional Z (read as UTC)";

/**
 * Milliseconds since the epoch of a `ds` text read as UTC, or a reason it cannot be read.
 * Offsets other than Z are refused, like Prophet refuses time-zone-aware ds.
 */
export function parseDs(text: string): number | string {
  const m = DATE_TIME.exec(text);
  if (m === null) return "unparsable date";
  const [, ys, mos, ds, hs, mis, ss, frac, zone] = m;
  if (zone !== undefined && zone !== "Z") return "time zone offsets are not supported (convert to UTC)";
  if (hs === undefined && zone !== undefined) return "unparsable date";
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  const hour = Number(hs ?? 0);
  const minute = Number(mis ?? 0);
  const second = Number(ss ?? 0);
  const ms = frac === undefined ? 0 : Math.round(Number(`0.${frac}`) * 1000);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return "no such date or time";
  const t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const check = new Date(t);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return "no such date";
  return t;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Texts that mean "no value": pandas' default na_values, what Prophet's users load their CSVs with
 * (an empty field, NA, NaN, null, None, N/A, ...). Infinities and other text stay errors.
 */
export const MISSING_Y_TEXTS: ReadonlySet<string> = new Set(["", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"]);

/**
 * Parses Prophet-style series CSV text (`ds`, `y`) into dates (UTC) and values sorted by date;
 * an empty, NA or NaN y is a missing value (null). A leading BOM, CRLF line ends and quoted fields are fine.
 *
 * Throws `DataValidationError` for: a missing `ds` or `y` column (or one named twice), a record
 * with too few fields, an unparsable ds, a duplicate ds (naming the row it repeats), a y that is not
 * a finite number, fewer than 2 non-missing y, and (with `log: true`) a negative y.
 */
export function parseSeriesCsv(text: string, file: string, options: SeriesInputOptions = {}): ParsedSeries {
  const records = parseCsvRecords(text, file);
  const header = records[0];
  if (header === undefined) {
    throw new DataValidationError({ file, problem: "the file is empty", expected: "a header line with columns ds and y, then data rows" });
  }
  if (isBlankRecord(header)) {
    throw new DataValidationError({ file, row: 1, problem: "the header line is blank", expected: "a header line with columns ds and y" });
  }
  const names = header.fields.map((f) => f.trim());
  const columnIndex = (column: "ds" | "y"): number => {
    const index = names.indexOf(column);
    if (index < 0) {
      throw new DataValidationError({
        file,
        row: 1,
        column,
        value: names.join(","),
        problem: `missing column '${column}'`,
        expected: "a header with columns ds and y (Prophet's names, lower case)",
      });
    }
    if (names.indexOf(column, index + 1) >= 0) {
      throw new DataValidationError({ file, row: 1, column, value: names.join(","), problem: `column '${column}' appears twice`, expected: "each column once" });
    }
    return index;
  };
  const dsIndex = columnIndex("ds");
  const yIndex = columnIndex("y");

  const rows: { t: number; ds: Date; y: number | null }[] = [];
  const lineOfTime = new Map<number, number>();
  let observed = 0;
  for (const record of records.slice(1)) {
    const { line, fields } = record;
    if (isBlankRecord(record)) {
      throw new DataValidationError({ file, row: line, problem: "blank line between data rows", expected: "one record per line" });
    }
    if (fields.length < names.length) {
      throw new DataValidationError({
        file,
        row: line,
        column: names[fields.length],
        problem: `the row has ${fields.length} fields, the header ${names.length}`,
        expected: `${names.length} comma-separated fields`,
      });
    }
    const dsText = fields[dsIndex]!.trim();
    const t = parseDs(dsText);
    if (typeof t === "string") {
      throw new DataValidationError({ file, row: line, column: "ds", value: dsText, problem: t, expected: EXPECTED_DS });
    }
    const firstLine = lineOfTime.get(t);
    if (firstLine !== undefined) {
      throw new DataValidationError({
        file,
        row: line,
        column: "ds",
        value: dsText,
        problem: `duplicate ds: the same date and time as row ${firstLine}`,
        expected: "each ds once (aggregate the rows of a day before forecasting)",
      });
    }
    lineOfTime.set(t, line);

    const yText = fields[yIndex]!.trim();
    let y: number | null = null;
    if (!MISSING_Y_TEXTS.has(yText)) {
      y = NUMBER.test(yText) ? Number(yText) : Number.NaN;
      if (!Number.isFinite(y)) {
        throw new DataValidationError({
          file,
          row: line,
          column: "y",
          value: yText,
          problem: NUMBER.test(yText) ? "the number is too large" : "not a number",
          expected: "a finite decimal number, or an empty field / NA / NaN for a missing value",
        });
      }
      if (options.log === true && y < 0) {
        throw new DataValidationError({
          file,
          row: line,
          column: "y",
          value: yText,
          problem: "negative y cannot be fitted in log space",
          expected: "y ≥ 0 when the series is log-transformed (log1p), or turn the log transform off",
        });
      }
      observed++;
    }
    rows.push({ t, ds: new Date(t), y });
  }
  if (observed < 2) {
    throw new DataValidationError({
      file,
      column: "y",
      problem: `only ${observed} row(s) with a y value (${rows.length} data rows)`,
      expected: "at least 2 rows with a y value to fit a model",
    });
  }
  rows.sort((a, b) => a.t - b.t);
  return { ds: rows.map((r) => r.ds), y: rows.map((r) => r.y) };
}
