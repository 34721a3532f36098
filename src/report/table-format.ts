import { escapeHtml } from "./html-escape.js";
import { MS_PER_DAY } from "../io/time.js";

/**
 * Rows of records as an HTML table and as a fixed-width text table, for notebook output. Columns are the
 * union of the rows' keys in order of first appearance; numbers are right-aligned and formatted with
 * thousands separators (en-US), dates as ISO, missing values as "—".
 */

export interface TableOptions {
  /** Shown above the table. */
  readonly title?: string;
  /** Rows shown at most (default 20); a note says how many were left out. */
  readonly maxRows?: number;
}

export const DEFAULT_MAX_ROWS = 20;
const MISSING = "—";

const integerFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const decimalFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const smallFormat = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 3 });

/** One value as table text: 1234567 -> "1,234,567", 0.012345 -> "0.0123", 12.345 -> "12.35". */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return MISSING;
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return value > 0 ? "∞" : "-∞";
    if (Number.isInteger(value)) return integerFormat.format(value);
    return Math.abs(value) >= 1 ? decimalFormat.format(value) : smallFormat.format(value);
  }
  if (typeof value === "bigint") return integerFormat.format(value);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return "Invalid Date";
    const iso = value.toISOString();
    return value.getTime() % MS_PER_DAY === 0 ? iso.slice(0, 10) : iso.replace("T", " ").replace(/\.000Z$/, "Z");
  }
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return String(value);
  return JSON.stringify(value) ?? String(value);
}

function isNumeric(value: unknown): boolean {
  return typeof value === "number" || typeof value === "bigint";
}

interface Prepared {
  readonly columns: string[];
  readonly shown: readonly Record<string, unknown>[];
  readonly numeric: ReadonlySet<string>;
  readonly omitted: number;
}

function prepare(rows: readonly Record<string, unknown>[], maxRows: number | undefined): Prepared {
  const limit = maxRows ?? DEFAULT_MAX_ROWS;
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`maxRows must be a non-negative integer, got ${limit}`);
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  const shown = rows.slice(0, limit);
  // A column is numeric when every present value in the shown rows is a number.
  const numeric = new Set(
    columns.filter((c) => {
      const present = shown.map((r) => r[c]).filter((v) => v !== null && v !== undefined);
      return present.length > 0 && present.every(isNumeric);
    }),
  );
  return { columns, shown, numeric, omitted: rows.length - shown.length };
}

function omittedNote(p: Prepared, total: number): string | undefined {
  return p.omitted > 0 ? `showing ${integerFormat.format(p.shown.length)} of ${integerFormat.format(total)} rows` : undefined;
}

/** The rows as an HTML table (escaped), with an optional title and a note when rows were left out. */
export function renderTableHtml(rows: readonly Record<string, unknown>[], options: TableOptions = {}): string {
  const p = prepare(rows, options.maxRows);
  const cell = (tag: "th" | "td", column: string, text: string): string =>
    `<${tag}${p.numeric.has(column) ? ' style="text-align:right"' : ' style="text-align:left"'}>${escapeHtml(text)}</${tag}>`;
  // tex2jax_ignore: the MathJax that nbconvert's HTML loads would typeset text between two "R$" as LaTeX.
  const parts: string[] = ['<table class="retail-intel-table tex2jax_ignore" style="border-collapse:collapse;font-variant-numeric:tabular-nums">'];
  if (options.title !== undefined) parts.push(`<caption style="text-align:left;font-weight:bold;padding:4px 0">${escapeHtml(options.title)}</caption>`);
  parts.push(`<thead><tr>${p.columns.map((c) => cell("th", c, c)).join("")}</tr></thead>`);
  parts.push("<tbody>");
  for (const row of p.shown) parts.push(`<tr>${p.columns.map((c) => cell("td", c, formatCell(row[c]))).join("")}</tr>`);
  parts.push("</tbody></table>");
  if (rows.length === 0) parts.push('<p style="color:#555;font-size:90%">(no rows)</p>');
  const note = omittedNote(p, rows.length);
  if (note) parts.push(`<p style="color:#555;font-size:90%">${escapeHtml(note)}</p>`);
  return parts.join("");
}

/** The rows as a fixed-width text table (for text/plain output and logs). */
export function renderTableText(rows: readonly Record<string, unknown>[], options: TableOptions = {}): string {
  const p = prepare(rows, options.maxRows);
  const body = p.shown.map((row) => p.columns.map((c) => formatCell(row[c])));
  const widths = p.columns.map((c, i) => Math.max(c.length, ...body.map((r) => r[i]!.length)));
  const pad = (text: string, i: number): string => {
    const column = p.columns[i]!;
    return p.numeric.has(column) ? text.padStart(widths[i]!) : text.padEnd(widths[i]!);
  };
  const lines: string[] = [];
  if (options.title !== undefined) lines.push(options.title);
  lines.push(p.columns.map(pad).join("  ").trimEnd());
  lines.push(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of body) lines.push(r.map(pad).join("  ").trimEnd());
  if (rows.length === 0) lines.push("(no rows)");
  const note = omittedNote(p, rows.length);
  if (note) lines.push(`(${note})`);
  return lines.join("\n");
}
