import pl from "nodejs-polars";
import type { FeatureTables } from "./build-features.js";
import { daysBetween } from "./revenue.js";

/**
 * The behaviours the models downstream rely on, measured the same way on any Olist-format data
 * (the real files or the generated sample), so the two can be compared side by side.
 */
export interface OlistProfile {
  readonly orders: number;
  readonly people: number;
  /** People (customer_unique_id) with more than one order, over all orders. */
  readonly repeatPeople: number;
  readonly repeatShare: number;
  /** Consecutive orders of one person whose main category equals the previous order's. */
  readonly sameCategoryReturnShare: number;
  readonly medianRepeatGapDays: number;
  readonly statusShares: Readonly<Record<string, number>>;
  readonly itemsPerOrder: number;
  readonly singleItemOrderShare: number;
  /** Share of item rows held by the most-sold 10% of products. */
  readonly top10pctProductShare: number;
  readonly itemPriceMedian: number;
  readonly itemPriceMean: number;
  readonly deliveryDaysMedian: number;
  readonly lateDeliveryShare: number;
  readonly reviewScoreShares: Readonly<Record<string, number>>;
}

/** Share of rows per value of `column`, most common first. */
function sharesOf(frame: pl.DataFrame, column: string): Record<string, number> {
  return Object.fromEntries(
    frame
      .groupBy(column)
      .agg(pl.len().alias("n"))
      .sort("n", true)
      .toRecords()
      .map((r) => [String(r[column]), Number(r["n"]) / frame.height]),
  );
}

const num = (frame: pl.DataFrame, expr: pl.Expr): number => Number(frame.select(expr.alias("v")).toRecords()[0]!["v"]);

export function profileOlist(tables: FeatureTables): OlistProfile {
  const orders = tables.order_facts;
  const perPerson = orders.groupBy("customer_unique_id").agg(pl.len().alias("n"));
  const repeatPeople = perPerson.filter(pl.col("n").gt(1)).height;

  const consecutive = orders
    .filter(pl.col("main_category").isNotNull())
    .sort(["customer_unique_id", "order_purchase_timestamp"])
    .withColumns(
      pl.col("main_category").shift(1).over("customer_unique_id").alias("previous_category"),
      pl.col("order_purchase_timestamp").shift(1).over("customer_unique_id").alias("previous_purchase"),
    )
    .filter(pl.col("previous_category").isNotNull());
  const gaps = consecutive.select(daysBetween(pl.col("previous_purchase"), pl.col("order_purchase_timestamp")).alias("gap"));

  const withItems = orders.filter(pl.col("n_items").gt(0));
  const sold = tables.order_item_facts.groupBy("product_id").agg(pl.len().alias("n")).sort("n", true);
  const topCount = Math.ceil(sold.height / 10);
  const delivered = orders.filter(pl.col("order_status").eq(pl.lit("delivered")).and(pl.col("delivery_days").isNotNull()));
  const scores = orders.filter(pl.col("review_score").isNotNull()).select(pl.col("review_score").round(0).cast(pl.Int64).alias("s"));
  return {
    orders: orders.height,
    people: perPerson.height,
    repeatPeople,
    repeatShare: repeatPeople / perPerson.height,
    sameCategoryReturnShare: num(consecutive, pl.col("main_category").eq(pl.col("previous_category")).cast(pl.Float64).mean()),
    medianRepeatGapDays: num(gaps, pl.col("gap").median()),
    statusShares: sharesOf(orders, "order_status"),
    itemsPerOrder: num(withItems, pl.col("n_items").mean()),
    singleItemOrderShare: num(withItems, pl.col("n_items").eq(1).cast(pl.Float64).mean()),
    top10pctProductShare: num(sold.head(topCount), pl.col("n").sum()) / tables.order_item_facts.height,
    itemPriceMedian: num(tables.order_item_facts, pl.col("price").median()),
    itemPriceMean: num(tables.order_item_facts, pl.col("price").mean()),
    deliveryDaysMedian: num(delivered, pl.col("delivery_days").median()),
    lateDeliveryShare: num(delivered, pl.col("delivered_late").cast(pl.Float64).mean()),
    reviewScoreShares: sharesOf(scores, "s"),
  };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

export function formatOlistProfile(p: OlistProfile): string {
  const shares = (record: Readonly<Record<string, number>>): string =>
    Object.entries(record)
      .map(([k, v]) => `${k} ${pct(v)}`)
      .join(", ");
  return [
    `orders ${p.orders.toLocaleString("en-US")}, people ${p.people.toLocaleString("en-US")}`,
    `repeat buyers ${p.repeatPeople.toLocaleString("en-US")} (${pct(p.repeatShare)} of people)`,
    `same-category return ${pct(p.sameCategoryReturnShare)}, median gap ${p.medianRepeatGapDays.toFixed(1)} days`,
    `statuses: ${shares(p.statusShares)}`,
    `items per order ${p.itemsPerOrder.toFixed(3)}, single-item orders ${pct(p.singleItemOrderShare)}`,
    `top 10% of products hold ${pct(p.top10pctProductShare)} of item rows`,
    `item price median ${p.itemPriceMedian.toFixed(2)}, mean ${p.itemPriceMean.toFixed(2)}`,
    `delivery median ${p.deliveryDaysMedian.toFixed(1)} days, late ${pct(p.lateDeliveryShare)}`,
    `review scores: ${shares(p.reviewScoreShares)}`,
  ].join("\n");
}
