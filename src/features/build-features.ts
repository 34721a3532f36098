import type pl from "nodejs-polars";
import type { LoadedOlist } from "../data/load-olist.js";
import { buildDailyRevenue } from "./daily-revenue.js";
import { buildItemFeatures } from "./item-features.js";
import { buildOrderFacts } from "./order-facts.js";
import { buildOrderItemFacts } from "./order-item-facts.js";
import { buildRfmBase } from "./rfm-base.js";
import { buildUserFeatures } from "./user-features.js";
import { releaseNativeMemory } from "../io/native-memory.js";

/** The processed tables, by the file stem each is written under in data/processed. */
export interface FeatureTables {
  readonly order_item_facts: pl.DataFrame;
  readonly order_facts: pl.DataFrame;
  readonly daily_revenue: pl.DataFrame;
  readonly rfm_base: pl.DataFrame;
  readonly user_features: pl.DataFrame;
  readonly item_features: pl.DataFrame;
}

/** Seconds and resident memory after one table was built (for the bench's breakdown). */
export type OnTableBuilt = (table: keyof FeatureTables, seconds: number, rssMiB: number) => void;

/**
 * Every processed table. Async only to free polars' native memory between steps
 * ({@link releaseNativeMemory}): at 1M orders the intermediate frames otherwise doubled the peak.
 */
export async function buildFeatureTables(olist: LoadedOlist, onTable?: OnTableBuilt): Promise<FeatureTables> {
  const built: Partial<Record<keyof FeatureTables, pl.DataFrame>> = {};
  const step = async (table: keyof FeatureTables, build: () => pl.DataFrame): Promise<pl.DataFrame> => {
    const start = performance.now();
    built[table] = build();
    await releaseNativeMemory();
    onTable?.(table, (performance.now() - start) / 1000, process.memoryUsage().rss / 2 ** 20);
    return built[table]!;
  };
  await releaseNativeMemory(); // what loading and validating the raw tables left behind
  const orderItemFacts = await step("order_item_facts", () => buildOrderItemFacts(olist));
  const orderFacts = await step("order_facts", () => buildOrderFacts(olist, orderItemFacts));
  await step("daily_revenue", () => buildDailyRevenue(orderFacts));
  await step("rfm_base", () => buildRfmBase(orderFacts));
  await step("user_features", () => buildUserFeatures(olist, orderFacts, orderItemFacts));
  await step("item_features", () => buildItemFeatures(olist, orderItemFacts, orderFacts));
  return built as FeatureTables;
}
