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
  const customerOf = orderFacts.filter(pl.col("order_status").eq(pl.lit("delivered"))).select("order_id", "customer_unique_id");
  const paymentShares = olist.tables.order_payments.frame
    .join(customerOf, { on: "order_id", how: "inner" })
    .groupBy("customer_unique_id")
    .agg(
      ...PAYMENT_TYPES.filter((t) => t !== "not_defined").map((t) =>
        pl.col("payment_type").eq(pl.lit(t)).cast(pl.Float64).mean().alias(`share_${t}`),
      ),
    );
  return userFeaturesFromFacts(orderFacts, itemFacts).join(paymentShares, { on: "customer_unique_id", how: "left" }).sort("customer_unique_id");
}

/**
 * The user features the order and item facts alone give, from delivered orders: n_orders, n_items,
 * total_spend, avg_order_value, avg_freight, avg_installments, avg_review_score, customer_state (of the last
 * order), first_purchase, last_purchase, avg_item_price, favourite_category (the most bought; ties -> the
 * first in code-unit order), last_category (of the last item bought; ties in time -> order id, item id).
 */
export function userFeaturesFromFacts(orderFacts: pl.DataFrame, itemFacts: pl.DataFrame): pl.DataFrame {
  // only the columns used, before sorting: sorting all 28 columns of 1M orders cost a GiB at the peak
  const delivered = orderFacts
    .filter(pl.col("order_status").eq(pl.lit("delivered")))
    .select("customer_unique_id", "order_purchase_timestamp", "order_id", "n_items", "revenue", "items_freight", "max_installments", "review_score", "customer_state");
  const perOrder = delivered
    .sort(["customer_unique_id", "order_purchase_timestamp", "order_id"])
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
  const deliveredItems = itemFacts
    .filter(pl.col("order_status").eq(pl.lit("delivered")))
    .select("customer_unique_id", "order_purchase_timestamp", "order_id", "order_item_id", "price", "category");
  const categories = deliveredItems
    .sort(["customer_unique_id", "order_purchase_timestamp", "order_id", "order_item_id"])
    .groupBy("customer_unique_id")
    .agg(
      pl.col("price").mean().alias("avg_item_price"),
      pl.col("category").mode().sort().first().alias("favourite_category"),
      pl.col("category").last().alias("last_category"),
    );
  return perOrder.join(categories, { on: "customer_unique_id", how: "left" }).sort("customer_unique_id");
}

/**
 * Point-in-time user features: {@link userFeaturesFromFacts} on the orders and items purchased strictly
 * before `asOf`, plus recency_days = whole days from the last purchase to `asOf`. What the PostgreSQL
 * store computes in SQL (src/store/pg-features.ts), here in memory.
 */
export function userFeaturesAsOf(orderFacts: pl.DataFrame, itemFacts: pl.DataFrame, asOf: Date): pl.DataFrame {
  const before = (frame: pl.DataFrame) => frame.filter(pl.col("order_purchase_timestamp").lt(pl.lit(asOf.getTime()).cast(pl.Datetime("ms"))));
  const features = userFeaturesFromFacts(before(orderFacts), before(itemFacts));
  const recency = pl
    .lit(asOf.getTime())
    .sub(pl.col("last_purchase").cast(pl.Int64))
    .cast(pl.Float64)
    .div(pl.lit(86_400_000))
    .floor()
    .cast(pl.Int64)
    .alias("recency_days");
  return features.withColumns(recency).select("customer_unique_id", "n_orders", "n_items", "total_spend", "avg_order_value", "avg_freight", "avg_installments", "avg_review_score", "customer_state", "first_purchase", "last_purchase", "recency_days", "avg_item_price", "favourite_category", "last_category");
}
