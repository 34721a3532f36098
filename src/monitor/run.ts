import pl from "nodejs-polars";
import type { LoadedOlist } from "../data/load-olist.js";
import {
  DEFAULT_QUALITY_CONFIG,
  duplicateOrderIdCheck,
  freshnessCheck,
  isoDay,
  missingValuesCheck,
  MS_PER_DAY,
  priceOutlierCheck,
  worstStatus,
  type CheckResult,
  type CheckStatus,
  type ColumnMissing,
  type QualityConfig,
} from "./checks.js";
import {
  DEFAULT_DRIFT_CONFIG,
  dataEndMs,
  dayNumber,
  driftChecks,
  driftReport,
  orderObservationsFromFacts,
  type DriftConfig,
  type DriftReport,
} from "./drift.js";

/** Where the monitor's reference date comes from: the data's own end (default), now, or a day (YYYY-MM-DD). */
export type AsOf = "data-end" | "now" | string;

export interface MonitorOptions {
  readonly asOf?: AsOf;
  readonly quality?: QualityConfig;
  readonly drift?: DriftConfig;
  /** Clock for asOf "now" (tests). */
  readonly now?: () => number;
}

export interface TableMissing {
  readonly table: string;
  readonly rows: number;
  readonly columns: readonly ColumnMissing[];
}

/** Everything the monitor reads, already extracted from raw tables or processed files. */
export interface MonitorInputs {
  readonly source: string;
  readonly orderFacts: pl.DataFrame;
  readonly missing: readonly TableMissing[];
  /** Item prices (order_items.price); undefined when not available. */
  readonly itemPrices: readonly number[] | undefined;
  /** order_id of every order row. */
  readonly orderIds: readonly string[];
}

export interface MonitorReport {
  readonly source: string;
  readonly asOf: string;
  readonly asOfBasis: string;
  readonly checks: readonly CheckResult[];
  readonly drift: DriftReport;
  readonly status: CheckStatus;
}

export function missingOfFrame(table: string, frame: pl.DataFrame): TableMissing {
  const nulls = (frame.nullCount().toRecords()[0] ?? {}) as Record<string, unknown>;
  return { table, rows: frame.height, columns: frame.columns.map((c) => ({ column: c, missing: Number(nulls[c] ?? 0) })) };
}

/** The monitor's inputs from validated raw tables and the order facts built from them. */
export function inputsFromOlist(olist: LoadedOlist, orderFacts: pl.DataFrame, source: string): MonitorInputs {
  const tables = Object.entries(olist.tables).filter(([name]) => name !== "geolocation" && name !== "category_translation");
  return {
    source,
    orderFacts,
    missing: tables.map(([name, t]) => missingOfFrame(name, t.frame)),
    itemPrices: olist.tables.order_items.frame.getColumn("price").toArray() as number[],
    orderIds: olist.tables.orders.frame.getColumn("order_id").toArray() as string[],
  };
}

/** The monitor's inputs from processed tables (order_facts; order_item_facts for item prices, if given). */
export function inputsFromProcessed(orderFacts: pl.DataFrame, orderItemFacts: pl.DataFrame | undefined, source: string): MonitorInputs {
  return {
    source,
    orderFacts,
    missing: [missingOfFrame("order_facts", orderFacts)],
    itemPrices: orderItemFacts ? (orderItemFacts.getColumn("price").toArray() as number[]) : undefined,
    orderIds: orderFacts.getColumn("order_id").toArray() as string[],
  };
}

function resolveAsOf(asOf: AsOf, dataEnd: number, now: () => number): { referenceMs: number; basis: string } {
  if (asOf === "data-end") return { referenceMs: dataEnd, basis: "data end" };
  if (asOf === "now") return { referenceMs: now(), basis: "now" };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`))) {
    throw new Error(`as-of must be 'data-end', 'now' or a date YYYY-MM-DD, got '${asOf}'`);
  }
  // the end of the given day
  return { referenceMs: Date.parse(`${asOf}T00:00:00Z`) + MS_PER_DAY - 1, basis: "as of" };
}

/** Runs every check: data quality, freshness, monthly and weekly drift, monthly revenue. */
export function runMonitor(inputs: MonitorInputs, options: MonitorOptions = {}): MonitorReport {
  const quality = options.quality ?? DEFAULT_QUALITY_CONFIG;
  const driftConfig = options.drift ?? DEFAULT_DRIFT_CONFIG;
  const { referenceMs, basis } = resolveAsOf(options.asOf ?? "data-end", dataEndMs(inputs.orderFacts), options.now ?? Date.now);
  const asOfDay = dayNumber(referenceMs);
  const observations = orderObservationsFromFacts(inputs.orderFacts).filter((o) => dayNumber(o.purchaseMs) <= asOfDay);
  const lastPurchase = observations.reduce((m, o) => Math.max(m, o.purchaseMs), Number.NEGATIVE_INFINITY);

  const checks: CheckResult[] = inputs.missing.map((t) => missingValuesCheck(t.table, t.rows, t.columns, quality));
  checks.push(
    inputs.itemPrices
      ? priceOutlierCheck(inputs.itemPrices, quality)
      : { check: "price outliers (3 sigma)", status: "warn", value: null, threshold: "", detail: "no item prices (order_item_facts.parquet missing)" },
  );
  checks.push(duplicateOrderIdCheck(inputs.orderIds, quality));
  checks.push(freshnessCheck(lastPurchase, referenceMs, basis, quality));
  const drift = driftReport(observations, asOfDay, driftConfig);
  checks.push(...driftChecks(drift));
  return {
    source: inputs.source,
    asOf: isoDay(referenceMs),
    asOfBasis: basis,
    checks,
    drift,
    status: worstStatus(checks.map((c) => c.status)),
  };
}

function pad(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text + " ".repeat(width - text.length);
}

function formatValue(v: number | null): string {
  if (v === null) return "-";
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1000 ? Math.round(v).toLocaleString("en-US") : String(v);
}

/** The pass/warn/fail table a user reads top to bottom, with the overall status last. */
export function formatCheckTable(checks: readonly CheckResult[]): string {
  const w = Math.max(...checks.map((c) => c.check.length), 5) + 2;
  const lines = [`${pad("status", 8)}${pad("check", w)}${pad("value", 10)}${pad("threshold", 60)}detail`];
  for (const c of checks) {
    lines.push(`${pad(c.status.toUpperCase(), 8)}${pad(c.check, w)}${pad(formatValue(c.value), 10)}${pad(c.threshold, 60)}${c.detail}`);
  }
  return lines.join("\n");
}

export function formatMonitorReport(report: MonitorReport): string {
  const counts = (s: CheckStatus): number => report.checks.filter((c) => c.status === s).length;
  return [
    `Monitor: ${report.source}`,
    `Reference date: ${report.asOf} (${report.asOfBasis}); drift windows end on or before it`,
    "",
    formatCheckTable(report.checks),
    "",
    `Overall: ${report.status.toUpperCase()} (${counts("pass")} pass, ${counts("warn")} warn, ${counts("fail")} fail)`,
  ].join("\n");
}
