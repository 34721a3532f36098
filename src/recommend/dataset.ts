import type { Dataset, IndexGroups, RecommendColumns, RecommendInput } from "./types.js";

/**
 * Indexes the recommender input: dense user and item ids, orders sorted by (time, orderId) as columns and
 * one interaction per distinct (order, product), priced at the mean price paid for it in that order.
 * Orders without items are left out. Items bought but missing from the catalogue are an error (the
 * loader's foreign keys prevent it). Nothing of `input` is kept, so the caller may drop it.
 */
export function buildDataset(input: RecommendInput | RecommendColumns): Dataset {
  return "orderItems" in input ? datasetFromColumns(input) : datasetFromColumns(inputColumns(input));
}

/** RecOrder objects (tests, small inputs) as columns; items in each order's own order. */
function inputColumns(input: RecommendInput): RecommendColumns {
  const o = input.orders;
  const items = o.flatMap((order) => order.items.map((item) => ({ orderId: order.orderId, ...item })));
  return {
    orders: {
      orderId: o.map((x) => x.orderId),
      userId: o.map((x) => x.userId),
      time: Float64Array.from(o, (x) => x.time),
      state: o.map((x) => x.state),
      paymentValue: Float64Array.from(o, (x) => x.paymentValue),
      paymentType: o.map((x) => x.paymentType),
      installments: Float64Array.from(o, (x) => x.installments),
      reviewScore: Float64Array.from(o, (x) => x.reviewScore ?? Number.NaN),
    },
    orderItems: { orderId: items.map((x) => x.orderId), productId: items.map((x) => x.productId), price: Float64Array.from(items, (x) => x.price) },
    items: input.items,
  };
}

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function datasetFromColumns(input: RecommendColumns): Dataset {
  const items = input.items.slice().sort((a, b) => compareStrings(a.productId, b.productId));
  const itemIndex = new Map<string, number>();
  items.forEach((item, i) => {
    if (itemIndex.has(item.productId)) throw new Error(`product ${item.productId} appears twice in the catalogue`);
    itemIndex.set(item.productId, i);
  });
  const categories = [...new Set(items.map((i) => i.category))].sort();
  const categoryIndex = new Map(categories.map((c, i) => [c, i]));
  const itemCategory = Int32Array.from(items, (i) => categoryIndex.get(i.category)!);

  const { orders, orderItems } = input;
  // each order item's order (a repeated order id: its last row, as a lookup by id gives), grouped in row order
  const rowOfOrder = new Map<string, number>();
  orders.orderId.forEach((id, row) => rowOfOrder.set(id, row));
  const itemOrderRow = Int32Array.from(orderItems.orderId, (id) => rowOfOrder.get(id) ?? -1);
  rowOfOrder.clear();
  const itemsByOrderRow = groupBy(orders.orderId.length, itemOrderRow);

  // orders with items, sorted by (time, orderId)
  const kept: number[] = [];
  for (let row = 0; row < orders.orderId.length; row++) if (groupSize(itemsByOrderRow, row) > 0) kept.push(row);
  kept.sort((a, b) => orders.time[a]! - orders.time[b]! || compareStrings(orders.orderId[a]!, orders.orderId[b]!));
  const userIds = [...new Set(kept.map((row) => orders.userId[row]!))].sort();
  const userIndex = new Map(userIds.map((u, i) => [u, i]));
  const states = new Codes();
  const paymentTypes = new Codes();

  const n = kept.length;
  const orderUser = new Int32Array(n);
  const orderTime = new Float64Array(n);
  const orderState = new Int32Array(n);
  const orderPaymentValue = new Float64Array(n);
  const orderPaymentType = new Int32Array(n);
  const orderInstallments = new Float64Array(n);
  const orderReviewScore = new Float64Array(n);
  const orderItemOffsets = new Int32Array(n + 1);
  const rows = new InteractionColumns(orderItems.orderId.length);
  kept.forEach((row, o) => {
    const user = userIndex.get(orders.userId[row]!)!;
    orderUser[o] = user;
    orderTime[o] = orders.time[row]!;
    orderState[o] = states.of(orders.state[row]!);
    orderPaymentValue[o] = orders.paymentValue[row]!;
    orderPaymentType[o] = paymentTypes.of(orders.paymentType[row]!);
    orderInstallments[o] = orders.installments[row]!;
    orderReviewScore[o] = orders.reviewScore[row]!;
    // distinct products in item-index order, each at the mean of its prices (summed in row order)
    const bought = Array.from(groupOf(itemsByOrderRow, row), (itemRow) => {
      const item = itemIndex.get(orderItems.productId[itemRow]!);
      if (item === undefined) throw new Error(`order ${orders.orderId[row]}: product ${orderItems.productId[itemRow]} is not in the catalogue`);
      return { item, price: orderItems.price[itemRow]! };
    }).sort((a, b) => a.item - b.item);
    for (let k = 0; k < bought.length; ) {
      const item = bought[k]!.item;
      let sum = 0;
      let count = 0;
      for (; k < bought.length && bought[k]!.item === item; k++, count++) sum += bought[k]!.price;
      rows.push(user, item, orderTime[o]!, o, sum / count);
    }
    orderItemOffsets[o + 1] = rows.length;
  });

  const interactions = rows.trimmed();
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

/** Interaction columns filled row by row, at most `capacity` rows (one per order item at most). */
class InteractionColumns {
  length = 0;
  private readonly user: Int32Array;
  private readonly item: Int32Array;
  private readonly time: Float64Array;
  private readonly order: Int32Array;
  private readonly price: Float64Array;

  constructor(capacity: number) {
    [this.user, this.item, this.order] = [new Int32Array(capacity), new Int32Array(capacity), new Int32Array(capacity)];
    [this.time, this.price] = [new Float64Array(capacity), new Float64Array(capacity)];
  }

  push(user: number, item: number, time: number, order: number, price: number): void {
    const k = this.length++;
    this.user[k] = user;
    this.item[k] = item;
    this.time[k] = time;
    this.order[k] = order;
    this.price[k] = price;
  }

  /** The filled rows, as arrays of their own length (copies: the spare capacity is given back). */
  trimmed(): Dataset["interactions"] {
    const n = this.length;
    return { user: this.user.slice(0, n), item: this.item.slice(0, n), time: this.time.slice(0, n), order: this.order.slice(0, n), price: this.price.slice(0, n), length: n };
  }
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

/** Indices 0..keys.length-1 grouped by key, in index order (which is time order for sorted rows); a negative key is in no group. */
export function groupBy(nGroups: number, keys: Int32Array): IndexGroups {
  const offsets = new Int32Array(nGroups + 1);
  for (const k of keys) if (k >= 0) offsets[k + 1]! += 1;
  for (let g = 0; g < nGroups; g++) offsets[g + 1]! += offsets[g]!;
  const values = new Int32Array(offsets[nGroups]!);
  const fill = offsets.slice(0, nGroups);
  keys.forEach((k, i) => {
    if (k >= 0) values[fill[k]!++] = i;
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
