import { HISTORY_ITEMS, ITEM_NUMERIC_FEATURES, NO_CATEGORY, USER_NUMERIC_FEATURES, type ItemFeatures, type UserFeatures } from "./features.js";
import type { Dataset } from "./types.js";

/** Index 0 of every vocabulary is "unknown": values not seen when the encoders were fitted. */
export const UNKNOWN = "<unknown>";

export interface Scaler {
  mean: number[];
  std: number[];
}

/** Learned encoding state: vocabularies and scalers, plain data that serialises to JSON. */
export interface Encoders {
  states: string[];
  categories: string[];
  /** Product ids with their own embedding row (bought in training); others share row 0. */
  itemIds: string[];
  userScaler: Scaler;
  itemScaler: Scaler;
  userNumericFeatures: string[];
  itemNumericFeatures: string[];
  /** Slots of the user's recent-products input (HISTORY_ITEMS when fitted). */
  historyItems: number;
}

export interface EncodedUsers {
  length: number;
  state: Int32Array;
  /** Favourite category. */
  category: Int32Array;
  /** Category of the last purchase (the NO_CATEGORY index without history). */
  lastCategory: Int32Array;
  /** length x historyItems item-id vocabulary indices of the recent products, newest first; 0 = empty slot or unseen item. */
  recent: Int32Array;
  numeric: Float32Array;
}

export interface EncodedItems {
  length: number;
  id: Int32Array;
  category: Int32Array;
  numeric: Float32Array;
}

/** Mean and standard deviation of each column (std 1 where a column is constant). */
export function fitScaler(rows: readonly Float64Array[], width: number): Scaler {
  return scalerOf((visit) => rows.forEach(visit), rows.length, width);
}

/** fitScaler of `count` rows that `forEachRow` visits, in the same order each time (it is called twice: means, then deviations). */
function scalerOf(forEachRow: (visit: (row: ArrayLike<number>) => void) => void, count: number, width: number): Scaler {
  const mean = new Array<number>(width).fill(0);
  const sq = new Array<number>(width).fill(0);
  forEachRow((row) => {
    for (let j = 0; j < width; j++) mean[j]! += row[j]!;
  });
  const n = Math.max(1, count);
  for (let j = 0; j < width; j++) mean[j]! /= n;
  forEachRow((row) => {
    for (let j = 0; j < width; j++) sq[j]! += (row[j]! - mean[j]!) ** 2;
  });
  const std = sq.map((s) => {
    const sd = Math.sqrt(s / n);
    return sd > 1e-12 ? sd : 1;
  });
  return { mean, std };
}

/**
 * Users' features made a chunk at a time, as often as asked: at 1M orders the 900K training rows'
 * UserFeatures objects took about 1 GB of heap at once in every training worker.
 */
export interface UserFeatureChunks {
  length: number;
  /** The features of users [start, end). */
  features(start: number, end: number): UserFeatures[];
}

/** Users per chunk of UserFeatureChunks. */
const USER_CHUNK = 65_536;

function asChunks(users: readonly UserFeatures[] | UserFeatureChunks): UserFeatureChunks {
  return "features" in users ? users : { length: users.length, features: (start, end) => users.slice(start, end) };
}

function forEachChunk(users: UserFeatureChunks, visit: (chunk: UserFeatures[], start: number) => void): void {
  for (let start = 0; start < users.length; start += USER_CHUNK) visit(users.features(start, Math.min(users.length, start + USER_CHUNK)), start);
}

/** Fits vocabularies on the catalogue and training users, scalers on the training rows. */
export function fitEncoders(dataset: Dataset, trainUsers: readonly UserFeatures[] | UserFeatureChunks, itemFeatures: ItemFeatures): Encoders {
  const users = asChunks(trainUsers);
  const seenStates = new Set<string>();
  const forEachUser = (visit: (numeric: Float64Array) => void) =>
    forEachChunk(users, (chunk) => {
      for (const u of chunk) {
        seenStates.add(u.state);
        visit(u.numeric);
      }
    });
  const userScaler = scalerOf(forEachUser, users.length, USER_NUMERIC_FEATURES.length);
  const states = [UNKNOWN, ...[...seenStates].sort()];
  const categories = [UNKNOWN, NO_CATEGORY, ...dataset.categories.filter((c) => c !== NO_CATEGORY)];
  const itemIds = [UNKNOWN, ...dataset.items.filter((_, i) => itemFeatures.sales[i]! > 0).map((i) => i.productId)];
  return {
    states,
    categories,
    itemIds,
    userScaler,
    itemScaler: fitScaler(itemFeatures.numeric, ITEM_NUMERIC_FEATURES.length),
    userNumericFeatures: [...USER_NUMERIC_FEATURES],
    itemNumericFeatures: [...ITEM_NUMERIC_FEATURES],
    historyItems: HISTORY_ITEMS,
  };
}

/** Per vocabulary (by identity; encoders are never changed once fitted): its lookup, built once, not per scored batch. */
const indexers = new WeakMap<readonly string[], (value: string) => number>();

function indexer(values: readonly string[]): (value: string) => number {
  let lookup = indexers.get(values);
  if (lookup === undefined) {
    const map = new Map(values.map((v, i) => [v, i]));
    lookup = (value) => map.get(value) ?? 0;
    indexers.set(values, lookup);
  }
  return lookup;
}

/** `dataset` maps the users' recent item indices to product ids (their item-id vocabulary rows). */
export function encodeUsers(encoders: Encoders, users: readonly UserFeatures[] | UserFeatureChunks, dataset: Pick<Dataset, "items">): EncodedUsers {
  if (!("features" in users) && users.length <= USER_CHUNK) return encodeUserList(encoders, users, dataset);
  const chunks = asChunks(users);
  const n = chunks.length;
  const slots = encoders.historyItems;
  const width = encoders.userNumericFeatures.length;
  const out: EncodedUsers = { length: n, state: new Int32Array(n), category: new Int32Array(n), lastCategory: new Int32Array(n), recent: new Int32Array(n * slots), numeric: new Float32Array(n * width) };
  forEachChunk(chunks, (chunk, start) => {
    const part = encodeUserList(encoders, chunk, dataset);
    out.state.set(part.state, start);
    out.category.set(part.category, start);
    out.lastCategory.set(part.lastCategory, start);
    out.recent.set(part.recent, start * slots);
    out.numeric.set(part.numeric, start * width);
  });
  return out;
}

function encodeUserList(encoders: Encoders, users: readonly UserFeatures[], dataset: Pick<Dataset, "items">): EncodedUsers {
  const width = encoders.userNumericFeatures.length;
  const slots = encoders.historyItems;
  const stateOf = indexer(encoders.states);
  const categoryOf = indexer(encoders.categories);
  const idOf = indexer(encoders.itemIds);
  const numeric = new Float32Array(users.length * width);
  const recent = new Int32Array(users.length * slots);
  users.forEach((u, r) => {
    for (let j = 0; j < width; j++) numeric[r * width + j] = (u.numeric[j]! - encoders.userScaler.mean[j]!) / encoders.userScaler.std[j]!;
    u.recentItems.slice(0, slots).forEach((item, k) => (recent[r * slots + k] = idOf(dataset.items[item]!.productId)));
  });
  return {
    length: users.length,
    state: Int32Array.from(users, (u) => stateOf(u.state)),
    category: Int32Array.from(users, (u) => categoryOf(u.favouriteCategory)),
    lastCategory: Int32Array.from(users, (u) => categoryOf(u.lastCategory)),
    recent,
    numeric,
  };
}

/** Encodes every catalogue item, in item index order. */
export function encodeItems(encoders: Encoders, dataset: Dataset, features: ItemFeatures): EncodedItems {
  const width = encoders.itemNumericFeatures.length;
  const idOf = indexer(encoders.itemIds);
  const categoryOf = indexer(encoders.categories);
  const numeric = new Float32Array(dataset.items.length * width);
  features.numeric.forEach((row, r) => {
    for (let j = 0; j < width; j++) numeric[r * width + j] = (row[j]! - encoders.itemScaler.mean[j]!) / encoders.itemScaler.std[j]!;
  });
  return {
    length: dataset.items.length,
    id: Int32Array.from(dataset.items, (i) => idOf(i.productId)),
    category: Int32Array.from(dataset.items, (i) => categoryOf(i.category)),
    numeric,
  };
}
