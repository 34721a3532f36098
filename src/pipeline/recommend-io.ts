import { existsSync } from "node:fs";
import { join } from "node:path";
import pl from "nodejs-polars";
import { DataValidationError } from "../data/errors.js";
import type { RecItem, RecOrder, RecommendInput } from "../recommend/types.js";

const REQUIRED = {
  "order_facts.parquet": ["order_id", "customer_unique_id", "order_status", "order_purchase_timestamp", "customer_state", "payment_value", "main_payment_type", "max_installments", "review_score"],
  "order_item_facts.parquet": ["order_id", "product_id", "price"],
  "item_features.parquet": ["product_id", "category", "weight_g", "volume_cm3", "photos_qty", "name_length", "description_length"],
} as const;

function readTable(processedDir: string, file: keyof typeof REQUIRED): pl.DataFrame {
  const path = join(processedDir, file);
  if (!existsSync(path)) throw new DataValidationError({ file: path, problem: "file not found", expected: "the processed tables: run `npx retail-intel features` first" });
  const frame = pl.readParquet(path);
  const missing = REQUIRED[file].filter((c) => !frame.columns.includes(c));
  if (missing.length > 0) throw new DataValidationError({ file: path, column: missing[0], problem: "missing column", expected: `the columns ${REQUIRED[file].join(",")}` });
  return frame;
}

const column = (frame: pl.DataFrame, name: string): unknown[] => frame.getColumn(name).toArray() as unknown[];
const numberOrNull = (v: unknown): number | null => (v === null || v === undefined || Number.isNaN(Number(v)) ? null : Number(v));
const timeMs = (v: unknown): number => (v instanceof Date ? v.getTime() : Number(v));

/**
 * The recommender's input from the processed tables: delivered orders with their items, payments
 * and review, and the whole product catalogue (item_features.parquet) with its static attributes.
 * Sales-derived item columns of item_features are not read: they cover all time, the future included.
 */
export function recommendInputFromProcessed(processedDir: string): RecommendInput {
  const orderFrame = readTable(processedDir, "order_facts.parquet").filter(pl.col("order_status").eq(pl.lit("delivered")));
  const itemFrame = readTable(processedDir, "order_item_facts.parquet");
  const catalogue = readTable(processedDir, "item_features.parquet");

  const orderId = column(orderFrame, "order_id");
  const user = column(orderFrame, "customer_unique_id");
  const time = column(orderFrame, "order_purchase_timestamp");
  const state = column(orderFrame, "customer_state");
  const payment = column(orderFrame, "payment_value");
  const paymentType = column(orderFrame, "main_payment_type");
  const installments = column(orderFrame, "max_installments");
  const review = column(orderFrame, "review_score");
  const orders: RecOrder[] = [];
  const byId = new Map<string, RecOrder>();
  for (let i = 0; i < orderId.length; i++) {
    const order: RecOrder = {
      orderId: String(orderId[i]),
      userId: String(user[i]),
      time: timeMs(time[i]),
      state: String(state[i] ?? ""),
      paymentValue: numberOrNull(payment[i]) ?? 0,
      paymentType: String(paymentType[i] ?? "not_defined"),
      installments: numberOrNull(installments[i]) ?? 1,
      reviewScore: numberOrNull(review[i]),
      items: [],
    };
    orders.push(order);
    byId.set(order.orderId, order);
  }
  const itemOrder = column(itemFrame, "order_id");
  const itemProduct = column(itemFrame, "product_id");
  const itemPrice = column(itemFrame, "price");
  for (let i = 0; i < itemOrder.length; i++) {
    byId.get(String(itemOrder[i]))?.items.push({ productId: String(itemProduct[i]), price: numberOrNull(itemPrice[i]) ?? 0 });
  }
  const productId = column(catalogue, "product_id");
  const category = column(catalogue, "category");
  const weight = column(catalogue, "weight_g");
  const volume = column(catalogue, "volume_cm3");
  const photos = column(catalogue, "photos_qty");
  const nameLength = column(catalogue, "name_length");
  const descriptionLength = column(catalogue, "description_length");
  const items: RecItem[] = productId.map((id, i) => ({
    productId: String(id),
    category: String(category[i] ?? "unknown"),
    weightG: numberOrNull(weight[i]),
    volumeCm3: numberOrNull(volume[i]),
    photos: numberOrNull(photos[i]),
    nameLength: numberOrNull(nameLength[i]),
    descriptionLength: numberOrNull(descriptionLength[i]),
  }));
  return { orders: orders.filter((o) => o.items.length > 0), items };
}
