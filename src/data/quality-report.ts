import pl from "nodejs-polars";
import { dateExtent, formatOlistTimestamp } from "./frame-dates.js";
import { detectDataOrigin, type DataOrigin } from "./data-kind.js";
import type { ForeignKeyCheck, LoadedOlist } from "./load-olist.js";
import { OLIST_TABLES, ORDER_STATUSES, type TableName } from "./olist-schema.js";

export interface ColumnQuality {
  readonly column: string;
  readonly missing: number;
  readonly missingPct: number;
}

export interface TableQuality {
  readonly table: TableName;
  readonly file: string;
  readonly rows: number;
  readonly realRows: number;
  /** rows / realRows: 1 for the full Kaggle release. */
  readonly rowsVsReal: number;
  readonly primaryKey: readonly string[];
  /** Always 0 after validation (a duplicate key fails it); kept so the report states the check. */
  readonly duplicateKeys: number;
  /** Rows identical in every column to an earlier row (real geolocation has many). */
  readonly duplicateRows: number;
  readonly columns: readonly ColumnQuality[];
}

/** Values beyond mean ± 3 sample standard deviations. */
export interface OutlierSummary {
  readonly table: TableName;
  readonly column: string;
  readonly mean: number;
  readonly std: number;
  readonly lower: number;
  readonly upper: number;
  readonly outliers: number;
  readonly outlierPct: number;
}

export interface QualityReport {
  readonly generatedBy: "retail-intel validate";
  readonly rawDir: string;
  readonly origin: DataOrigin;
  readonly tables: readonly TableQuality[];
  readonly referentialIntegrity: readonly ForeignKeyCheck[];
  readonly outliers: readonly OutlierSummary[];
  readonly untranslatedCategories: readonly { readonly category: string; readonly products: number }[];
  readonly orders: {
    readonly firstPurchase: string;
    readonly lastPurchase: string;
    readonly statusCounts: Readonly<Record<string, number>>;
  };
}

const round = (x: number, digits = 4): number => Number(x.toFixed(digits));

function tableQuality(olist: LoadedOlist, name: TableName): TableQuality {
  const { spec, frame } = olist.tables[name];
  const nulls = frame.nullCount().toRecords()[0] as Record<string, number>;
  const rows = frame.height;
  const duplicateRows = rows - frame.unique().height;
  return {
    table: name,
    file: spec.file,
    rows,
    realRows: spec.realRowCount,
    rowsVsReal: round(rows / spec.realRowCount),
    primaryKey: spec.primaryKey,
    duplicateKeys: 0,
    duplicateRows,
    columns: spec.columns.map((c) => {
      const missing = Number(nulls[c.name] ?? 0);
      return { column: c.name, missing, missingPct: round((100 * missing) / rows) };
    }),
  };
}

/** Outliers of one numeric column by the 3-sigma rule. */
export function threeSigmaOutliers(frame: pl.DataFrame, table: TableName, column: string): OutlierSummary {
  const x = pl.col(column);
  const stats = frame.select(x.mean().alias("mean"), x.std().alias("std"), x.count().alias("n")).toRecords()[0]!;
  const mean = Number(stats["mean"]);
  const std = Number(stats["std"]);
  const lower = mean - 3 * std;
  const upper = mean + 3 * std;
  const outliers = frame.filter(x.lt(lower).or(x.gt(upper))).height;
  return {
    table,
    column,
    mean: round(mean),
    std: round(std),
    lower: round(lower),
    upper: round(upper),
    outliers,
    outlierPct: round((100 * outliers) / Math.max(1, Number(stats["n"]))),
  };
}

export function buildQualityReport(olist: LoadedOlist, rawDir: string): QualityReport {
  const rowCounts = Object.fromEntries(OLIST_TABLES.map((t) => [t.name, olist.tables[t.name].frame.height])) as Record<TableName, number>;
  const items = olist.tables.order_items.frame;
  const payments = olist.tables.order_payments.frame;
  const products = olist.tables.products.frame;
  const translated = olist.tables.category_translation.frame.select("product_category_name");
  const untranslated = products
    .filter(pl.col("product_category_name").isNotNull())
    .join(translated, { on: "product_category_name", how: "anti" })
    .groupBy("product_category_name")
    .agg(pl.len().alias("products"))
    .sort("product_category_name");
  const orders = olist.tables.orders.frame;
  const purchase = dateExtent(orders, "order_purchase_timestamp");
  const statusCounts = Object.fromEntries(
    ORDER_STATUSES.map((s) => [s, orders.filter(pl.col("order_status").eq(pl.lit(s))).height]),
  );
  return {
    generatedBy: "retail-intel validate",
    rawDir,
    origin: detectDataOrigin(rawDir, rowCounts),
    tables: OLIST_TABLES.map((t) => tableQuality(olist, t.name)),
    referentialIntegrity: olist.foreignKeys,
    outliers: [
      threeSigmaOutliers(items, "order_items", "price"),
      threeSigmaOutliers(items, "order_items", "freight_value"),
      threeSigmaOutliers(payments, "order_payments", "payment_value"),
    ],
    untranslatedCategories: untranslated.toRecords().map((r) => ({
      category: String(r["product_category_name"]),
      products: Number(r["products"]),
    })),
    orders: {
      firstPurchase: formatOlistTimestamp(purchase.min),
      lastPurchase: formatOlistTimestamp(purchase.max),
      statusCounts,
    },
  };
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

/** The report as a terminal table a user reads top to bottom. */
export function formatQualityReport(report: QualityReport): string {
  const lines: string[] = [];
  lines.push(`Data: ${report.origin.description}`);
  lines.push(`Folder: ${report.rawDir}`);
  lines.push("");
  lines.push(`${pad("table", 22)}${pad("rows", 12)}${pad("real Olist", 12)}${pad("vs real", 9)}${pad("dup rows", 10)}most missing`);
  for (const t of report.tables) {
    const worst = [...t.columns].sort((a, b) => b.missingPct - a.missingPct)[0];
    const missing = worst && worst.missing > 0 ? `${worst.column} ${worst.missingPct.toFixed(2)}%` : "none";
    lines.push(
      `${pad(t.table, 22)}${pad(t.rows.toLocaleString("en-US"), 12)}${pad(t.realRows.toLocaleString("en-US"), 12)}${pad(`${(100 * t.rowsVsReal).toFixed(1)}%`, 9)}${pad(t.duplicateRows.toLocaleString("en-US"), 10)}${missing}`,
    );
  }
  lines.push("");
  lines.push("Referential integrity:");
  for (const fk of report.referentialIntegrity) {
    lines.push(`  ${fk.table}.${fk.column} -> ${fk.references}.${fk.referencedColumn}: ${fk.rows.toLocaleString("en-US")} rows, ${fk.orphans} orphans`);
  }
  lines.push("");
  lines.push("3-sigma outliers:");
  for (const o of report.outliers) {
    lines.push(`  ${o.table}.${o.column}: ${o.outliers.toLocaleString("en-US")} (${o.outlierPct.toFixed(2)}%) outside [${o.lower.toFixed(2)}, ${o.upper.toFixed(2)}]`);
  }
  if (report.untranslatedCategories.length > 0) {
    lines.push("");
    lines.push(
      `Categories without English name (kept in Portuguese): ${report.untranslatedCategories.map((c) => `${c.category} (${c.products} products)`).join(", ")}`,
    );
  }
  lines.push("");
  const statuses = Object.entries(report.orders.statusCounts)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${s} ${n.toLocaleString("en-US")}`)
    .join(", ");
  lines.push(`Orders ${report.orders.firstPurchase} .. ${report.orders.lastPurchase}: ${statuses}`);
  return lines.join("\n");
}
