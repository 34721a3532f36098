import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DataOrigin } from "../data/data-kind.js";
import { writeFilesAtomically } from "../io/atomic-write.js";
import type { FeatureTables } from "./build-features.js";
import { REVENUE_DEFINITION } from "./revenue.js";

export const FEATURES_MANIFEST_FILE = "features.json";

export interface FeaturesManifest {
  readonly generatedBy: "retail-intel features";
  readonly rawDir: string;
  readonly origin: DataOrigin;
  readonly revenueDefinition: string;
  readonly tables: Readonly<Record<string, { readonly file: string; readonly rows: number; readonly columns: readonly string[] }>>;
}

/** features.json's content for these tables. */
export function featuresManifest(tables: FeatureTables, rawDir: string, origin: DataOrigin): FeaturesManifest {
  const entries = Object.entries(tables) as [string, FeatureTables[keyof FeatureTables]][];
  return {
    generatedBy: "retail-intel features",
    rawDir,
    origin,
    revenueDefinition: REVENUE_DEFINITION,
    tables: Object.fromEntries(
      entries.map(([name, frame]) => [name, { file: `${name}.parquet`, rows: frame.height, columns: frame.columns }]),
    ),
  };
}

/** Writes every table as `<name>.parquet` plus features.json into `outDir`, all-or-nothing. */
export function writeFeatureTables(tables: FeatureTables, outDir: string, rawDir: string, origin: DataOrigin): FeaturesManifest {
  const entries = Object.entries(tables) as [string, FeatureTables[keyof FeatureTables]][];
  const manifest = featuresManifest(tables, rawDir, origin);
  writeFilesAtomically([
    ...entries.map(([name, frame]) => ({
      path: join(outDir, `${name}.parquet`),
      write: (temp: string) => frame.writeParquet(temp, { compression: "zstd" }),
    })),
    { path: join(outDir, FEATURES_MANIFEST_FILE), write: (temp: string) => writeFileSync(temp, `${JSON.stringify(manifest, null, 2)}\n`) },
  ]);
  return manifest;
}
