import pl from "nodejs-polars";
import type { LoadedOlist } from "../data/load-olist.js";
import { countsAsRevenue, daysBetween } from "./revenue.js";

/**
 * One row per order: orders joined with customers, and with items, payments and reviews aggregated per order.
 * `revenue` follows REVENUE_DEFINITION (payments; 0 for canceled/unavailable or unpaid orders).
 */
export function buildOrderFacts(olist: LoadedOlist, itemFacts: pl.DataFrame): pl.DataFrame {
  const items = itemFacts
    .sort(["order_id", "price"], [false, true])
    .groupBy("order_id")
    .agg(
      pl.len().cast(pl.Int64).alias("n_items"),
      pl.col("product_id").nUnique().cast(pl.Int64).alias("n_products"),
      pl.col("seller_id").nUnique().cast(pl.Int64).alias("n_sellers"),
      pl.col("price").sum().alias("items_price"),
      pl.col("freight_value").sum().alias("items_freight"),
      pl.col("category").first().alias("main_category"),
    );
  const payments = olist.tables.order_payments.frame
    .sort(["order_id", "payment_value"], [false, true])
    .groupBy("order_id")
    .agg(
      pl.col("payment_value").sum().alias("payment_value"),
      pl.len().cast(pl.Int64).alias("n_payments"),
      pl.col("payment_type").first().alias("main_payment_type"),
      pl.col("payment_installments").max().alias("max_installments"),
    );
  const reviews = olist.tables.order_reviews.frame
    .groupBy("order_id")
    .agg(pl.col("review_score").cast(pl.Float64).mean().alias("review_score"), pl.len().cast(pl.Int64).alias("n_reviews"));
  const purchase = pl.col("order_purchase_timestamp");
  return olist.tables.orders.frame
    .join(olist.tables.customers.frame, { on: "customer_id", how: "left" })
    .join(items, { on: "order_id", how: "left" })
    .join(payments, { on: "order_id", how: "left" })
    .join(reviews, { on: "order_id", how: "left" })
    .withColumns(
      purchase.cast(pl.Date).alias("purchase_date"),
      pl.col("n_items").fillNull(0),
      pl.col("items_price").fillNull(0),
      pl.col("items_freight").fillNull(0),
      pl.col("n_payments").fillNull(0),
      pl.col("n_reviews").fillNull(0),
      daysBetween(purchase, pl.col("order_delivered_customer_date")).alias("delivery_days"),
      pl.col("order_delivered_customer_date").gt(pl.col("order_estimated_delivery_date")).alias("delivered_late"),
      pl
        .when(countsAsRevenue(pl.col("order_status")))
        .then(pl.col("payment_value").fillNull(0))
        .otherwise(pl.lit(0))
        .cast(pl.Float64)
        .alias("revenue"),
    )
    .sort(["order_purchase_timestamp", "order_id"]);
}
