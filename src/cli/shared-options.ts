import { DEFAULT_PROCESSED_DIR, DEFAULT_RAW_DIR } from "../pipeline/data-steps.js";
import type { OptionSpec } from "./command.js";

/** `--raw DIR`, the same on every command that reads the Olist files. */
export const RAW_DIR_OPTION: OptionSpec = {
  type: "string",
  valueName: "DIR",
  description: "folder with the Olist CSV files (.csv or .csv.gz)",
  default: DEFAULT_RAW_DIR,
};

/** `--out DIR` for the processed Parquet tables. */
export const PROCESSED_DIR_OPTION: OptionSpec = {
  type: "string",
  valueName: "DIR",
  description: "folder for the processed Parquet files",
  default: DEFAULT_PROCESSED_DIR,
};

/** `--store URL`: read the processed tables from the PostgreSQL store (as `features --store` wrote them) instead of --processed. */
export const STORE_OPTION: OptionSpec = {
  type: "string",
  valueName: "URL",
  description: "PostgreSQL store to read the processed tables from (postgresql://USER@HOST:PORT/DB; default RETAIL_INTEL_DATABASE_URL when set, else the Parquet folder)",
};

/** Where a reader's processed tables are: --store, else --processed (a folder; RETAIL_INTEL_DATABASE_URL, when set, wins over the folder). */
export function processedSource(values: Readonly<Record<string, unknown>>, fallbackDir: string): string {
  if (typeof values["store"] === "string") return values["store"];
  return typeof values["processed"] === "string" ? values["processed"] : fallbackDir;
}
