import { MS_PER_DAY } from "../io/time.js";

/** A forecast as CSV with Prophet's column names, for the CLI and MLflow artifacts. */

export interface ForecastColumns {
  readonly ds: readonly Date[];
  readonly yhat: readonly number[];
  readonly yhat_lower: readonly number[];
  readonly yhat_upper: readonly number[];
  /** Prophet's trend; models without one leave it out (and the column with it). */
  readonly trend?: readonly number[];
  readonly trend_lower?: readonly number[];
  readonly trend_upper?: readonly number[];
  readonly additive_terms?: readonly number[];
  readonly multiplicative_terms?: readonly number[];
  readonly components?: Readonly<Record<string, readonly number[]>>;
}

/** `YYYY-MM-DD` when every ds is at midnight UTC, else `YYYY-MM-DD HH:MM:SS` (Prophet's two styles). */
export function formatDs(dates: readonly Date[]): string[] {
  const daily = dates.every((d) => d.getTime() % MS_PER_DAY === 0);
  return dates.map((d) => (daily ? d.toISOString().slice(0, 10) : d.toISOString().replace("T", " ").slice(0, 19)));
}

/** Shortest text that reads back to the same double (JS number formatting); NaN and infinities as Python writes them. */
function formatNumber(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  return String(x);
}

/**
 * Columns in the order of Prophet's `predict` output: ds, trend, yhat_lower, yhat_upper, trend_lower,
 * trend_upper, additive_terms, multiplicative_terms, then each component (weekly, yearly, holidays, ...),
 * then yhat.
 */
export function formatForecastCsv(f: ForecastColumns): string {
  const columns: [string, readonly number[]][] = [...(f.trend ? [["trend", f.trend] as [string, readonly number[]]] : []), ["yhat_lower", f.yhat_lower], ["yhat_upper", f.yhat_upper]];
  if (f.trend_lower && f.trend_upper) columns.push(["trend_lower", f.trend_lower], ["trend_upper", f.trend_upper]);
  if (f.additive_terms) columns.push(["additive_terms", f.additive_terms]);
  if (f.multiplicative_terms) columns.push(["multiplicative_terms", f.multiplicative_terms]);
  for (const [name, values] of Object.entries(f.components ?? {})) {
    if (!columns.some(([c]) => c === name)) columns.push([name, values]);
  }
  columns.push(["yhat", f.yhat]);
  for (const [name, values] of columns) {
    if (values.length !== f.ds.length) throw new Error(`forecast column '${name}' has ${values.length} values for ${f.ds.length} dates`);
  }
  const ds = formatDs(f.ds);
  const header = (name: string): string => (/[",\r\n]/.test(name) ? `"${name.replace(/"/g, '""')}"` : name);
  const lines = [["ds", ...columns.map(([name]) => header(name))].join(",")];
  for (let i = 0; i < ds.length; i++) lines.push([ds[i], ...columns.map(([, values]) => formatNumber(values[i]!))].join(","));
  return `${lines.join("\n")}\n`;
}
