/**
 * The processed tables as both stores hold them: the Parquet file name in the processed folder, the
 * PostgreSQL table of the same name, its primary key and the indexes the readers use.
 */
export interface StoredTableSpec {
  readonly name: string;
  readonly file: string;
  readonly primaryKey: readonly string[];
  /** Column lists to index (what readers filter or join on). */
  readonly indexes: readonly (readonly string[])[];
}

export const STORED_TABLES: readonly StoredTableSpec[] = [
  { name: "order_facts", file: "order_facts.parquet", primaryKey: ["order_id"], indexes: [["customer_unique_id"], ["order_purchase_timestamp"], ["order_status", "order_purchase_timestamp"]] },
  { name: "order_item_facts", file: "order_item_facts.parquet", primaryKey: ["order_id", "order_item_id"], indexes: [["customer_unique_id", "order_purchase_timestamp"], ["product_id"]] },
  { name: "daily_revenue", file: "daily_revenue.parquet", primaryKey: ["ds"], indexes: [] },
  { name: "rfm_base", file: "rfm_base.parquet", primaryKey: ["customer_unique_id"], indexes: [] },
  { name: "user_features", file: "user_features.parquet", primaryKey: ["customer_unique_id"], indexes: [] },
  { name: "item_features", file: "item_features.parquet", primaryKey: ["product_id"], indexes: [["category"]] },
  // notebook 04 and `segment --out data/processed/segments` write it there
  { name: "segments", file: "segments/segments.parquet", primaryKey: ["customer_unique_id"], indexes: [["segment"]] },
];

export type StoredTableName = "order_facts" | "order_item_facts" | "daily_revenue" | "rfm_base" | "user_features" | "item_features" | "segments";

export function tableSpec(name: string): StoredTableSpec {
  const spec = STORED_TABLES.find((t) => t.name === name);
  if (spec === undefined) throw new RangeError(`no processed table '${name}'; tables: ${STORED_TABLES.map((t) => t.name).join(", ")}`);
  return spec;
}
