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
