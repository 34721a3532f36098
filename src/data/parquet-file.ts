import pl from "nodejs-polars";
import { FileError, oneLine } from "../io/file-error.js";

/** Reads a Parquet file; one that is not valid Parquet (cut short, or another format) is a FileError naming it. */
export function readParquetFile(path: string, role = "file"): pl.DataFrame {
  try {
    return pl.readParquet(path);
  } catch (error) {
    const reason = `is not a readable Parquet file (${oneLine((error as Error).message)})`;
    throw new FileError(path, "damaged", `${role} ${path} ${reason}`, reason);
  }
}
