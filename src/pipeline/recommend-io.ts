import { writeFileSync } from "node:fs";
import { join } from "node:path";
import pl from "nodejs-polars";
import { DataValidationError } from "../io/data-validation-error.js";
import { UNKNOWN_CATEGORY } from "../features/order-item-facts.js";
import { writeFilesAtomically, type PendingFile } from "../io/atomic-write.js";
import { releaseNativeMemory } from "../io/native-memory.js";
import { withTableStore, type StoredTableName, type TableStore } from "../store/index.js";
import type { EvaluationResult, MetricRow } from "../recommend/evaluate.js";
import { toSavedModel } from "../recommend/saved-model.js";
import type { Dataset, RecItem, RecommendColumns } from "../recommend/types.js";
import { savedModelFiles } from "./recommend-model-io.js";

const REQUIRED = {
  "order_facts.parquet": ["order_id", "customer_unique_id", "order_status", "order_purchase_timestamp", "customer_state", "payment_value", "main_payment_type", "max_installments", "review_score"],
  "order_item_facts.parquet": ["order_id", "product_id", "price"],
  "item_features.parquet": ["product_id", "category", "weight_g", "volume_cm3", "photos_qty", "name_length", "description_length"],
} as const;

async function readTable(store: TableStore, file: keyof typeof REQUIRED): Promise<pl.DataFrame> {
  const frame = await store.read(file.replace(/\.parquet$/, "") as StoredTableName, REQUIRED[file]);
  const where = store.kind === "parquet" ? join(store.description, file) : `${store.description}, table ${file.replace(/\.parquet$/, "")}`;
  const missing = REQUIRED[file].filter((c) => !frame.columns.includes(c));
  if (missing.length > 0) throw new DataValidationError({ file: where, column: missing[0], problem: "missing column", expected: `the columns ${REQUIRED[file].join(",")}` });
  return frame;
}

const column = (frame: pl.DataFrame, name: string): unknown[] => frame.getColumn(name).toArray() as unknown[];
const numberOrNull = (v: unknown): number | null => (v === null || v === undefined || Number.isNaN(Number(v)) ? null : Number(v));
const timeMs = (v: unknown): number => (v instanceof Date ? v.getTime() : Number(v));
const strings = (frame: pl.DataFrame, name: string, missing: string): string[] => Array.from(column(frame, name), (v) => (v === null || v === undefined ? missing : String(v)));
const numbers = (frame: pl.DataFrame, name: string, missing: number): Float64Array => Float64Array.from(column(frame, name), (v) => numberOrNull(v) ?? missing);

/**
 * The recommender's input from the processed tables, as columns: delivered orders, their items
 * (product and price), payments and review, and the whole product catalogue (item_features.parquet)
 * with its static attributes. Sales-derived item columns of item_features are not read: they cover
 * all time, the future included. buildDataset leaves out orders without items.
 */
export async function recommendInputFromProcessed(processedDir: string, env: NodeJS.ProcessEnv = process.env): Promise<RecommendColumns> {
  const input = await withTableStore({ processedDir, env }, async (store) => ({
    orders: deliveredOrders((await readTable(store, "order_facts.parquet")).filter(pl.col("order_status").eq(pl.lit("delivered")))),
    orderItems: orderItems(await readTable(store, "order_item_facts.parquet")),
    items: catalogue(await readTable(store, "item_features.parquet")),
  }));
  await releaseNativeMemory(); // the frames read above
  return input;
}

function deliveredOrders(frame: pl.DataFrame): RecommendColumns["orders"] {
  return {
    orderId: strings(frame, "order_id", ""),
    userId: strings(frame, "customer_unique_id", ""),
    time: Float64Array.from(column(frame, "order_purchase_timestamp"), timeMs),
    state: strings(frame, "customer_state", ""),
    paymentValue: numbers(frame, "payment_value", 0),
    paymentType: strings(frame, "main_payment_type", "not_defined"),
    installments: numbers(frame, "max_installments", 1),
    reviewScore: numbers(frame, "review_score", Number.NaN),
  };
}

function orderItems(frame: pl.DataFrame): RecommendColumns["orderItems"] {
  return { orderId: strings(frame, "order_id", ""), productId: strings(frame, "product_id", ""), price: numbers(frame, "price", 0) };
}

function catalogue(frame: pl.DataFrame): RecItem[] {
  const col = (name: string) => column(frame, name);
  const [productId, category, weight, volume, photos, nameLength, descriptionLength] = [
    col("product_id"), col("category"), col("weight_g"), col("volume_cm3"), col("photos_qty"), col("name_length"), col("description_length"),
  ] as const;
  return productId.map((id, i) => ({
    productId: String(id),
    category: String(category[i] ?? UNKNOWN_CATEGORY),
    weightG: numberOrNull(weight[i]),
    volumeCm3: numberOrNull(volume[i]),
    photos: numberOrNull(photos[i]),
    nameLength: numberOrNull(nameLength[i]),
    descriptionLength: numberOrNull(descriptionLength[i]),
  }));
}

export const METRICS_CSV_COLUMNS = ["protocol", "model", "metric", "mean", "std", "seeds"] as const;

/** metrics.csv: one row per protocol x model x metric, with mean and std over seeds (the intervals are in metrics.json: tests and users read these columns by position). */
export function metricsCsv(rows: readonly MetricRow[]): string {
  const lines = [METRICS_CSV_COLUMNS.join(",")];
  for (const r of rows) lines.push([r.protocol, r.model, r.metric, formatNumber(r.mean), formatNumber(r.std), r.seeds].join(","));
  return `${lines.join("\n")}\n`;
}

const formatNumber = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(10))) : "NaN");

/** Writes DIR/model/ (the first seed's two-tower model), DIR/metrics.csv and DIR/metrics.json, all or nothing. */
export function writeRecommendEvaluation(outDir: string, result: EvaluationResult, dataset: Dataset, context: Record<string, unknown>): void {
  const modelFiles: PendingFile[] = [];
  if (result.firstModel) {
    const { protocol, fitted } = result.firstModel;
    const summary = result.protocols.find((p) => p.protocol === protocol)!;
    modelFiles.push(...savedModelFiles(join(outDir, "model"), toSavedModel(fitted, dataset, protocol, summary.trainInteractions, summary.cutoff === null ? undefined : Date.parse(summary.cutoff))));
  }
  const details = {
    ...context,
    config: result.config,
    protocols: result.protocols,
    reportedProtocols: {
      "temporal-full": "temporal-full, users with at least one order before the cut-off",
      "temporal-full-cold-start": "temporal-full, users with no order before the cut-off (no history: features are the state only)",
      "loo-sampled-99": "loo-sampled-99",
      "loo-sampled-99-leaky": "loo-sampled-99-leaky",
    },
    metrics: {
      "hr@K": "share of evaluated purchases whose product ranks in the top K (ties: expected value under a random order of tied items)",
      mrr: "mean of 1 / rank of the purchased product",
      "ndcg@10": "mean of 1 / log2(rank + 1) when rank <= 10, else 0 (one relevant item)",
      "coverage@10": "distinct products in any top-10 list / catalogue size",
    },
    seedsNote: "two-tower: one training per seed 1..N on the same split; baselines are deterministic and run once (seeds 1, std 0); std is the sample standard deviation over seeds",
    intervalNote:
      "ciLow/ciHigh: 95% percentile-bootstrap interval of the mean over evaluated purchases (1000 resamples of the purchases, seeded, the same purchase indices for every model of a protocol); for a model with several seeds each purchase's value is first averaged over the seeds, so the interval is about which purchases were evaluated and std is the seed spread; coverage@10 has none (null): it counts distinct products over all purchases, not a mean of per-purchase values",
    rows: result.rows.map(({ perQuery: _perQuery, ...row }) => row),
    trainingHistory: result.histories,
  };
  writeFilesAtomically([
    ...modelFiles,
    { path: join(outDir, "metrics.csv"), write: (temp) => writeFileSync(temp, metricsCsv(result.rows)) },
    { path: join(outDir, "metrics.json"), write: (temp) => writeFileSync(temp, `${JSON.stringify(details, null, 2)}\n`) },
  ]);
}
