/**
 * Holidays in Prophet's table form (`ds, holiday, lower_window, upper_window`) and their expansion into
 * Prophet's holiday features.
 *
 * Prophet (`make_holiday_features` in forecaster.py) makes one 0/1 feature column per holiday name and
 * day offset in its window: `<holiday>_delim_<+|-><|offset|>` is 1 on every history date whose calendar
 * day is a holiday date plus the offset, and all occurrences of a name share that column (and its beta).
 * A holiday's component is the sum of its columns; `holidays` sums all of them.
 *
 * augurs takes holidays as `Map<name, { occurrences: [{ start, end }] }>` (Unix seconds, no windows) and
 * makes one column per name. So each (holiday, offset) pair becomes one augurs holiday named like
 * Prophet's column, with a one-day occurrence per date; the wrapper sums them back per holiday.
 */
import { DataValidationError } from "../io/data-validation-error.js";
import { isBlankRecord, parseCsvRecords } from "../io/csv-records.js";
import { holidayRules, MS_PER_DAY } from "./holiday-calendars.js";

export { easterSunday, nthWeekdayOfMonth, BR_HOLIDAY_RULES, BR_RETAIL_EXTRA_RULES, BLACK_FRIDAY_WINDOW, MOTHERS_DAY_WINDOW } from "./holiday-calendars.js";
export type { HolidayRule } from "./holiday-calendars.js";

/** One row of Prophet's holiday table: the holiday is felt from ds + lowerWindow to ds + upperWindow days. */
export interface HolidayRow {
  ds: Date;
  holiday: string;
  /** ≤ 0 */
  lowerWindow: number;
  /** ≥ 0 */
  upperWindow: number;
}

/** The holiday settings ProphetConfig accepts. */
export type HolidaysSetting = "none" | "BR" | "BR-retail" | readonly HolidayRow[];

/** Names Prophet reserves for its own columns (`validate_column_name`); a holiday cannot use them. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  "ds", "y", "cap", "floor", "y_scaled", "cap_scaled", "t", "trend", "seasonal", "seasonalities", "daily", "weekly", "yearly",
  "holidays", "zeros", "extra_regressors_additive", "yhat", "extra_regressors_multiplicative", "additive_terms",
  "multiplicative_terms",
  ...["trend", "yhat", "additive_terms", "multiplicative_terms", "holidays", "weekly", "yearly", "daily"].flatMap((c) => [`${c}_lower`, `${c}_upper`]),
]);

/** Prophet's feature column name for a holiday and a day offset: `Christmas_delim_+0`, `Black Friday_delim_-1`. */
export function holidayFeatureName(holiday: string, offset: number): string {
  return `${holiday}_delim_${offset >= 0 ? "+" : "-"}${Math.abs(offset)}`;
}

/** The holiday name of a feature column made by `holidayFeatureName`. */
export function holidayOfFeature(feature: string): string {
  const at = feature.lastIndexOf("_delim_");
  return at < 0 ? feature : feature.slice(0, at);
}

/**
 * Brazil's holidays for the years fromYear..toYear (inclusive), sorted by date then name.
 * `BR` is R Prophet 1.0's list (8 fixed dates, no windows); `BR-retail` adds Carnival, Good Friday,
 * Corpus Christi, Black Friday (window -1..+3) and Mother's Day (window -3..0); see holiday-calendars.ts.
 */
export function brazilHolidays(kind: "BR" | "BR-retail", fromYear: number, toYear: number): HolidayRow[] {
  if (kind !== "BR" && kind !== "BR-retail") throw new RangeError(`brazilHolidays: kind must be "BR" or "BR-retail", got ${JSON.stringify(kind)}`);
  if (!Number.isInteger(fromYear) || !Number.isInteger(toYear) || fromYear > toYear || fromYear < 1583) {
    throw new RangeError(`brazilHolidays: expected Gregorian years fromYear <= toYear, got ${fromYear}..${toYear}`);
  }
  const rows: HolidayRow[] = [];
  for (let year = fromYear; year <= toYear; year++) {
    for (const rule of holidayRules(kind)) {
      rows.push({ ds: rule.date(year), holiday: rule.name, lowerWindow: rule.lowerWindow, upperWindow: rule.upperWindow });
    }
  }
  return rows.sort((a, b) => a.ds.getTime() - b.ds.getTime() || (a.holiday < b.holiday ? -1 : a.holiday > b.holiday ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------------------
// CSV

const CSV_COLUMNS = ["ds", "holiday", "lower_window", "upper_window"] as const;


const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?(?:Z|\+00:?00)?)?$/;

function parseDay(text: string): Date | undefined {
  const match = DATE_RE.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date;
}

function parseWindow(text: string, file: string, row: number, column: "lower_window" | "upper_window"): number {
  const trimmed = text.trim();
  const sign = column === "lower_window" ? "<= 0" : ">= 0";
  if (trimmed === "") return 0;
  // Prophet's tables often come from pandas, which writes integers as "-1.0".
  const value = /^[+-]?\d+(\.0+)?$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!Number.isInteger(value)) {
    throw new DataValidationError({ file, row, column, value: text, problem: "not a whole number of days", expected: `an integer ${sign}` });
  }
  if (column === "lower_window" ? value > 0 : value < 0) {
    throw new DataValidationError({ file, row, column, value: text, problem: `the window must be ${sign}`, expected: `an integer ${sign} (days ${column === "lower_window" ? "before" : "after"} the holiday)` });
  }
  return value === 0 ? 0 : value;
}

/**
 * Parses a holiday table in Prophet's CSV form: columns `ds` (YYYY-MM-DD), `holiday`, and optionally
 * `lower_window` (≤ 0) and `upper_window` (≥ 0), both or neither (missing = 0). Throws DataValidationError
 * naming the file, line (header = line 1) and column of the first problem.
 */
export function parseHolidaysCsv(text: string, file: string): HolidayRow[] {
  const records = parseCsvRecords(text, file).filter((r) => !isBlankRecord(r));
  const header = records[0];
  if (header === undefined) {
    throw new DataValidationError({ file, problem: "the file is empty", expected: `a header ${CSV_COLUMNS.join(",")} and one row per holiday date` });
  }
  const names = header.fields.map((f) => f.trim());
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    if (index.has(name)) throw new DataValidationError({ file, row: 1, column: name, problem: "the column appears twice in the header" });
    index.set(name, i);
  });
  for (const required of ["ds", "holiday"] as const) {
    if (!index.has(required)) {
      throw new DataValidationError({ file, row: 1, column: required, problem: "missing column", value: header.fields.join(","), expected: `a header with ${CSV_COLUMNS.join(",")}` });
    }
  }
  for (const name of names) {
    if (name === "prior_scale") {
      throw new DataValidationError({ file, row: 1, column: name, problem: "per-holiday prior scales are not supported", expected: `columns ${CSV_COLUMNS.join(",")} (the prior scale is holidaysPriorScale)` });
    }
    if (!(CSV_COLUMNS as readonly string[]).includes(name)) {
      throw new DataValidationError({ file, row: 1, column: name, problem: "unknown column", expected: `columns ${CSV_COLUMNS.join(",")}` });
    }
  }
  if (index.has("lower_window") !== index.has("upper_window")) {
    const missing = index.has("lower_window") ? "upper_window" : "lower_window";
    throw new DataValidationError({ file, row: 1, column: missing, problem: "missing column", expected: "both lower_window and upper_window, or neither" });
  }
  const rows: HolidayRow[] = [];
  for (const record of records.slice(1)) {
    const { line, fields } = record;
    if (fields.length !== names.length) {
      throw new DataValidationError({ file, row: line, problem: `${fields.length} fields where the header has ${names.length}`, value: fields.join(","), expected: names.join(",") });
    }
    const get = (column: string): string => fields[index.get(column)!]!;
    const dsText = get("ds");
    const ds = parseDay(dsText);
    if (ds === undefined) throw new DataValidationError({ file, row: line, column: "ds", value: dsText, problem: "not a calendar date", expected: "YYYY-MM-DD" });
    const holiday = get("holiday").trim();
    if (holiday === "") throw new DataValidationError({ file, row: line, column: "holiday", value: get("holiday"), problem: "empty holiday name", expected: "a name like Christmas" });
    const nameProblem = holidayNameProblem(holiday);
    if (nameProblem) throw new DataValidationError({ file, row: line, column: "holiday", value: holiday, problem: nameProblem, expected: "another name" });
    const lowerWindow = index.has("lower_window") ? parseWindow(get("lower_window"), file, line, "lower_window") : 0;
    const upperWindow = index.has("upper_window") ? parseWindow(get("upper_window"), file, line, "upper_window") : 0;
    rows.push({ ds, holiday, lowerWindow, upperWindow });
  }
  if (rows.length === 0) throw new DataValidationError({ file, problem: "no holiday rows after the header", expected: "one row per holiday date" });
  return rows;
}

/** Why a holiday name cannot be used (Prophet's rules), or undefined. */
export function holidayNameProblem(name: string): string | undefined {
  if (name.includes("_delim_")) return "a holiday name cannot contain '_delim_' (Prophet uses it in feature names)";
  if (RESERVED_NAMES.has(name)) return `'${name}' is a name Prophet reserves for its own columns`;
  return undefined;
}

/** Checks a holiday table given in code; throws RangeError naming the first bad row. */
export function validateHolidayRows(rows: readonly HolidayRow[]): void {
  rows.forEach((row, i) => {
    const where = `holidays[${i}] (${JSON.stringify(row.holiday)})`;
    if (!(row.ds instanceof Date) || Number.isNaN(row.ds.getTime())) throw new RangeError(`${where}: ds is not a valid Date`);
    if (typeof row.holiday !== "string" || row.holiday.trim() === "") throw new RangeError(`${where}: holiday must be a non-empty name`);
    const problem = holidayNameProblem(row.holiday);
    if (problem) throw new RangeError(`${where}: ${problem}`);
    if (!Number.isInteger(row.lowerWindow) || row.lowerWindow > 0) throw new RangeError(`${where}: lowerWindow must be an integer <= 0, got ${row.lowerWindow}`);
    if (!Number.isInteger(row.upperWindow) || row.upperWindow < 0) throw new RangeError(`${where}: upperWindow must be an integer >= 0, got ${row.upperWindow}`);
  });
}

// ---------------------------------------------------------------------------------------------------------
// Expansion into features

/** One Prophet holiday feature: a holiday, a day offset, and the UTC days (ms at midnight) it is 1 on. */
export interface HolidayFeature {
  readonly name: string;
  readonly holiday: string;
  readonly offset: number;
  readonly days: readonly number[];
}

/** UTC midnight (ms) of the calendar day of an instant. */
export function utcDay(ms: number): number {
  return Math.floor(ms / MS_PER_DAY) * MS_PER_DAY;
}

/**
 * Prophet's holiday features of a table: one per (holiday, offset) in the rows' windows, named like
 * Prophet's columns, in Prophet's column order (sorted by name). A row's date counts by its UTC calendar day.
 */
export function expandHolidayWindows(rows: readonly HolidayRow[]): HolidayFeature[] {
  const byName = new Map<string, { holiday: string; offset: number; days: Set<number> }>();
  for (const row of rows) {
    const day = utcDay(row.ds.getTime());
    for (let offset = row.lowerWindow; offset <= row.upperWindow; offset++) {
      const name = holidayFeatureName(row.holiday, offset);
      let feature = byName.get(name);
      if (feature === undefined) {
        feature = { holiday: row.holiday, offset, days: new Set() };
        byName.set(name, feature);
      }
      feature.days.add(day + offset * MS_PER_DAY);
    }
  }
  return [...byName.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, f]) => ({ name, holiday: f.holiday, offset: f.offset, days: [...f.days].sort((a, b) => a - b) }));
}

/** augurs' holiday map for the features: each a one-day occurrence [00:00, 24:00) UTC per date, in Unix seconds. */
export function toAugursHolidays(features: readonly HolidayFeature[]): Map<string, { occurrences: { start: number; end: number }[] }> {
  return new Map(
    features.map((f) => [f.name, { occurrences: f.days.map((day) => ({ start: day / 1000, end: (day + MS_PER_DAY) / 1000 })) }]),
  );
}

/** The 0/1 column of a holiday feature on the given instants (ms): 1 where the instant's UTC day is one of its days. */
export function holidayIndicator(feature: HolidayFeature, instantsMs: ArrayLike<number>): Float64Array {
  const days = new Set(feature.days);
  const column = new Float64Array(instantsMs.length);
  for (let i = 0; i < instantsMs.length; i++) column[i] = days.has(utcDay(instantsMs[i]!)) ? 1 : 0;
  return column;
}

/**
 * The holiday table a setting stands for. For "BR"/"BR-retail" the table spans the given years (the
 * wrapper passes the history's first year to 30 years after its last, so future dates keep their holidays).
 */
export function holidayRowsFor(setting: HolidaysSetting, fromYear: number, toYear: number): HolidayRow[] {
  if (setting === "none") return [];
  if (setting === "BR" || setting === "BR-retail") return brazilHolidays(setting, fromYear, toYear);
  if (!Array.isArray(setting)) throw new RangeError(`holidays must be "none", "BR", "BR-retail" or an array of HolidayRow, got ${JSON.stringify(setting)}`);
  validateHolidayRows(setting);
  return setting.map((r) => ({ ds: new Date(r.ds.getTime()), holiday: r.holiday, lowerWindow: r.lowerWindow, upperWindow: r.upperWindow }));
}
