import { columnNames, type TableName } from "../olist-schema.js";

/**
 * CSV text in the style of the Kaggle Olist files:
 * - header: every column name double-quoted, comma-separated; LF line endings and a final newline;
 * - strings are double-quoted when they start with a digit (ids like "3442f8...", zips like "04195") or
 *   contain a comma, quote, CR or LF (inner quotes doubled); other strings are bare (credit_card, sao paulo);
 * - numbers and timestamps are bare (`2017-10-02 10:56:33`: timestamps are not quoted in the real files
 *   although they start with a digit); money always has two decimals (`99.33`, `20.00`); null is an empty field.
 * The category translation file is the exception (see `renderTranslationCsv`).
 */

const NEEDS_QUOTES = /[",\r\n]/;

/** A string cell: quoted when it starts with a digit or holds a comma, quote, CR or LF. */
export function str(value: string | null): string {
  if (value === null) return "";
  if (NEEDS_QUOTES.test(value)) return `"${value.includes('"') ? value.replace(/"/g, '""') : value}"`;
  const first = value.charCodeAt(0);
  return first >= 48 && first <= 57 ? `"${value}"` : value;
}

/** An integer cell. */
export function int(value: number | null): string {
  return value === null ? "" : String(value);
}

/** A money cell from integer cents: always two decimals, as in the real files (`20.00`, `99.33`). */
export function money(cents: number): string {
  const whole = Math.floor(cents / 100);
  const rest = cents - whole * 100;
  return `${whole}.${rest < 10 ? "0" : ""}${rest}`;
}

/** A float cell with full precision (shortest round-trip form, like `-23.54562128115268`). */
export function float(value: number): string {
  return String(value);
}

const dayText = new Map<number, string>();
let timeText: string[] | undefined;

/** `HH:MM:SS` for every second of a day, built once. */
function timesOfDay(): string[] {
  if (!timeText) {
    const two = (x: number): string => String(x).padStart(2, "0");
    timeText = new Array<string>(86_400);
    for (let r = 0; r < 86_400; r++) timeText[r] = `${two(Math.floor(r / 3600))}:${two(Math.floor(r / 60) % 60)}:${two(r % 60)}`;
  }
  return timeText;
}

/** `YYYY-MM-DD HH:MM:SS` for a time in seconds since the epoch (naive local time, computed as UTC). */
export function datetime(seconds: number | null): string {
  if (seconds === null) return "";
  const t = Math.floor(seconds);
  const day = Math.floor(t / 86_400);
  let date = dayText.get(day);
  if (date === undefined) {
    date = `${new Date(day * 86_400_000).toISOString().slice(0, 10)} `;
    dayText.set(day, date);
  }
  return date + timesOfDay()[t - day * 86_400]!;
}

/**
 * Rows of a file, joined in chunks as they come: joining early flattens each row's short-lived string
 * pieces while they are young, which keeps garbage collection cheap on large files.
 */
export class CsvRows {
  private readonly chunks: string[] = [];
  private current: string[] = [];
  private rows = 0;

  push(row: string): void {
    this.current.push(row);
    this.rows++;
    if (this.current.length === 4096) {
      this.chunks.push(this.current.join("\n"));
      this.current = [];
    }
  }

  get count(): number {
    return this.rows;
  }

  /** The rows joined with LF (no trailing newline). */
  body(): string {
    if (this.current.length > 0) {
      this.chunks.push(this.current.join("\n"));
      this.current = [];
    }
    return this.chunks.join("\n");
  }
}

/** A whole file: quoted header line from the schema, then the rows, LF endings and a final newline. */
export function renderCsv(table: TableName, rows: CsvRows): string {
  const header = columnNames(table)
    .map((name) => `"${name}"`)
    .join(",");
  return rows.count === 0 ? `${header}\n` : `${header}\n${rows.body()}\n`;
}

/**
 * product_category_name_translation.csv as Kaggle ships it: UTF-8 BOM, unquoted header, CRLF line
 * endings, no final newline.
 */
export function renderTranslationCsv(pairs: readonly (readonly [string, string])[]): string {
  const lines = [columnNames("category_translation").join(","), ...pairs.map(([pt, en]) => `${str(pt)},${str(en)}`)];
  return `\uFEFF${lines.join("\r\n")}`;
}
