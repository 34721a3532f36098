/**
 * The nine tables of the Olist "Brazilian E-Commerce Public Dataset" (Kaggle, olistbr/brazilian-ecommerce):
 * file names, column order, types, nullability, keys, value ranges and foreign keys.
 *
 * Nullability and ranges follow the real files: e.g. 610 products have no category, 2 payments have 0
 * instalments, some payments are worth 0 (vouchers), some freight is 0, 4 products weigh 0 g, and
 * review_id alone is not unique (the key is review_id + order_id). Geolocation has no key (it repeats rows).
 */

export type TableName =
  | "customers"
  | "geolocation"
  | "order_items"
  | "order_payments"
  | "order_reviews"
  | "orders"
  | "products"
  | "sellers"
  | "category_translation";

export type ColumnType = "string" | "int" | "float" | "datetime";

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  /** Inclusive lower bound for numbers. */
  readonly min?: number;
  /** Exclusive lower bound for numbers (e.g. price > 0). */
  readonly greaterThan?: number;
  /** Inclusive upper bound for numbers. */
  readonly max?: number;
  /** For strings: the full-match pattern and its human description. */
  readonly pattern?: { readonly regex: RegExp; readonly description: string };
  /** For strings: the closed set of allowed values. */
  readonly values?: readonly string[];
}

export interface ForeignKey {
  readonly column: string;
  readonly references: TableName;
  readonly referencedColumn: string;
}

export interface TableSpec {
  readonly name: TableName;
  readonly file: string;
  readonly columns: readonly ColumnSpec[];
  /** Columns whose combination is unique; empty when the table has no key. */
  readonly primaryKey: readonly string[];
  readonly foreignKeys: readonly ForeignKey[];
  /** Data rows (header not counted) in the full Kaggle release. */
  readonly realRowCount: number;
}

/** Timestamps in every Olist file: `YYYY-MM-DD HH:MM:SS`. */
export const OLIST_DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S";

const HEX_ID = { regex: /^[0-9a-f]{32}$/, description: "a 32-character lowercase hex id" } as const;
const ZIP_PREFIX = { regex: /^[0-9]{1,5}$/, description: "a zip code prefix of up to 5 digits" } as const;
const STATE = { regex: /^[A-Z]{2}$/, description: "a two-letter Brazilian state code (UF)" } as const;

export const ORDER_STATUSES = [
  "delivered",
  "shipped",
  "canceled",
  "unavailable",
  "invoiced",
  "processing",
  "created",
  "approved",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const PAYMENT_TYPES = ["credit_card", "boleto", "voucher", "debit_card", "not_defined"] as const;
export type PaymentType = (typeof PAYMENT_TYPES)[number];

const id = (name: string): ColumnSpec => ({ name, type: "string", nullable: false, pattern: HEX_ID });
const datetime = (name: string, nullable: boolean): ColumnSpec => ({ name, type: "datetime", nullable });
const count = (name: string, nullable: boolean): ColumnSpec => ({ name, type: "int", nullable, min: 0 });
const text = (name: string, nullable: boolean): ColumnSpec => ({ name, type: "string", nullable });

export const OLIST_TABLES: readonly TableSpec[] = [
  {
    name: "customers",
    file: "olist_customers_dataset.csv",
    columns: [
      id("customer_id"),
      id("customer_unique_id"),
      { name: "customer_zip_code_prefix", type: "string", nullable: false, pattern: ZIP_PREFIX },
      text("customer_city", false),
      { name: "customer_state", type: "string", nullable: false, pattern: STATE },
    ],
    primaryKey: ["customer_id"],
    foreignKeys: [],
    realRowCount: 99_441,
  },
  {
    name: "geolocation",
    file: "olist_geolocation_dataset.csv",
    columns: [
      { name: "geolocation_zip_code_prefix", type: "string", nullable: false, pattern: ZIP_PREFIX },
      { name: "geolocation_lat", type: "float", nullable: false, min: -90, max: 90 },
      { name: "geolocation_lng", type: "float", nullable: false, min: -180, max: 180 },
      text("geolocation_city", false),
      { name: "geolocation_state", type: "string", nullable: false, pattern: STATE },
    ],
    primaryKey: [],
    foreignKeys: [],
    realRowCount: 1_000_163,
  },
  {
    name: "order_items",
    file: "olist_order_items_dataset.csv",
    columns: [
      id("order_id"),
      { name: "order_item_id", type: "int", nullable: false, min: 1 },
      id("product_id"),
      id("seller_id"),
      datetime("shipping_limit_date", false),
      { name: "price", type: "float", nullable: false, greaterThan: 0 },
      { name: "freight_value", type: "float", nullable: false, min: 0 },
    ],
    primaryKey: ["order_id", "order_item_id"],
    foreignKeys: [
      { column: "order_id", references: "orders", referencedColumn: "order_id" },
      { column: "product_id", references: "products", referencedColumn: "product_id" },
      { column: "seller_id", references: "sellers", referencedColumn: "seller_id" },
    ],
    realRowCount: 112_650,
  },
  {
    name: "order_payments",
    file: "olist_order_payments_dataset.csv",
    columns: [
      id("order_id"),
      { name: "payment_sequential", type: "int", nullable: false, min: 1 },
      { name: "payment_type", type: "string", nullable: false, values: PAYMENT_TYPES },
      count("payment_installments", false),
      { name: "payment_value", type: "float", nullable: false, min: 0 },
    ],
    primaryKey: ["order_id", "payment_sequential"],
    foreignKeys: [{ column: "order_id", references: "orders", referencedColumn: "order_id" }],
    realRowCount: 103_886,
  },
  {
    name: "order_reviews",
    file: "olist_order_reviews_dataset.csv",
    columns: [
      id("review_id"),
      id("order_id"),
      { name: "review_score", type: "int", nullable: false, min: 1, max: 5 },
      text("review_comment_title", true),
      text("review_comment_message", true),
      datetime("review_creation_date", false),
      datetime("review_answer_timestamp", false),
    ],
    primaryKey: ["review_id", "order_id"],
    foreignKeys: [{ column: "order_id", references: "orders", referencedColumn: "order_id" }],
    realRowCount: 99_224,
  },
  {
    name: "orders",
    file: "olist_orders_dataset.csv",
    columns: [
      id("order_id"),
      id("customer_id"),
      { name: "order_status", type: "string", nullable: false, values: ORDER_STATUSES },
      datetime("order_purchase_timestamp", false),
      datetime("order_approved_at", true),
      datetime("order_delivered_carrier_date", true),
      datetime("order_delivered_customer_date", true),
      datetime("order_estimated_delivery_date", false),
    ],
    primaryKey: ["order_id"],
    foreignKeys: [{ column: "customer_id", references: "customers", referencedColumn: "customer_id" }],
    realRowCount: 99_441,
  },
  {
    name: "products",
    file: "olist_products_dataset.csv",
    columns: [
      id("product_id"),
      text("product_category_name", true),
      count("product_name_lenght", true),
      count("product_description_lenght", true),
      count("product_photos_qty", true),
      count("product_weight_g", true),
      count("product_length_cm", true),
      count("product_height_cm", true),
      count("product_width_cm", true),
    ],
    primaryKey: ["product_id"],
    foreignKeys: [],
    realRowCount: 32_951,
  },
  {
    name: "sellers",
    file: "olist_sellers_dataset.csv",
    columns: [
      id("seller_id"),
      { name: "seller_zip_code_prefix", type: "string", nullable: false, pattern: ZIP_PREFIX },
      text("seller_city", false),
      { name: "seller_state", type: "string", nullable: false, pattern: STATE },
    ],
    primaryKey: ["seller_id"],
    foreignKeys: [],
    realRowCount: 3_095,
  },
  {
    name: "category_translation",
    file: "product_category_name_translation.csv",
    columns: [text("product_category_name", false), text("product_category_name_english", false)],
    primaryKey: ["product_category_name"],
    foreignKeys: [],
    realRowCount: 71,
  },
];

export function tableSpec(name: TableName): TableSpec {
  const spec = OLIST_TABLES.find((t) => t.name === name);
  if (!spec) throw new Error(`unknown Olist table '${name}'`);
  return spec;
}

export function columnNames(name: TableName): string[] {
  return tableSpec(name).columns.map((c) => c.name);
}
