/**
 * Point-in-time user features computed by PostgreSQL, from order_facts and order_item_facts purchased
 * strictly before a date: the same columns and rules as src/features/user-features.ts `userFeaturesAsOf`
 * (tested equal), without loading the facts into memory.
 */
import type pl from "nodejs-polars";
import type pg from "pg";
import { copyOut, frameFromCsv } from "./pg-read.js";
import { StoreError, describePgError } from "./pg-connect.js";

const COLUMNS: [string, string][] = [
  ["customer_unique_id", "String"],
  ["n_orders", "Int64"],
  ["n_items", "Int64"],
  ["total_spend", "Float64"],
  ["avg_order_value", "Float64"],
  ["avg_freight", "Float64"],
  ["avg_installments", "Float64"],
  ["avg_review_score", "Float64"],
  ["customer_state", "String"],
  ["first_purchase", "Datetime(ms)"],
  ["last_purchase", "Datetime(ms)"],
  ["recency_days", "Int64"],
  ["avg_item_price", "Float64"],
  ["favourite_category", "String"],
  ["last_category", "String"],
];

/** The query; `asOf` is a timestamp literal (UTC, no zone: the facts' timestamps are UTC without one). */
function featuresSql(asOf: string): string {
  const t = `timestamp '${asOf}'`;
  return `
WITH o AS (
  SELECT * FROM order_facts WHERE order_status = 'delivered' AND order_purchase_timestamp < ${t}
), per_order AS (
  SELECT customer_unique_id,
    count(DISTINCT order_id)::bigint AS n_orders,
    coalesce(sum(n_items), 0)::bigint AS n_items,
    sum(revenue) AS total_spend,
    avg(revenue) AS avg_order_value,
    avg(items_freight) AS avg_freight,
    avg(max_installments::float8) AS avg_installments,
    avg(review_score) AS avg_review_score,
    (array_agg(customer_state ORDER BY order_purchase_timestamp, order_id COLLATE "C"))[count(*)] AS customer_state,
    min(order_purchase_timestamp) AS first_purchase,
    max(order_purchase_timestamp) AS last_purchase
  FROM o GROUP BY customer_unique_id
), i AS (
  SELECT * FROM order_item_facts WHERE order_status = 'delivered' AND order_purchase_timestamp < ${t}
), cats AS (
  SELECT customer_unique_id,
    avg(price) AS avg_item_price,
    (array_agg(category ORDER BY order_purchase_timestamp, order_id COLLATE "C", order_item_id))[count(*)] AS last_category
  FROM i GROUP BY customer_unique_id
), fav AS (
  SELECT DISTINCT ON (customer_unique_id) customer_unique_id, category AS favourite_category
  FROM (SELECT customer_unique_id, category, count(*) AS n FROM i GROUP BY 1, 2) c
  ORDER BY customer_unique_id, n DESC, category COLLATE "C"
)
SELECT p.customer_unique_id, p.n_orders, p.n_items, p.total_spend, p.avg_order_value, p.avg_freight, p.avg_installments, p.avg_review_score,
  p.customer_state,
  (extract(epoch from p.first_purchase) * 1000)::bigint AS first_purchase,
  (extract(epoch from p.last_purchase) * 1000)::bigint AS last_purchase,
  floor(extract(epoch from (${t} - p.last_purchase)) / 86400)::bigint AS recency_days,
  c.avg_item_price, f.favourite_category, c.last_category
FROM per_order p LEFT JOIN cats c USING (customer_unique_id) LEFT JOIN fav f USING (customer_unique_id)
ORDER BY p.customer_unique_id COLLATE "C"`;
}

export async function pgUserFeaturesAsOf(client: pg.Client, asOf: Date, where: string): Promise<pl.DataFrame> {
  if (Number.isNaN(asOf.getTime())) throw new StoreError("point-in-time features: the date is not valid");
  try {
    const csv = await copyOut(client, featuresSql(asOf.toISOString().replace("T", " ").replace("Z", "")));
    return frameFromCsv(csv, COLUMNS);
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError(`point-in-time user features from PostgreSQL ${where} failed: ${describePgError(error)}`);
  }
}
