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

/**
 * Every processed table. Async only to free polars' native memory between steps
 * ({@link releaseNativeMemory}): at 1M orders the intermediate frames otherwise doubled the peak.
 */
export async function buildFeatureTables(olist: LoadedOlist): Promise<FeatureTables> {
  const orderItemFacts = buildOrderItemFacts(olist);
  await releaseNativeMemory();
  const orderFacts = buildOrderFacts(olist, orderItemFacts);
  await releaseNativeMemory();
  const daily = buildDailyRevenue(orderFacts);
  const rfm = buildRfmBase(orderFacts);
  await releaseNativeMemory();
  const users = buildUserFeatures(olist, orderFacts, orderItemFacts);
  await releaseNativeMemory();
  const items = buildItemFeatures(olist, orderItemFacts, orderFacts);
  await releaseNativeMemory();
  return { order_item_facts: orderItemFacts, order_facts: orderFacts, daily_revenue: daily, rfm_base: rfm, user_features: users, item_features: items };
}
