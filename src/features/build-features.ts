import type pl from "nodejs-polars";
import type { LoadedOlist } from "../data/load-olist.js";
import { buildDailyRevenue } from "./daily-revenue.js";
import { buildItemFeatures } from "./item-features.js";
import { buildOrderFacts } from "./order-facts.js";
import { buildOrderItemFacts } from "./order-item-facts.js";
import { buildRfmBase } from "./rfm-base.js";
import { buildUserFeatures } from "./user-features.js";

/** The processed tables, by the file stem each is written under in data/processed. */
export interface FeatureTables {
  readonly order_item_facts: pl.DataFrame;
  readonly order_facts: pl.DataFrame;
  readonly daily_revenue: pl.DataFrame;
  readonly rfm_base: pl.DataFrame;
  readonly user_features: pl.DataFrame;
  readonly item_features: pl.DataFrame;
}

export function buildFeatureTables(olist: LoadedOlist): FeatureTables {
  const orderItemFacts = buildOrderItemFacts(olist);
  const orderFacts = buildOrderFacts(olist, orderItemFacts);
  return {
    order_item_facts: orderItemFacts,
    order_facts: orderFacts,
    daily_revenue: buildDailyRevenue(orderFacts),
    rfm_base: buildRfmBase(orderFacts),
    user_features: buildUserFeatures(olist, orderFacts, orderItemFacts),
    item_features: buildItemFeatures(olist, orderItemFacts, orderFacts),
  };
}
