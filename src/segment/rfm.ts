import { MS_PER_DAY } from "../io/time.js";

/** One order as RFM needs it. The caller passes delivered orders only (Olist `order_status = "delivered"`). */
export interface RfmOrder {
  /** Olist `customer_unique_id` (a person); `customer_id` is per order in Olist and must not be used here. */
  readonly customerUniqueId: string;
  readonly orderId: string;
  /** `order_purchase_timestamp`. */
  readonly purchase: Date;
  /** Revenue of the order (total `payment_value`). */
  readonly revenue: number;
}

/** One row per customer. */
export interface RfmRow {
  readonly customerUniqueId: string;
  /** Whole days from the customer's last purchase to the reference date. */
  readonly recencyDays: number;
  /** Distinct orders. */
  readonly frequency: number;
  /** Sum of revenue over the customer's orders. */
  readonly monetary: number;
}

export interface RfmOptions {
  /** Recency is measured to this instant; default {@link defaultReferenceDate} of the orders. */
  readonly referenceDate?: Date;
}

export { MS_PER_DAY } from "../io/time.js";

/**
 * Midnight UTC of the day after the last purchase in the data (the seed's choice):
 * ref = (floor(max(purchase) / 1 day) + 1) * 1 day.
 * Throws on an empty order list (there is no last purchase).
 */
export function defaultReferenceDate(orders: readonly Pick<RfmOrder, "purchase">[]): Date {
  if (orders.length === 0) throw new RangeError("defaultReferenceDate: no orders, so there is no last purchase; pass referenceDate");
  let last = -Infinity;
  for (const o of orders) last = Math.max(last, o.purchase.getTime());
  return new Date((Math.floor(last / MS_PER_DAY) + 1) * MS_PER_DAY);
}

/**
 * Recency, frequency and monetary value per `customer_unique_id`.
 *
 * The caller passes **delivered orders only**; this function does not filter by status.
 * - recencyDays = floor((referenceDate - max(purchase)) / 1 day), whole days (>= 0 with the default reference date);
 * - frequency   = number of distinct orderId;
 * - monetary    = sum of revenue over the customer's rows (an order split over several rows, e.g. several
 *                 payments, is summed, and still counts once in frequency).
 *
 * Rows are ordered by customerUniqueId (code-unit order), so the output is the same for any input order.
 * Throws RangeError naming the row for an invalid purchase date or a non-finite revenue, and when a
 * purchase falls after an explicit reference date.
 */
export function computeRfm(orders: readonly RfmOrder[], options: RfmOptions = {}): RfmRow[] {
  orders.forEach((o, i) => {
    if (!(o.purchase instanceof Date) || Number.isNaN(o.purchase.getTime())) {
      throw new RangeError(`computeRfm: order ${i} (orderId ${JSON.stringify(o.orderId)}): purchase is not a valid date`);
    }
    if (!Number.isFinite(o.revenue)) {
      throw new RangeError(`computeRfm: order ${i} (orderId ${JSON.stringify(o.orderId)}): revenue ${o.revenue} is not a finite number`);
    }
  });
  if (orders.length === 0) return [];
  const reference = (options.referenceDate ?? defaultReferenceDate(orders)).getTime();
  if (Number.isNaN(reference)) throw new RangeError("computeRfm: referenceDate is not a valid date");

  // Most customers have one order row: the Set and the list of revenues are made only for a second row
  // (per-customer Sets and arrays for 1M customers kept the garbage collector busy for seconds).
  const byCustomer = new Map<string, { last: number; firstOrder: string; revenue: number; orders?: Set<string>; revenues?: number[] }>();
  for (const o of orders) {
    const t = o.purchase.getTime();
    const acc = byCustomer.get(o.customerUniqueId);
    if (acc === undefined) {
      byCustomer.set(o.customerUniqueId, { last: t, firstOrder: o.orderId, revenue: o.revenue });
    } else {
      acc.last = Math.max(acc.last, t);
      (acc.orders ??= new Set([acc.firstOrder])).add(o.orderId);
      (acc.revenues ??= [acc.revenue]).push(o.revenue);
    }
  }

  const ids = [...byCustomer.keys()].sort(compareIds);
  return ids.map((id) => {
    const acc = byCustomer.get(id)!;
    if (acc.last > reference) {
      throw new RangeError(
        `computeRfm: customer ${JSON.stringify(id)} purchased at ${new Date(acc.last).toISOString()}, after the reference date ${new Date(reference).toISOString()}`,
      );
    }
    return {
      customerUniqueId: id,
      recencyDays: Math.floor((reference - acc.last) / MS_PER_DAY),
      frequency: acc.orders?.size ?? 1,
      // Summed in sorted order so floating-point rounding, hence M ties, do not depend on the input order.
      monetary: acc.revenues === undefined ? acc.revenue : acc.revenues.sort((a, b) => a - b).reduce((sum, v) => sum + v, 0),
    };
  });
}

/** Plain code-unit string order (locale-independent, so the same everywhere). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
