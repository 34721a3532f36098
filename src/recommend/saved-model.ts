import { encodeUsers, type EncodedUsers } from "./encoders.js";
import { userFeaturesBefore, NO_CATEGORY } from "./features.js";
import { topK } from "./metrics.js";
import { userInputs } from "./tower-inputs.js";
import type { EpochStats, TwoTowerParams } from "./two-tower.js";
import type { FittedTwoTower } from "./fit.js";
import type { Dataset, ProtocolName } from "./types.js";
import type { TwoTowerConfig } from "./config.js";
import type { Encoders } from "./encoders.js";
import { blendScores, buildPriors, userPriors, type HybridWeights, type ItemPriors, type UserPriors } from "./hybrid.js";

/** What a saved model was trained on. */
export interface TrainedOn {
  protocol: ProtocolName;
  seed: string;
  trainInteractions: number;
  /** ISO time of the temporal cut-off, when the protocol has one. */
  cutoff: string | null;
  /** ISO time of the last purchase in the data: user features for serving are as of then. */
  featuresAsOf: string;
}

/**
 * A trained two-tower model ready to serve: weights, encoders, the catalogue's embeddings and every
 * known user's encoded features over their whole history (at serving time the whole past is known).
 */
export interface SavedTwoTower {
  config: TwoTowerConfig;
  encoders: Encoders;
  params: TwoTowerParams;
  history: EpochStats[];
  trainedOn: TrainedOn;
  items: { productIds: string[]; categories: string[]; prices: number[] };
  itemEmbeddings: Float32Array;
  users: { ids: string[]; encoded: EncodedUsers };
  /** two-tower+prior: what `recommendForUser` ranks with (the blend weights chosen on the validation window). */
  hybrid: SavedHybrid;
}

/**
 * two-tower+prior's priors as of the last purchase in the data, from every interaction (all of it is
 * known when serving), with the weights chosen on the model's validation window.
 */
export interface SavedHybrid {
  weights: HybridWeights;
  /** Per catalogue item, in `items` order. */
  items: ItemPriors;
  /** Per known user, in `users.ids` order: last category (-1: none), price level, co-purchase scores (CSR: user u's are coOffsets[u]..coOffsets[u+1]). */
  users: { lastCategory: Int32Array; priceLevel: Float32Array; coOffsets: Int32Array; coItems: Int32Array; coValues: Float32Array };
}

export function savedHybrid(dataset: Dataset, weights: HybridWeights): SavedHybrid {
  const priors = buildPriors(dataset, Int32Array.from({ length: dataset.interactions.length }, (_, i) => i));
  const scratch = new Float64Array(dataset.items.length);
  const n = dataset.userIds.length;
  const lastCategory = new Int32Array(n);
  const priceLevel = new Float32Array(n);
  const coOffsets = new Int32Array(n + 1);
  // typed arrays grown by doubling: at 1M orders there are 65M entries, which plain arrays held in 1 GB of heap
  let coItems = new Int32Array(1024);
  let coValues = new Float32Array(1024);
  for (let u = 0; u < n; u++) {
    const p = userPriors(dataset, priors, u, Infinity, scratch);
    lastCategory[u] = p.lastCategory;
    priceLevel[u] = p.priceLevel;
    const at = coOffsets[u]!;
    const end = at + p.coItems.length;
    if (end > coItems.length) {
      const capacity = Math.max(end, 2 * coItems.length);
      [coItems, coValues] = [grown(coItems, new Int32Array(capacity)), grown(coValues, new Float32Array(capacity))];
    }
    coItems.set(p.coItems, at);
    coValues.set(p.coValues, at);
    coOffsets[u + 1] = end;
  }
  return {
    weights,
    items: { logPopularity: priors.logPopularity, itemPriceZ: priors.itemPriceZ, itemCategory: dataset.itemCategory.slice() },
    users: { lastCategory, priceLevel, coOffsets, coItems: coItems.slice(0, coOffsets[n]!), coValues: coValues.slice(0, coOffsets[n]!) },
  };
}

function grown<T extends Int32Array | Float32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

export function toSavedModel(fitted: FittedTwoTower, dataset: Dataset, protocol: ProtocolName, trainInteractions: number, cutoff: number | undefined): SavedTwoTower {
  return {
    config: fitted.model.config,
    encoders: fitted.model.encoders,
    params: fitted.model.params,
    history: fitted.model.history,
    trainedOn: {
      protocol,
      seed: fitted.model.seed,
      trainInteractions,
      cutoff: cutoff === undefined ? null : new Date(cutoff).toISOString(),
      featuresAsOf: new Date(fitted.dataEnd).toISOString(),
    },
    items: {
      productIds: dataset.items.map((i) => i.productId),
      categories: dataset.items.map((i) => i.category),
      // log_price is log1p(median price paid in training, or its fallback)
      prices: fitted.itemFeatures.numeric.map((row) => Math.round(Math.expm1(row[0]!) * 100) / 100),
    },
    itemEmbeddings: fitted.itemEmbeddings,
    users: { ids: dataset.userIds.slice(), encoded: encodeUsers(fitted.model.encoders, { length: dataset.userIds.length, features: (start, end) => Array.from({ length: end - start }, (_, k) => userFeaturesBefore(dataset, start + k, Infinity, fitted.dataEnd)) }, dataset) },
    hybrid: savedHybrid(dataset, fitted.hybrid),
  };
}

/** The user tower on one encoded user (row `row` of `users`), in plain JS (no TensorFlow.js start-up on the serving path). */
export function embedUser(params: TwoTowerParams, users: EncodedUsers, row: number): Float32Array {
  const input = userInputs(params, users, [row]);
  const hidden = dense(input, params.userW1.data, params.userB1.data, true);
  const out = dense(hidden, params.userW2.data, params.userB2.data, false);
  let norm = 0;
  for (const v of out) norm += v * v;
  const scale = 1 / Math.sqrt(norm + 1e-12);
  for (let k = 0; k < out.length; k++) out[k]! *= scale;
  return out;
}

function dense(x: Float32Array, w: Float32Array, b: Float32Array, relu: boolean): Float32Array {
  const outDim = b.length;
  const out = Float32Array.from(b);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    const row = i * outDim;
    for (let j = 0; j < outDim; j++) out[j]! += xi * w[row + j]!;
  }
  if (relu) for (let j = 0; j < outDim; j++) if (out[j]! < 0) out[j] = 0;
  return out;
}

export interface Recommendation {
  productId: string;
  category: string;
  price: number;
  score: number;
}

export interface UserRecommendations {
  userId: string;
  /** False for a user the model has never seen: the cold-start answer (state unknown, no history). */
  known: boolean;
  items: Recommendation[];
}

/**
 * Top-k products over the whole catalogue (exact) by two-tower+prior: the two-tower logit (cosine /
 * temperature) blended with popularity, the user's last category, co-purchases and price level, with
 * the weights chosen on the validation window. An unknown user gets the cold-start blend.
 */
export function recommendForUser(saved: SavedTwoTower, userId: string, k: number, userLookup?: Map<string, number>): UserRecommendations {
  const query = recommendationQuery(saved, userId, userLookup);
  return rankForQuery(saved, query, query.user === undefined ? new Float32Array(saved.items.productIds.length) : itemCosines(saved, query.user), k);
}

/**
 * {@link recommendForUser} with the catalogue's cosines from `cosinesOf` (e.g. ONNX Runtime's Gemm, an
 * order of magnitude faster than the JS loop): the same ranking up to float rounding in the cosines.
 */
export async function recommendForUserWith(
  saved: SavedTwoTower,
  userId: string,
  k: number,
  userLookup: Map<string, number>,
  cosinesOf: (user: Float32Array) => Promise<Float32Array>,
): Promise<UserRecommendations> {
  const query = recommendationQuery(saved, userId, userLookup);
  return rankForQuery(saved, query, query.user === undefined ? new Float32Array(saved.items.productIds.length) : await cosinesOf(query.user), k);
}

interface RecommendationQuery {
  readonly userId: string;
  readonly index: number | undefined;
  readonly priors: UserPriors;
  /** The user tower's embedding; undefined when the blend gives the two-tower term weight 0. */
  readonly user: Float32Array | undefined;
}

function recommendationQuery(saved: SavedTwoTower, userId: string, userLookup?: Map<string, number>): RecommendationQuery {
  const index = (userLookup ?? new Map(saved.users.ids.map((id, i) => [id, i]))).get(userId);
  const priors = index === undefined ? NO_USER_PRIORS : savedUserPriors(saved.hybrid, index);
  const towerWeight = priors.lastCategory >= 0 ? saved.hybrid.weights.warm.twoTower : saved.hybrid.weights.cold.twoTower;
  // a two-tower weight of 0 (what the validation window chose on Olist-like data) makes the cosines irrelevant
  // to the blend: skipping them gives the same scores at a fraction of the cost
  const user = towerWeight === 0 ? undefined : index === undefined ? coldStartUser(saved) : embedUser(saved.params, saved.users.encoded, index);
  return { userId, index, priors, user };
}

function rankForQuery(saved: SavedTwoTower, query: RecommendationQuery, cosines: Float32Array, k: number): UserRecommendations {
  const { priors } = query;
  const scores = blendScores(saved.hybrid.items, priors, priors.coItems, null, cosines, 1 / saved.config.temperature, saved.hybrid.weights, cosines);
  const items = Array.from(topK(scores, Math.min(k, saved.items.productIds.length)), (item) => ({
    productId: saved.items.productIds[item]!,
    category: saved.items.categories[item]!,
    price: saved.items.prices[item]!,
    score: scores[item]!,
  }));
  return { userId: query.userId, known: query.index !== undefined, items };
}

/** The user's cosine with every catalogue item (embeddings are L2-normalised), four products per step. */
function itemCosines(saved: SavedTwoTower, user: Float32Array): Float32Array {
  const dim = user.length;
  const nItems = saved.items.productIds.length;
  const emb = saved.itemEmbeddings;
  const cosines = new Float32Array(nItems);
  const tail = dim - (dim % 4);
  for (let item = 0; item < nItems; item++) {
    const base = item * dim;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let d = 0; d < tail; d += 4) {
      s0 += user[d]! * emb[base + d]!;
      s1 += user[d + 1]! * emb[base + d + 1]!;
      s2 += user[d + 2]! * emb[base + d + 2]!;
      s3 += user[d + 3]! * emb[base + d + 3]!;
    }
    for (let d = tail; d < dim; d++) s0 += user[d]! * emb[base + d]!;
    cosines[item] = s0 + s1 + s2 + s3;
  }
  return cosines;
}

const NO_USER_PRIORS: UserPriors = { lastCategory: -1, priceLevel: 0, coItems: new Int32Array(0), coValues: new Float32Array(0) };

function savedUserPriors(hybrid: SavedHybrid, u: number): UserPriors {
  const { lastCategory, priceLevel, coOffsets, coItems, coValues } = hybrid.users;
  const from = coOffsets[u]!;
  const to = coOffsets[u + 1]!;
  return { lastCategory: lastCategory[u]!, priceLevel: priceLevel[u]!, coItems: coItems.subarray(from, to), coValues: coValues.subarray(from, to) };
}

/** A user with no order: unknown state, no favourite or last category, no recent products, zero history features (then standardised). */
function coldStartUser(saved: SavedTwoTower): Float32Array {
  const { mean, std } = saved.encoders.userScaler;
  const none = Math.max(0, saved.encoders.categories.indexOf(NO_CATEGORY));
  const cold: EncodedUsers = {
    length: 1,
    state: Int32Array.of(0),
    category: Int32Array.of(none),
    lastCategory: Int32Array.of(none),
    recent: new Int32Array(saved.encoders.historyItems),
    numeric: Float32Array.from(mean, (m, j) => (0 - m) / std[j]!),
  };
  return embedUser(saved.params, cold, 0);
}

