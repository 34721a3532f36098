import pl from "nodejs-polars";
import type { LoadedOlist } from "../data/load-olist.js";
import { productsWithEnglishCategory } from "./order-item-facts.js";

/**
 * Recommender item features, one row per product in the catalogue (sold or not): English category,
 * weight, dimensions and volume, photos, name/description length, and from delivered orders its sales,
 * distinct buyers, median price, mean freight, review score and first/last sale.
 */
export function buildItemFeatures(olist: LoadedOlist, itemFacts: pl.DataFrame, orderFacts: pl.DataFrame): pl.DataFrame {
  const reviewByOrder = orderFacts.select("order_id", "review_score");
  const sales = itemFacts
    .filter(pl.col("order_status").eq(pl.lit("delivered")))
    .join(reviewByOrder, { on: "order_id", how: "left" })
    .groupBy("product_id")
    .agg(
      pl.len().cast(pl.Int64).alias("n_sold"),
      pl.col("order_id").nUnique().cast(pl.Int64).alias("n_orders"),
      pl.col("customer_unique_id").nUnique().cast(pl.Int64).alias("n_customers"),
      pl.col("price").median().alias("median_price"),
      pl.col("freight_value").mean().alias("mean_freight"),
      pl.col("review_score").mean().alias("avg_review_score"),
      pl.col("order_purchase_timestamp").min().alias("first_sale"),
      pl.col("order_purchase_timestamp").max().alias("last_sale"),
    );
  return productsWithEnglishCategory(olist)
    .rename({
      product_name_lenght: "name_length",
      product_description_lenght: "description_length",
      product_photos_qty: "photos_qty",
      product_weight_g: "weight_g",
      product_length_cm: "length_cm",
      product_height_cm: "height_cm",
      product_width_cm: "width_cm",
    })
    .withColumns(pl.col("length_cm").mul(pl.col("height_cm")).mul(pl.col("width_cm")).alias("volume_cm3"))
    .join(sales, { on: "product_id", how: "left" })
    .withColumns(pl.col("n_sold").fillNull(0), pl.col("n_orders").fillNull(0), pl.col("n_customers").fillNull(0))
    .sort("product_id");
}
