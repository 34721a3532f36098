import { inputsFromProcessed, type MonitorInputs } from "../monitor/run.js";
import { withTableStore } from "../store/index.js";

/** The monitor's inputs from the processed tables (order_facts, and order_item_facts when present), in the folder or the PostgreSQL store. */
export async function monitorInputsFromProcessedDir(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<MonitorInputs> {
  return withTableStore({ processedDir: dir, env }, async (store) => {
    const facts = await store.read("order_facts");
    const items = (await store.has("order_item_facts")) ? await store.read("order_item_facts") : undefined;
    return inputsFromProcessed(facts, items, store.kind === "parquet" ? `processed tables in ${dir}` : `processed tables in ${store.description}`);
  });
}
