import pl from "nodejs-polars";
import type { LoadedOlist } from "../data/load-olist.js";

/** Label for products whose category is empty in the source (610 of them in real Olist). */
export const UNKNOWN_CATEGORY = "unknown";

/**
 * Products with their category in English. Categories Olist left untranslated keep their
 * Portuguese name; products without a category get `unknown`.
 */
export function productsWithEnglishCategory(olist: LoadedOlist): pl.DataFrame {
  const translation = olist.tables.category_translation.frame;
  return olist.tables.products.frame
    .join(translation, { on: "product_category_name", how: "left" })
    .withColumns(
      pl
        .when(pl.col("product_category_name").isNull())
        .then(pl.lit(UNKNOWN_CATEGORY))
        .otherwise(pl.col("product_category_name_english").fillNull(pl.col("product_category_name")))
        .alias("category"),
    )
    .drop("product_category_name_english");
}

/** One row per order item: the item, its product (English category), seller state, order and customer. */
export function buildOrderItemFacts(olist: LoadedOlist): pl.DataFrame {
  const orders = olist.tables.orders.frame
    .join(olist.tables.customers.frame, { on: "customer_id", how: "left" })
    .select("order_id", "customer_id", "customer_unique_id", "customer_state", "order_status", "order_purchase_timestamp");
  const products = productsWithEnglishCategory(olist).select(
    "product_id",
    "category",
    "product_category_name",
    "product_weight_g",
  );
  const sellers = olist.tables.sellers.frame.select("seller_id", "seller_state");
  return olist.tables.order_items.frame
    .join(orders, { on: "order_id", how: "left" })
    .join(products, { on: "product_id", how: "left" })
    .join(sellers, { on: "seller_id", how: "left" })
    .sort(["order_purchase_timestamp", "order_id", "order_item_id"]);
}
