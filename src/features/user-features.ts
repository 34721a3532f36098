import pl from "nodejs-polars";
import type { LoadedOlist } from "../data/load-olist.js";
import { PAYMENT_TYPES } from "../data/olist-schema.js";

/**
 * Recommender user features per `customer_unique_id`, over the whole history of delivered orders:
 * orders, items, spend, average order value and item price, freight, instalments, payment-type shares,
 * review score, state, favourite and last category. These describe the data as of its end; models that
 * evaluate on a time split must rebuild them from data before their cut-off (src/recommend does).
 */
export function buildUserFeatures(olist: LoadedOlist, orderFacts: pl.DataFrame, itemFacts: pl.DataFrame): pl.DataFrame {
  const delivered = orderFacts.filter(pl.col("order_status").eq(pl.lit("delivered")));
  const perOrder = delivered
    .sort(["customer_unique_id", "order_purchase_timestamp"])
    .groupBy("customer_unique_id")
    .agg(
      pl.col("order_id").nUnique().cast(pl.Int64).alias("n_orders"),
      pl.col("n_items").sum().cast(pl.Int64).alias("n_items"),
      pl.col("revenue").sum().alias("total_spend"),
      pl.col("revenue").mean().alias("avg_order_value"),
      pl.col("items_freight").mean().alias("avg_freight"),
      pl.col("max_installments").cast(pl.Float64).mean().alias("avg_installments"),
      pl.col("review_score").mean().alias("avg_review_score"),
      pl.col("customer_state").last().alias("customer_state"),
      pl.col("order_purchase_timestamp").min().alias("first_purchase"),
      pl.col("order_purchase_timestamp").max().alias("last_purchase"),
    );
  const deliveredItems = itemFacts.filter(pl.col("order_status").eq(pl.lit("delivered")));
  const categories = deliveredItems
    .sort(["customer_unique_id", "order_purchase_timestamp", "order_item_id"])
    .groupBy("customer_unique_id")
    .agg(
      pl.col("price").mean().alias("avg_item_price"),
      pl.col("category").mode().sort().first().alias("favourite_category"),
      pl.col("category").last().alias("last_category"),
    );
  const customerOf = delivered.select("order_id", "customer_unique_id");
  const paymentShares = olist.tables.order_payments.frame
    .join(customerOf, { on: "order_id", how: "inner" })
    .groupBy("customer_unique_id")
    .agg(
      ...PAYMENT_TYPES.filter((t) => t !== "not_defined").map((t) =>
        pl.col("payment_type").eq(pl.lit(t)).cast(pl.Float64).mean().alias(`share_${t}`),
      ),
    );
  return perOrder
    .join(categories, { on: "customer_unique_id", how: "left" })
    .join(paymentShares, { on: "customer_unique_id", how: "left" })
    .sort("customer_unique_id");
}
