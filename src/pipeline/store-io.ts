/**
 * Writing to whichever store the readers will read: the PostgreSQL store when `processedDir` is a
 * postgresql:// URL or RETAIL_INTEL_DATABASE_URL is set, else the Parquet folder.
 */
import type { DataOrigin } from "../data/data-kind.js";
import type { FeatureTables } from "../features/build-features.js";
import { featuresManifest, writeFeatureTables, type FeaturesManifest } from "../features/write-features.js";
import { loadIntoPostgres, resolveStoreUrl, type LoadResult } from "../store/index.js";
import { segmentsFrame, type SegmentOutputRow } from "./segment-io.js";

/** The processed tables to the store (Parquet files and features.json, or PostgreSQL all or nothing); says where. */
export async function saveFeatureTables(
  tables: FeatureTables,
  processedDir: string,
  rawDir: string,
  origin: DataOrigin,
  options: { env?: NodeJS.ProcessEnv; onStep?: (line: string) => void } = {},
): Promise<{ manifest: FeaturesManifest; where: string; load?: LoadResult }> {
  const env = options.env ?? process.env;
  const url = resolveStoreUrl(processedDir, undefined, env);
  if (url === undefined) return { manifest: writeFeatureTables(tables, processedDir, rawDir, origin), where: processedDir };
  const manifest = featuresManifest(tables, rawDir, origin);
  const load = await loadIntoPostgres(url, Object.entries(tables).map(([name, frame]) => ({ name, frame })), { manifest, env, ...(options.onStep === undefined ? {} : { onStep: options.onStep }) });
  return { manifest, where: `PostgreSQL (${load.changed ? "loaded" : "unchanged"})`, load };
}

/** The segments table into the PostgreSQL store when there is one (the Parquet copy is the segment folder's); the store's description, or undefined. */
export async function saveSegmentsToStore(processedDir: string, customers: readonly SegmentOutputRow[], env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const url = resolveStoreUrl(processedDir, undefined, env);
  if (url === undefined) return undefined;
  const result = await loadIntoPostgres(url, [{ name: "segments", frame: segmentsFrame(customers) }], { env });
  return `PostgreSQL table segments (${result.changed ? "loaded" : "unchanged"})`;
}
