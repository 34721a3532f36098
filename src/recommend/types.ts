/** One order as the recommender sees it: who bought what, when, how they paid and rated it. */
export interface RecOrder {
  orderId: string;
  /** customer_unique_id: the person, across their Olist customer_ids. */
  userId: string;
  /** Purchase timestamp, ms since the epoch (UTC). */
  time: number;
  state: string;
  paymentValue: number;
  /** Main payment type of the order (credit_card, boleto, voucher, debit_card, not_defined). */
  paymentType: string;
  installments: number;
  reviewScore: number | null;
  /** One entry per order item (a product bought twice in one order appears twice). */
  items: { productId: string; price: number }[];
}

/** One catalogue product with the attributes known without looking at sales. */
export interface RecItem {
  productId: string;
  category: string;
  weightG: number | null;
  volumeCm3: number | null;
  photos: number | null;
  nameLength: number | null;
  descriptionLength: number | null;
}

export interface RecommendInput {
  orders: RecOrder[];
  items: RecItem[];
}

/**
 * The same input as columns, as the loader reads it: one entry per order and one per order item, in
 * any order. At 1M orders this is what keeps the loading heap small (RecOrder objects with their item
 * arrays took about 800 MB of heap there, which the kernel's memory then kept).
 */
export interface RecommendColumns {
  orders: {
    orderId: readonly string[];
    userId: readonly string[];
    /** Purchase timestamps, ms since the epoch (UTC). */
    time: Float64Array;
    state: readonly string[];
    paymentValue: Float64Array;
    paymentType: readonly string[];
    installments: Float64Array;
    /** NaN: no review. */
    reviewScore: Float64Array;
  };
  /** Items of orders that are not in `orders` are skipped; orders without items are left out. */
  orderItems: { orderId: readonly string[]; productId: readonly string[]; price: Float64Array };
  items: RecItem[];
}

/**
 * Variable-length groups of indices in one buffer (compressed sparse rows): group g is
 * `values[offsets[g] .. offsets[g + 1])`, read with `groupOf`. One buffer instead of an array of
 * small typed arrays: at 1M orders those were 2.8 million heap objects, which every full garbage
 * collection walked, and which a worker thread received one by one.
 */
export interface IndexGroups {
  offsets: Int32Array;
  values: Int32Array;
}

/**
 * The input indexed for fast work: users and items as dense integer ids, orders sorted by time as
 * columns, interactions as one row per distinct (order, product), sorted by (time, order, item).
 * Typed arrays and a few string lists only, so that it stays small at 1M orders and is cheap to send
 * to worker threads.
 */
export interface Dataset {
  userIds: string[];
  userIndex: Map<string, number>;
  items: RecItem[];
  itemIndex: Map<string, number>;
  categories: string[];
  /** Category index of each item. */
  itemCategory: Int32Array;
  /** Orders sorted by (time, orderId), one entry per order in each order column. */
  orderUser: Int32Array;
  orderTime: Float64Array;
  /** Index into `states` of the order's customer state. */
  orderState: Int32Array;
  states: string[];
  orderPaymentValue: Float64Array;
  /** Index into `paymentTypes` of the order's main payment type. */
  orderPaymentType: Int32Array;
  paymentTypes: string[];
  orderInstallments: Float64Array;
  /** Review score of the order, NaN when it has none. */
  orderReviewScore: Float64Array;
  /** Distinct item indices of each order, ascending. */
  orderItems: IndexGroups;
  /** Order indices of each user, in time order. */
  userOrders: IndexGroups;
  interactions: Interactions;
  /** Interaction indices of each user, in time order. */
  userInteractions: IndexGroups;
}

export interface Interactions {
  user: Int32Array;
  item: Int32Array;
  time: Float64Array;
  order: Int32Array;
  /** Mean price paid for the product in that order. */
  price: Float64Array;
  length: number;
}

export const PROTOCOLS = ["temporal-full", "loo-sampled-99", "loo-sampled-99-leaky"] as const;
export type ProtocolName = (typeof PROTOCOLS)[number];

export const MODEL_NAMES = ["two-tower", "two-tower+prior", "popularity", "recent-popularity", "co-purchase", "last-category"] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/**
 * One purchase to predict. Everything user-side (features, history) may use only the user's
 * orders with time < `knownBefore`; the leaky protocol sets it to +Infinity on purpose.
 */
export interface EvalQuery {
  user: number;
  /** Item index of the purchased product (the one relevant item). */
  target: number;
  /** Time of the purchase being predicted (ms). */
  time: number;
  knownBefore: number;
  /** Item indices to rank (target included), or null for the full catalogue. */
  candidates: Int32Array | null;
  /** True when the user has no order before `knownBefore`. */
  coldStart: boolean;
}

/** A protocol's split: which interactions train the models, which purchases are evaluated. */
export interface ProtocolSplit {
  protocol: ProtocolName;
  description: string;
  /** Interaction indices (into Dataset.interactions) the models may learn from. */
  train: Int32Array;
  queries: EvalQuery[];
  /** How training rows see user features: as of just before each purchase, or over the user's whole history. */
  userFeatureView: "point-in-time" | "whole-history";
  /** For temporal-full: the cut-off (ms); training interactions are all before it. */
  cutoff?: number;
}

/**
 * Scores candidates for a batch of queries; higher is better. Scores align with `query.candidates` (or all
 * items). A scorer may return the same array for every query whose scores are the same (popularity on the
 * whole catalogue, for instance), so callers must not modify what they get.
 */
export interface Scorer {
  readonly name: ModelName;
  scoreBatch(queries: readonly EvalQuery[]): Float32Array[];
}
