import { groupOf, ordersBefore } from "./dataset.js";
import { MS_PER_DAY } from "../io/time.js";
import { median } from "../stats/descriptive.js";
import type { Dataset } from "./types.js";

/** Category value for a user with no purchase to take a favourite category from. */
export const NO_CATEGORY = "(none)";

/** Numeric user features (before standardisation), in the order the user tower reads them. */
export const USER_NUMERIC_FEATURES = [
  "has_history",
  "log_orders",
  "log_recency_days",
  "log_total_spend",
  "log_avg_order_value",
  "avg_installments",
  "share_credit_card",
  "share_boleto",
  "share_voucher",
  "share_debit_card",
  "avg_review_score",
  "has_review",
] as const;

/** Numeric item features (before standardisation), in the order the item tower reads them. */
export const ITEM_NUMERIC_FEATURES = [
  "log_price",
  "price_known",
  "log_weight_g",
  "log_volume_cm3",
  "photos",
  "log_name_length",
  "log_description_length",
  "log_sales",
] as const;

/** How many of the most recent distinct products a user's history input holds. */
export const HISTORY_ITEMS = 5;

export interface UserFeatures {
  state: string;
  favouriteCategory: string;
  /** Category of the most recent purchase before the cut-off (NO_CATEGORY without one). */
  lastCategory: string;
  /** Item indices of the most recent distinct products bought before the cut-off, newest first, at most HISTORY_ITEMS. */
  recentItems: number[];
  numeric: Float64Array;
}

/**
 * A user's features from their orders with purchase time < `before` only: frequency, recency,
 * monetary value, payment patterns, review scores and favourite category. Recency is measured at
 * `before`, or at `referenceTime` when `before` is +Infinity (the whole-history view). The state is
 * the customer's address on their first order: a profile attribute, not a purchase.
 */
export function userFeaturesBefore(dataset: Dataset, user: number, before: number, referenceTime: number): UserFeatures {
  const own = groupOf(dataset.userOrders, user);
  const n = ordersBefore(dataset, user, before);
  const numeric = new Float64Array(USER_NUMERIC_FEATURES.length);
  const state = own.length > 0 ? dataset.states[dataset.orderState[own[0]!]!]! : "";
  if (n === 0) return { state, favouriteCategory: NO_CATEGORY, lastCategory: NO_CATEGORY, recentItems: [], numeric };

  let spend = 0;
  let installments = 0;
  let reviews = 0;
  let reviewSum = 0;
  const payments = { credit_card: 0, boleto: 0, voucher: 0, debit_card: 0 } as Record<string, number>;
  const categoryCounts = new Map<number, { count: number; last: number }>();
  for (let k = 0; k < n; k++) {
    const o = own[k]!;
    spend += dataset.orderPaymentValue[o]!;
    installments += dataset.orderInstallments[o]!;
    const paymentType = dataset.paymentTypes[dataset.orderPaymentType[o]!]!;
    if (paymentType in payments) payments[paymentType]! += 1;
    const reviewScore = dataset.orderReviewScore[o]!;
    if (!Number.isNaN(reviewScore)) {
      reviews += 1;
      reviewSum += reviewScore;
    }
    for (const item of groupOf(dataset.orderItems, o)) {
      const category = dataset.itemCategory[item]!;
      const c = categoryCounts.get(category) ?? { count: 0, last: 0 };
      c.count += 1;
      c.last = k;
      categoryCounts.set(category, c);
    }
  }
  const lastTime = dataset.orderTime[own[n - 1]!]!;
  const asOf = Number.isFinite(before) ? before : referenceTime;
  const values = [
    1,
    Math.log1p(n),
    Math.log1p(Math.max(0, (asOf - lastTime) / MS_PER_DAY)),
    Math.log1p(Math.max(0, spend)),
    Math.log1p(Math.max(0, spend / n)),
    installments / n,
    payments["credit_card"]! / n,
    payments["boleto"]! / n,
    payments["voucher"]! / n,
    payments["debit_card"]! / n,
    reviews > 0 ? reviewSum / reviews : 0,
    reviews > 0 ? 1 : 0,
  ];
  values.forEach((v, i) => (numeric[i] = v));
  const { lastCategory, recentItems } = recentHistory(dataset, own, n);
  return { state, favouriteCategory: dataset.categories[favourite(categoryCounts)]!, lastCategory, recentItems, numeric };
}

/**
 * The last `HISTORY_ITEMS` distinct products of the user's first `n` orders (newest order first; within
 * an order, item index order) and the category of the last one bought, the item that `lastCategoryOf`
 * (baselines) also takes: the highest item index of the newest order.
 */
function recentHistory(dataset: Dataset, own: Int32Array, n: number): { lastCategory: string; recentItems: number[] } {
  const recentItems: number[] = [];
  const newest = groupOf(dataset.orderItems, own[n - 1]!);
  const lastCategory = dataset.categories[dataset.itemCategory[newest[newest.length - 1]!]!]!;
  for (let k = n - 1; k >= 0 && recentItems.length < HISTORY_ITEMS; k--) {
    const items = groupOf(dataset.orderItems, own[k]!);
    for (let j = items.length - 1; j >= 0 && recentItems.length < HISTORY_ITEMS; j--) {
      if (!recentItems.includes(items[j]!)) recentItems.push(items[j]!);
    }
  }
  return { lastCategory, recentItems };
}

/** Most bought category; ties go to the one bought most recently, then the lower index. */
function favourite(counts: Map<number, { count: number; last: number }>): number {
  let best = -1;
  let bestCount = -1;
  let bestLast = -1;
  for (const [category, { count, last }] of counts) {
    if (count > bestCount || (count === bestCount && (last > bestLast || (last === bestLast && category < best)))) {
      best = category;
      bestCount = count;
      bestLast = last;
    }
  }
  return best;
}

export interface ItemFeatures {
  numeric: Float64Array[];
  /** Train interactions per item. */
  sales: Int32Array;
}

/**
 * Item features from the catalogue attributes plus what the training interactions say: the median
 * price paid (else the category's median, else the overall median, with `price_known` = 0) and the
 * number of sales. Missing catalogue attributes take the catalogue median.
 */
export function itemFeaturesFrom(dataset: Dataset, train: Int32Array): ItemFeatures {
  const nItems = dataset.items.length;
  const pricesByItem: number[][] = Array.from({ length: nItems }, () => []);
  const sales = new Int32Array(nItems);
  for (const i of train) {
    const item = dataset.interactions.item[i]!;
    pricesByItem[item]!.push(dataset.interactions.price[i]!);
    sales[item]! += 1;
  }
  const itemPrice = pricesByItem.map((p) => (p.length > 0 ? median(p) : NaN));
  const categoryPrices: number[][] = dataset.categories.map(() => []);
  itemPrice.forEach((p, item) => {
    if (!Number.isNaN(p)) categoryPrices[dataset.itemCategory[item]!]!.push(p);
  });
  const categoryPrice = categoryPrices.map((p) => (p.length > 0 ? median(p) : NaN));
  const known = itemPrice.filter((p) => !Number.isNaN(p));
  const overallPrice = known.length > 0 ? median(known) : 0;
  const staticMedian = (pick: (i: (typeof dataset.items)[number]) => number | null): number => {
    const values = dataset.items.map(pick).filter((v): v is number => v !== null && Number.isFinite(v));
    return values.length > 0 ? median(values) : 0;
  };
  const medians = {
    weight: staticMedian((i) => i.weightG),
    volume: staticMedian((i) => i.volumeCm3),
    photos: staticMedian((i) => i.photos),
    name: staticMedian((i) => i.nameLength),
    description: staticMedian((i) => i.descriptionLength),
  };
  const numeric = dataset.items.map((it, item) => {
    const own = itemPrice[item]!;
    const price = !Number.isNaN(own) ? own : Number.isNaN(categoryPrice[dataset.itemCategory[item]!]!) ? overallPrice : categoryPrice[dataset.itemCategory[item]!]!;
    return Float64Array.from([
      Math.log1p(Math.max(0, price)),
      Number.isNaN(own) ? 0 : 1,
      Math.log1p(Math.max(0, it.weightG ?? medians.weight)),
      Math.log1p(Math.max(0, it.volumeCm3 ?? medians.volume)),
      it.photos ?? medians.photos,
      Math.log1p(Math.max(0, it.nameLength ?? medians.name)),
      Math.log1p(Math.max(0, it.descriptionLength ?? medians.description)),
      Math.log1p(sales[item]!),
    ]);
  });
  return { numeric, sales };
}
