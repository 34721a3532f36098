import { join } from "node:path";
import { buildQualityReport, type QualityReport } from "../data/quality-report.js";
import { loadOlist, type LoadedOlist } from "../data/load-olist.js";
import { resolveTablePath } from "../data/load-table.js";
import { OLIST_TABLES } from "../data/olist-schema.js";
import { buildFeatureTables, type OnTableBuilt } from "../features/build-features.js";
import { writeFeatureTables, type FeaturesManifest } from "../features/write-features.js";
import { writeFileAtomically } from "../io/atomic-write.js";

export const DEFAULT_RAW_DIR = "data/raw";
export const DEFAULT_PROCESSED_DIR = "data/processed";
export const DEFAULT_QUALITY_REPORT = join("reports", "data-quality.json");

/** True when `rawDir` holds none of the nine Olist files (so the generated sample may go there). */
export function hasNoOlistFiles(rawDir: string): boolean {
  return OLIST_TABLES.every((spec) => resolveTablePath(rawDir, spec) === undefined);
}

export interface ValidationResult {
  readonly olist: LoadedOlist;
  readonly report: QualityReport;
}

/** Loads and validates the raw tables, builds the data-quality report and writes it as JSON. */
export function validateRaw(rawDir: string, reportPath: string | undefined): ValidationResult {
  const olist = loadOlist(rawDir);
  const report = buildQualityReport(olist, rawDir);
  if (reportPath) writeFileAtomically(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  return { olist, report };
}

/** Builds the processed tables from validated raw tables and writes them as Parquet. */
export async function writeFeatures(validation: ValidationResult, outDir: string, onTable?: OnTableBuilt): Promise<FeaturesManifest> {
  const tables = await buildFeatureTables(validation.olist, onTable);
  return writeFeatureTables(tables, outDir, validation.report.rawDir, validation.report.origin);
}
