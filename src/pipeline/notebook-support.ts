import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import pl from "nodejs-polars";
import type { QualityReport } from "../data/quality-report.js";
import { withTableStore } from "../store/index.js";
import { readSampleManifest, writeOlistSample } from "../data/sample/index.js";
import { hasNoOlistFiles } from "./data-steps.js";
import { ARTIFACT_DIR_ENV } from "./env-names.js";
import { paramOverrides } from "./params.js";
import { sampleParamsRefusal } from "./sample-params.js";

/** The repository root: the nearest folder upwards with the retail-intel package.json. */
export function repoRoot(from = process.cwd()): string {
  let dir = resolve(from);
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "retail-intel") return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`not inside the retail-intel repository: ${from}`);
    dir = parent;
  }
}

/** Where this notebook run keeps files for MLflow (the runner's folder, or reports/artifacts/interactive). */
export function artifactDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env[ARTIFACT_DIR_ENV] ?? join(repoRoot(), "reports", "artifacts", "interactive");
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The parameters of notebooks 01 and 02 that say where the raw data is and which sample to generate. */
export interface RawDataParams {
  readonly rawDir: string;
  readonly sampleOrders: number;
  readonly sampleSeed: string;
}

const describeSample = (orders: number, seed: string): string => `${orders.toLocaleString("en-US")} orders, seed "${seed}"`;

/**
 * Makes `rawDir` hold the data the parameters ask for, and says what it did. No Olist files: generates the
 * sample there. The generated sample of another size or seed (its manifest says so): generates it again.
 * Olist files that were not generated: uses them, and refuses a sample parameter the runner was given, since
 * it could not take effect.
 */
export async function ensureRawData(params: RawDataParams, env: NodeJS.ProcessEnv = process.env): Promise<{ generated: boolean; message: string }> {
  const { rawDir, sampleOrders: orders, sampleSeed: seed } = params;
  const wanted = describeSample(orders, seed);
  if (hasNoOlistFiles(rawDir)) {
    await writeOlistSample(rawDir, { orders, seed });
    return { generated: true, message: `no Olist files in ${rawDir}: generated the sample there (${wanted})` };
  }
  const existing = readSampleManifest(rawDir);
  if (existing === undefined) {
    const refusal = sampleParamsRefusal(rawDir, Object.keys(paramOverrides(env)));
    if (refusal) throw refusal;
    return { generated: false, message: `using the Olist files in ${rawDir} (sampleOrders and sampleSeed apply only to the generated sample)` };
  }
  if (existing.orders === orders && existing.seed === seed) {
    return { generated: false, message: `using the generated sample in ${rawDir} (${wanted})` };
  }
  await writeOlistSample(rawDir, { orders, seed });
  return { generated: true, message: `${rawDir} held the generated sample with ${describeSample(existing.orders, existing.seed)}: generated it again with ${wanted}, as the parameters ask` };
}

/** For the notebooks after 01, which read the raw data but leave preparing it to notebook 01. */
export function requireRawData(rawDir: string): void {
  if (hasNoOlistFiles(rawDir)) {
    throw new Error(`no Olist files in ${rawDir}: run notebook 01 first (npx retail-intel pipeline --only 01), which generates the sample there, or put the nine Olist CSV files there`);
  }
}

/** Data-quality figures as MLflow metrics (rows, missing shares, outliers, orphans). */
export function qualityMetrics(report: QualityReport): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const t of report.tables) {
    metrics[`rows.${t.table}`] = t.rows;
    metrics[`duplicate_rows.${t.table}`] = t.duplicateRows;
    metrics[`max_missing_pct.${t.table}`] = Math.max(0, ...t.columns.map((c) => c.missingPct));
  }
  for (const o of report.outliers) metrics[`outlier_pct.${o.table}.${o.column}`] = o.outlierPct;
  metrics["fk_orphans"] = report.referentialIntegrity.reduce((sum, fk) => sum + fk.orphans, 0);
  metrics["untranslated_categories"] = report.untranslatedCategories.length;
  return metrics;
}

/** The daily revenue table written by notebook 02 (`ds`, `y`, `orders`), with the data origin it came from, from the folder or the PostgreSQL store. */
export async function readDailyRevenue(processedDir: string, env: NodeJS.ProcessEnv = process.env): Promise<{
  ds: Date[];
  y: number[];
  orders: number[];
  origin: string;
}> {
  return withTableStore({ processedDir, env }, async (store) => {
    if (!(await store.has("daily_revenue"))) throw new Error(`${store.kind === "parquet" ? join(processedDir, "daily_revenue.parquet") : `daily_revenue in ${store.description}`} not found: run notebook 02 (npx retail-intel pipeline --only 02) first`);
    const rows = (await store.read("daily_revenue")).toRecords();
    const manifest = await store.manifest();
    return {
      ds: rows.map((r) => r["ds"] as unknown as Date),
      y: rows.map((r) => Number(r["y"])),
      orders: rows.map((r) => Number(r["orders"])),
      origin: manifest?.origin.description ?? "unknown origin (no features.json beside the table)",
    };
  });
}

/** A name as an MLflow key part: "Can't Lose Them" -> "cant_lose_them" (keys allow only [/\w.\- ]). */
export function metricKeyPart(name: string): string {
  return name
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/** RFM rows as a polars frame (recency_days, frequency, monetary) for distribution tables and histograms. */
export function rfmFrame(rows: readonly { recencyDays: number; frequency: number; monetary: number }[]): pl.DataFrame {
  return pl.DataFrame({
    recency_days: rows.map((r) => r.recencyDays),
    frequency: rows.map((r) => r.frequency),
    monetary: rows.map((r) => r.monetary),
  });
}
