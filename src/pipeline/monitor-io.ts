import { existsSync } from "node:fs";
import { join } from "node:path";
import { inputsFromProcessed, type MonitorInputs } from "../monitor/run.js";
import { readProcessedTable } from "../store/index.js";

/** The monitor's inputs from the processed tables (order_facts.parquet, and order_item_facts.parquet when present). */
export function monitorInputsFromProcessedDir(dir: string): MonitorInputs {
  const facts = readProcessedTable(dir, "order_facts.parquet");
  const items = existsSync(join(dir, "order_item_facts.parquet")) ? readProcessedTable(dir, "order_item_facts.parquet") : undefined;
  return inputsFromProcessed(facts, items, `processed tables in ${dir}`);
}
