import type { Dataset, RecommendInput, RecOrder } from "./types.js";

/**
 * Indexes the recommender input: dense user and item ids, orders sorted by (time, orderId) and one
 * interaction per distinct (order, product), priced at the mean price paid for it in that order.
 * Items bought but missing from the catalogue are an error (the loader's foreign keys prevent it).
 */
export function buildDataset(input: RecommendInput): Dataset {
  const items = input.items.slice().sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
  const itemIndex = new Map<string, number>();
  items.forEach((item, i) => {
    if (itemIndex.has(item.productId)) throw new Error(`product ${item.productId} appears twice in the catalogue`);
    itemIndex.set(item.productId, i);
  });
  const categories = [...new Set(items.map((i) => i.category))].sort();
  const categoryIndex = new Map(categories.map((c, i) => [c, i]));
  const itemCategory = Int32Array.from(items, (i) => categoryIndex.get(i.category)!);

  const orders = input.orders.slice().sort((a, b) => a.time - b.time || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));
  const userIds = [...new Set(orders.map((o) => o.userId))].sort();
  const userIndex = new Map(userIds.map((u, i) => [u, i]));

  const orderUser = new Int32Array(orders.length);
  const orderTime = new Float64Array(orders.length);
  const orderItems: Int32Array[] = [];
  const rows: { user: number; item: number; time: number; order: number; price: number }[] = [];
  orders.forEach((order, o) => {
    const user = userIndex.get(order.userId)!;
    orderUser[o] = user;
    orderTime[o] = order.time;
    const prices = distinctItemPrices(order, itemIndex);
    const distinct = [...prices.keys()].sort((a, b) => a - b);
    orderItems.push(Int32Array.from(distinct));
    for (const item of distinct) rows.push({ user, item, time: order.time, order: o, price: prices.get(item)! });
  });

  const userOrders = groupBy(userIds.length, orderUser);
  const interactions = {
    user: Int32Array.from(rows, (r) => r.user),
    item: Int32Array.from(rows, (r) => r.item),
    time: Float64Array.from(rows, (r) => r.time),
    order: Int32Array.from(rows, (r) => r.order),
    price: Float64Array.from(rows, (r) => r.price),
    length: rows.length,
  };
  const userInteractions = groupBy(userIds.length, interactions.user);
  return { userIds, userIndex, items, itemIndex, categories, itemCategory, orders, orderUser, orderTime, orderItems, userOrders, interactions, userInteractions };
}

function distinctItemPrices(order: RecOrder, itemIndex: Map<string, number>): Map<number, number> {
  const sums = new Map<number, { sum: number; n: number }>();
  for (const { productId, price } of order.items) {
    const item = itemIndex.get(productId);
    if (item === undefined) throw new Error(`order ${order.orderId}: product ${productId} is not in the catalogue`);
    const s = sums.get(item) ?? { sum: 0, n: 0 };
    s.sum += price;
    s.n += 1;
    sums.set(item, s);
  }
  return new Map([...sums].map(([item, s]) => [item, s.sum / s.n]));
}

/** Indices 0..keys.length-1 grouped by key, in index order (which is time order for sorted rows). */
function groupBy(nGroups: number, keys: Int32Array): Int32Array[] {
  const counts = new Int32Array(nGroups);
  for (const k of keys) counts[k]! += 1;
  const groups = Array.from(counts, (n) => new Int32Array(n));
  const fill = new Int32Array(nGroups);
  keys.forEach((k, i) => {
    groups[k]![fill[k]!++] = i;
  });
  return groups;
}

/** Number of leading entries of `sorted` (indices in time order) whose time is < `before`. */
function countBefore(sorted: Int32Array, time: Float64Array, before: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (time[sorted[mid]!]! < before) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of a user's orders with time < `before` (orders of a user are in time order). */
export function ordersBefore(dataset: Dataset, user: number, before: number): number {
  return countBefore(dataset.userOrders[user]!, dataset.orderTime, before);
}

/** The user's interaction indices with time < `before`, in time order. */
export function historyBefore(dataset: Dataset, user: number, before: number): Int32Array {
  const own = dataset.userInteractions[user]!;
  return own.subarray(0, countBefore(own, dataset.interactions.time, before));
}
