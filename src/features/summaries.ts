import pl from "nodejs-polars";
import { countsAsRevenue } from "./revenue.js";

/** Rows for charts and tables: plain records with ISO date strings, ready for vega-lite and JSON. */

const isoDay = (d: unknown): string => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d));

/** Revenue-bearing orders per purchase day (every calendar day, zeros included). */
export function ordersPerDay(dailyRevenue: pl.DataFrame): { ds: string; orders: number; revenue: number }[] {
  return dailyRevenue.toRecords().map((r) => ({ ds: isoDay(r["ds"]), orders: Number(r["orders"]), revenue: Number(r["y"]) }));
}

/** The same per ISO week (weeks start on Monday), labelled by the week's Monday. */
export function ordersPerWeek(dailyRevenue: pl.DataFrame): { week: string; orders: number; revenue: number }[] {
  return dailyRevenue
    .withColumns(pl.col("ds").cast(pl.Datetime("ms")).dt.truncate("1w").cast(pl.Date).alias("week"))
    .groupBy("week")
    .agg(pl.col("orders").sum().alias("orders"), pl.col("y").sum().alias("revenue"))
    .sort("week")
    .toRecords()
    .map((r) => ({ week: isoDay(r["week"]), orders: Number(r["orders"]), revenue: Number(r["revenue"]) }));
}

/** Orders per status, most common first. */
export function statusMix(orderFacts: pl.DataFrame): { status: string; orders: number }[] {
  return orderFacts
    .groupBy("order_status")
    .agg(pl.len().alias("orders"))
    .sort("orders", true)
    .toRecords()
    .map((r) => ({ status: String(r["order_status"]), orders: Number(r["orders"]) }));
}

/**
 * Revenue per product category (English names). An order's revenue (its payments) is shared among its
 * items in proportion to each item's price + freight, so the categories add up to total revenue.
 */
export function revenueByCategory(orderFacts: pl.DataFrame, itemFacts: pl.DataFrame): { category: string; revenue: number }[] {
  const orderTotals = orderFacts
    .filter(countsAsRevenue(pl.col("order_status")))
    .select("order_id", "revenue", pl.col("items_price").add(pl.col("items_freight")).alias("items_value"));
  const byCategory = itemFacts
    .join(orderTotals, { on: "order_id", how: "inner" })
    .filter(pl.col("items_value").gt(0))
    .withColumns(
      pl.col("revenue").mul(pl.col("price").add(pl.col("freight_value"))).div(pl.col("items_value")).alias("item_revenue"),
    )
    .groupBy("category")
    .agg(pl.col("item_revenue").sum().alias("revenue"))
    .toRecords()
    .map((r) => ({ category: String(r["category"]), revenue: Number(r["revenue"]) }));
  // Orders paid for but without items (e.g. some 'created' orders) keep their revenue in a bucket of their own.
  const total = Number(orderTotals.getColumn("revenue").sum());
  const allocated = byCategory.reduce((sum, r) => sum + r.revenue, 0);
  if (total - allocated > 0.005) byCategory.push({ category: ORDERS_WITHOUT_ITEMS, revenue: total - allocated });
  return byCategory.sort((a, b) => b.revenue - a.revenue);
}

export const ORDERS_WITHOUT_ITEMS = "(orders without items)";

/** Distinct values of a column with how many rows hold each (for weighted histograms of large tables). */
export function valueCounts(frame: pl.DataFrame, column: string): { value: number; rows: number }[] {
  return frame
    .groupBy(column)
    .agg(pl.len().alias("rows"))
    .sort(column)
    .toRecords()
    .map((r) => ({ value: Number(r[column]), rows: Number(r["rows"]) }));
}

/** Quantiles of numeric columns: a compact distribution table for a notebook. */
export function describeColumns(frame: pl.DataFrame, columns: readonly string[]): Record<string, string | number>[] {
  const quantiles = [0, 0.25, 0.5, 0.75, 0.95, 1] as const;
  return columns.map((column) => {
    const x = pl.col(column);
    const row = frame
      .select(
        x.count().alias("count"),
        x.mean().alias("mean"),
        ...quantiles.map((q) => x.quantile(q).alias(`q${q}`)),
      )
      .toRecords()[0]!;
    return {
      column,
      count: Number(row["count"]),
      mean: Number(Number(row["mean"]).toFixed(3)),
      min: Number(row["q0"]),
      p25: Number(row["q0.25"]),
      median: Number(row["q0.5"]),
      p75: Number(row["q0.75"]),
      p95: Number(row["q0.95"]),
      max: Number(row["q1"]),
    };
  });
}
