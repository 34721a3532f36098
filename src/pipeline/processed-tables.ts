import { existsSync } from "node:fs";
import { join } from "node:path";
import type pl from "nodejs-polars";
import { readParquetFile } from "../data/parquet-file.js";
import { DataValidationError } from "../io/data-validation-error.js";
import { FileError } from "../io/file-error.js";
import { requireDirectory } from "../io/path-checks.js";

/**
 * One table of the processed folder `dir` (written by `npx retail-intel features`). A missing folder or
 * file says so; a file that is not readable Parquet (cut short) is named as damaged, with the command
 * that rebuilds it.
 */
export function readProcessedTable(dir: string, file: string): pl.DataFrame {
  requireDirectory(dir, "processed tables folder", `run \`npx retail-intel features --out ${dir}\` first`);
  const path = join(dir, file);
  if (!existsSync(path)) {
    throw new DataValidationError({ file: path, problem: "file not found", expected: "the processed tables: run `npx retail-intel features` first" });
  }
  try {
    return readParquetFile(path);
  } catch (error) {
    if (!(error instanceof FileError)) throw error;
    throw new FileError(path, error.kind, `processed tables folder ${dir} is damaged: ${file} ${error.reason}; re-run \`npx retail-intel features --out ${dir}\` to rebuild it`, error.reason);
  }
}
