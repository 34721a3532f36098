import type { Dataset, IndexGroups, RecommendInput, RecOrder } from "./types.js";

/**
 * Indexes the recommender input: dense user and item ids, orders sorted by (time, orderId) as columns and
 * one interaction per distinct (order, product), priced at the mean price paid for it in that order.
 * Items bought but missing from the catalogue are an error (the loader's foreign keys prevent it).
 * Nothing of `input` is kept, so the caller may drop it.
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
  const states = new Codes();
  const paymentTypes = new Codes();

  const n = orders.length;
  const orderUser = new Int32Array(n);
  const orderTime = new Float64Array(n);
  const orderState = new Int32Array(n);
  const orderPaymentValue = new Float64Array(n);
  const orderPaymentType = new Int32Array(n);
  const orderInstallments = new Float64Array(n);
  const orderReviewScore = new Float64Array(n);
  const orderItemOffsets = new Int32Array(n + 1);
  const rows = { user: [] as number[], item: [] as number[], time: [] as number[], order: [] as number[], price: [] as number[] };
  orders.forEach((order, o) => {
    const user = userIndex.get(order.userId)!;
    orderUser[o] = user;
    orderTime[o] = order.time;
    orderState[o] = states.of(order.state);
    orderPaymentValue[o] = order.paymentValue;
    orderPaymentType[o] = paymentTypes.of(order.paymentType);
    orderInstallments[o] = order.installments;
    orderReviewScore[o] = order.reviewScore ?? Number.NaN;
    const prices = distinctItemPrices(order, itemIndex);
    const distinct = [...prices.keys()].sort((a, b) => a - b);
    for (const item of distinct) {
      rows.user.push(user);
      rows.item.push(item);
      rows.time.push(order.time);
      rows.order.push(o);
      rows.price.push(prices.get(item)!);
    }
    orderItemOffsets[o + 1] = rows.item.length;
  });

  const interactions = {
    user: Int32Array.from(rows.user),
    item: Int32Array.from(rows.item),
    time: Float64Array.from(rows.time),
    order: Int32Array.from(rows.order),
    price: Float64Array.from(rows.price),
    length: rows.item.length,
  };
  return {
    userIds,
    userIndex,
    items,
    itemIndex,
    categories,
    itemCategory,
    orderUser,
    orderTime,
    orderState,
    states: states.names,
    orderPaymentValue,
    orderPaymentType,
    paymentTypes: paymentTypes.names,
    orderInstallments,
    orderReviewScore,
    // an order's distinct items are its interactions' items, in the same order
    orderItems: { offsets: orderItemOffsets, values: interactions.item },
    userOrders: groupBy(userIds.length, orderUser),
    interactions,
    userInteractions: groupBy(userIds.length, interactions.user),
  };
}

/** Small integer codes for repeated strings, in first-seen order. */
class Codes {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();

  of(name: string): number {
    let code = this.index.get(name);
    if (code === undefined) {
      code = this.names.length;
      this.names.push(name);
      this.index.set(name, code);
    }
    return code;
  }
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
function groupBy(nGroups: number, keys: Int32Array): IndexGroups {
  const offsets = new Int32Array(nGroups + 1);
  for (const k of keys) offsets[k + 1]! += 1;
  for (let g = 0; g < nGroups; g++) offsets[g + 1]! += offsets[g]!;
  const values = new Int32Array(keys.length);
  const fill = offsets.slice(0, nGroups);
  keys.forEach((k, i) => {
    values[fill[k]!++] = i;
  });
  return { offsets, values };
}

/** Group g of `groups`, as a view (no copy). */
export function groupOf(groups: IndexGroups, g: number): Int32Array {
  return groups.values.subarray(groups.offsets[g]!, groups.offsets[g + 1]!);
}

/** Number of entries in group g. */
export function groupSize(groups: IndexGroups, g: number): number {
  return groups.offsets[g + 1]! - groups.offsets[g]!;
}

/** Number of orders in the dataset. */
export function orderCount(dataset: Dataset): number {
  return dataset.orderTime.length;
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
  return countBefore(groupOf(dataset.userOrders, user), dataset.orderTime, before);
}

/** The user's interaction indices with time < `before`, in time order. */
export function historyBefore(dataset: Dataset, user: number, before: number): Int32Array {
  const own = groupOf(dataset.userInteractions, user);
  return own.subarray(0, countBefore(own, dataset.interactions.time, before));
}

/**
 * The dataset as posted to training workers: its typed arrays moved onto SharedArrayBuffers, so that a
 * worker shares them instead of receiving a copy (at 1M orders, 90 MB per worker), and without the id
 * maps, which only the main thread reads (46 MB per worker). An array that appears twice (an order's
 * items are its interactions' items) stays one array.
 */
export function datasetForWorkers(dataset: Dataset): Dataset {
  const moved = new Map<ArrayBufferView, ArrayBufferView>();
  const share = <T extends Int32Array | Float64Array>(array: T): T => {
    const kept = moved.get(array);
    if (kept !== undefined) return kept as T;
    const Kind = array.constructor as { new (buffer: SharedArrayBuffer): T };
    const copy = new Kind(new SharedArrayBuffer(array.byteLength));
    copy.set(array as never);
    moved.set(array, copy);
    return copy;
  };
  const groups = (g: IndexGroups): IndexGroups => ({ offsets: share(g.offsets), values: share(g.values) });
  const i = dataset.interactions;
  return {
    ...dataset,
    userIndex: new Map(),
    itemIndex: new Map(),
    itemCategory: share(dataset.itemCategory),
    orderUser: share(dataset.orderUser),
    orderTime: share(dataset.orderTime),
    orderState: share(dataset.orderState),
    orderPaymentValue: share(dataset.orderPaymentValue),
    orderPaymentType: share(dataset.orderPaymentType),
    orderInstallments: share(dataset.orderInstallments),
    orderReviewScore: share(dataset.orderReviewScore),
    interactions: { user: share(i.user), item: share(i.item), time: share(i.time), order: share(i.order), price: share(i.price), length: i.length },
    orderItems: groups(dataset.orderItems),
    userOrders: groups(dataset.userOrders),
    userInteractions: groups(dataset.userInteractions),
  };
}
