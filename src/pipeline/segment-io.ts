import { writeFileSync } from "node:fs";
import { extname, join } from "node:path";
import pl from "nodejs-polars";
import { scanCsv } from "../data/csv-scan.js";
import { readParquetFile } from "../data/parquet-file.js";
import { DataValidationError } from "../io/data-validation-error.js";
import { writeFilesAtomically } from "../io/atomic-write.js";
import { requireFile } from "../io/path-checks.js";
import { readFileNamed } from "../io/read-file.js";
import { withTableStore } from "../store/index.js";
import type { RfmOrder, RfmRow } from "../segment/rfm.js";
import type { SegmentSummaryRow } from "../segment/summary.js";

/**
 * Delivered orders from the processed tables' order_facts (the Parquet folder `processedDir`, or the
 * PostgreSQL store when `processedDir` is a postgresql:// URL or RETAIL_INTEL_DATABASE_URL is set), as RFM takes them.
 */
export async function deliveredOrdersFromProcessed(processedDir: string, env: NodeJS.ProcessEnv = process.env): Promise<RfmOrder[]> {
  const facts = await withTableStore({ processedDir, env }, (store) => store.read("order_facts"));
  return facts
    .filter(pl.col("order_status").eq(pl.lit("delivered")))
    .select("customer_unique_id", "order_id", "order_purchase_timestamp", "revenue")
    .toRecords()
    .map((r) => ({
      customerUniqueId: String(r["customer_unique_id"]),
      orderId: String(r["order_id"]),
      purchase: r["order_purchase_timestamp"] as unknown as Date,
      revenue: Number(r["revenue"]),
    }));
}

export const RFM_FILE_COLUMNS = ["customer_unique_id", "recency", "frequency", "monetary"] as const;

/**
 * The RFM table's frame, and the row to name for its i-th record: the CSV editor line (the CSV is scanned
 * as the Olist files are: UTF-8, rectangular, not truncated), or for Parquet the data row + 1 (header = 1).
 */
function readRfmTable(path: string): { frame: pl.DataFrame; rowOf: (index: number) => number } {
  if (extname(path).toLowerCase() === ".parquet") return { frame: readParquetFile(path, "RFM file"), rowOf: (i) => i + 2 };
  const layout = scanCsv(readFileNamed(path, "RFM file"), path);
  return { frame: pl.readCSV(layout.body, { hasHeader: true, inferSchemaLength: 0 }), rowOf: (i) => layout.recordLines[i]! };
}

/**
 * A ready RFM table (CSV or Parquet) with columns customer_unique_id, recency (days), frequency (orders),
 * monetary; checked value by value: ids present and unique, recency >= 0, frequency an integer >= 1,
 * monetary finite and >= 0. Errors name the file, row (CSV editor line; Parquet row + 1) and column.
 */
export function rfmFromFile(path: string): RfmRow[] {
  requireFile(path, "RFM file");
  const { frame, rowOf } = readRfmTable(path);
  const missing = RFM_FILE_COLUMNS.filter((c) => !frame.columns.includes(c));
  if (missing.length > 0) {
    throw new DataValidationError({ file: path, row: 1, column: missing[0], problem: "missing column", expected: `the columns ${RFM_FILE_COLUMNS.join(",")}` });
  }
  const records = frame.select(...RFM_FILE_COLUMNS).toRecords();
  const seen = new Map<string, number>();
  return records.map((r, i) => {
    const row = rowOf(i);
    const fail = (column: string, value: unknown, expected: string): never => {
      throw new DataValidationError({ file: path, row, column, value: String(value ?? ""), problem: "invalid value", expected });
    };
    const id = r["customer_unique_id"];
    if (id === null || id === undefined || String(id).trim() === "") fail("customer_unique_id", id, "a customer id");
    const customerUniqueId = String(id);
    const first = seen.get(customerUniqueId);
    if (first !== undefined) {
      throw new DataValidationError({ file: path, row, column: "customer_unique_id", value: customerUniqueId, problem: `duplicate customer (first on row ${first})`, expected: "one row per customer" });
    }
    seen.set(customerUniqueId, row);
    const recencyDays = Number(r["recency"]);
    if (r["recency"] === null || !Number.isFinite(recencyDays) || recencyDays < 0) fail("recency", r["recency"], "days since the last purchase, >= 0");
    const frequency = Number(r["frequency"]);
    if (r["frequency"] === null || !Number.isInteger(frequency) || frequency < 1) fail("frequency", r["frequency"], "a whole number of orders >= 1");
    const monetary = Number(r["monetary"]);
    if (r["monetary"] === null || !Number.isFinite(monetary) || monetary < 0) fail("monetary", r["monetary"], "a finite amount >= 0");
    return { customerUniqueId, recencyDays, frequency, monetary };
  });
}

/** One output row of segments.parquet. */
export interface SegmentOutputRow {
  readonly customerUniqueId: string;
  readonly recencyDays: number;
  readonly frequency: number;
  readonly monetary: number;
  readonly r: number;
  readonly f: number;
  readonly m: number;
  readonly segment: string;
  readonly cluster: number;
  readonly clusterName: string;
}

const csvField = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** The summary CSV: segment,customers,share,revenue,revenue_share,aov (one row per rule segment). */
export function segmentSummaryCsv(rows: readonly SegmentSummaryRow[]): string {
  const lines = ["segment,customers,share,revenue,revenue_share,aov"];
  for (const r of rows) lines.push([csvField(r.segment), r.customers, r.share, r.revenue, r.revenueShare, r.aov].join(","));
  return `${lines.join("\n")}\n`;
}

/** Writes segments.parquet, segment_summary.csv and segment_summary.json into `outDir`, all or nothing. */
/** segments.parquet's frame: one row per customer with scores, segment and cluster. */
export function segmentsFrame(customers: readonly SegmentOutputRow[]): pl.DataFrame {
  return pl.DataFrame({
    customer_unique_id: customers.map((c) => c.customerUniqueId),
    recency: customers.map((c) => c.recencyDays),
    frequency: customers.map((c) => c.frequency),
    monetary: customers.map((c) => c.monetary),
    r_score: customers.map((c) => c.r),
    f_score: customers.map((c) => c.f),
    m_score: customers.map((c) => c.m),
    segment: customers.map((c) => c.segment),
    cluster: customers.map((c) => c.cluster),
    cluster_name: customers.map((c) => c.clusterName),
  });
}

export function writeSegmentOutputs(outDir: string, customers: readonly SegmentOutputRow[], summary: readonly SegmentSummaryRow[], details: unknown): void {
  const frame = segmentsFrame(customers);
  writeFilesAtomically([
    { path: join(outDir, "segments.parquet"), write: (temp) => frame.writeParquet(temp, { compression: "zstd" }) },
    { path: join(outDir, "segment_summary.csv"), write: (temp) => writeFileSync(temp, segmentSummaryCsv(summary)) },
    { path: join(outDir, "segment_summary.json"), write: (temp) => writeFileSync(temp, `${JSON.stringify(details, null, 2)}\n`) },
  ]);
}
