import pl from "nodejs-polars";
import type { OrderStatus } from "../data/olist-schema.js";
import { MS_PER_DAY } from "../io/time.js";

/**
 * Revenue, used the same way everywhere in retail-intel:
 * an order's revenue is the sum of its `payment_value` rows (what the customer paid: items, freight,
 * instalment interest; vouchers included as paid). An order with no payment rows has revenue 0.
 * Orders that were canceled or unavailable carry no revenue; every other status does.
 * The RFM table is stricter (delivered orders only), as segmentation conventionally is.
 */
export const REVENUE_DEFINITION =
  "sum of payment_value per order, by purchase date, excluding orders with status canceled or unavailable";

export const NON_REVENUE_STATUSES: readonly OrderStatus[] = ["canceled", "unavailable"];

/** True for orders whose payments count as revenue. */
export function countsAsRevenue(status: pl.Expr): pl.Expr {
  return status.isIn([...NON_REVENUE_STATUSES]).not();
}

export { MS_PER_DAY } from "../io/time.js";

/** Whole or fractional days between two Datetime("ms") expressions (b - a). */
export function daysBetween(a: pl.Expr, b: pl.Expr): pl.Expr {
  return b.cast(pl.Int64).sub(a.cast(pl.Int64)).cast(pl.Float64).div(MS_PER_DAY);
}
