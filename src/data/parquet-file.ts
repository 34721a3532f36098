import pl from "nodejs-polars";
import { FileError, oneLine } from "../io/file-error.js";

/** Reads a Parquet file; one that is not valid Parquet (cut short, or another format) is a FileError naming it. */
/**
 * `columns`: read only those of them the file has (a missing one is left for the caller to name), which
 * at 1M orders keeps the other columns' strings out of memory.
 */
export function readParquetFile(path: string, role = "file", columns?: readonly string[]): pl.DataFrame {
  try {
    if (columns === undefined) return pl.readParquet(path);
    const present = new Set(pl.scanParquet(path).columns);
    return pl.readParquet(path, { columns: columns.filter((c) => present.has(c)) });
  } catch (error) {
    const reason = `is not a readable Parquet file (${oneLine((error as Error).message)})`;
    throw new FileError(path, "damaged", `${role} ${path} ${reason}`, reason);
  }
}
