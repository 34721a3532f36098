import { existsSync } from "node:fs";
import { join } from "node:path";
import pl from "nodejs-polars";
import { DataValidationError } from "../io/data-validation-error.js";
import { inputsFromProcessed, type MonitorInputs } from "../monitor/run.js";
import { requireProcessedDir } from "./processed-dir.js";

/** The monitor's inputs from the processed tables (order_facts.parquet, and order_item_facts.parquet when present). */
export function monitorInputsFromProcessedDir(dir: string): MonitorInputs {
  requireProcessedDir(dir);
  const factsPath = join(dir, "order_facts.parquet");
  if (!existsSync(factsPath)) {
    throw new DataValidationError({ file: factsPath, problem: "file not found", expected: "the processed tables: run `npx retail-intel features` first" });
  }
  const itemsPath = join(dir, "order_item_facts.parquet");
  return inputsFromProcessed(pl.readParquet(factsPath), existsSync(itemsPath) ? pl.readParquet(itemsPath) : undefined, `processed tables in ${dir}`);
}
