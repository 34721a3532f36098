import pl from "nodejs-polars";
import { dateExtent } from "../data/frame-dates.js";
import { MS_PER_DAY } from "./revenue.js";

/**
 * The RFM base table, one row per `customer_unique_id` (a person; Olist's `customer_id` is per order),
 * on delivered orders only:
 * - recency_days: whole days from the last purchase to `referenceDate`;
 * - frequency: distinct delivered orders;
 * - monetary: total revenue (sum of payment_value) of those orders.
 * referenceDate defaults to the day after the last purchase in the data (midnight), the seed's choice.
 */
export function buildRfmBase(orderFacts: pl.DataFrame, referenceDate?: Date): pl.DataFrame {
  const reference = referenceDate ?? defaultReferenceDate(orderFacts);
  return orderFacts
    .filter(pl.col("order_status").eq(pl.lit("delivered")))
    .sort(["customer_unique_id", "order_purchase_timestamp"])
    .groupBy("customer_unique_id")
    .agg(
      pl.col("order_purchase_timestamp").min().alias("first_purchase"),
      pl.col("order_purchase_timestamp").max().alias("last_purchase"),
      pl.col("order_id").nUnique().cast(pl.Int64).alias("frequency"),
      pl.col("revenue").sum().alias("monetary"),
      pl.col("customer_state").last().alias("customer_state"),
    )
    .withColumns(
      pl
        .lit(reference.getTime())
        .sub(pl.col("last_purchase").cast(pl.Int64))
        .div(MS_PER_DAY)
        .floor()
        .cast(pl.Int64)
        .alias("recency_days"),
      pl.lit(reference).cast(pl.Datetime("ms")).alias("reference_date"),
    )
    .select("customer_unique_id", "recency_days", "frequency", "monetary", "first_purchase", "last_purchase", "customer_state", "reference_date")
    .sort("customer_unique_id");
}

/** Midnight of the day after the last purchase in the data. */
export function defaultReferenceDate(orderFacts: pl.DataFrame): Date {
  const last = dateExtent(orderFacts, "order_purchase_timestamp").max;
  const midnight = Math.floor(last.getTime() / MS_PER_DAY) * MS_PER_DAY;
  return new Date(midnight + MS_PER_DAY);
}
