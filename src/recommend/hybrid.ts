/**
 * `two-tower+prior`: the two-tower model's logit blended with priors that the baselines compute from
 * the training interactions, with blend weights chosen on the validation window.
 *
 *   users with history:    score(c) = a · logit(u, c) + log(1 + pop(c)) + s · [cat(c) = last category] + k · log(1 + Σ_h cooc(h, c)) + p · z(u) · z(c)
 *   users without history: score(c) = a₀ · logit(u, c) + log(1 + pop(c))
 *
 * logit = cosine / temperature (the training logit), pop = train interactions of the item (the
 * popularity baseline), cooc = co-purchase counts over the user's distinct history items (the
 * co-purchase baseline), z(c) = the item's log price paid in training as a z-score within its category
 * and z(u) = the mean of the same z-score over the prices the user paid in their history (a price
 * level: customers who paid above their categories' typical prices before tend to again). With a = 0, k = 0 and a large s the ranking is last-category's; with
 * a₀ = 0 it is popularity's, so the search starts from those and moves only on a better validation
 * score (by more than two standard errors of the paired difference). Weights come from a
 * deterministic coordinate search over fixed grids.
 */
import { addCoPurchases, coOccurrence, distinctItems, itemPopularity, lastCategoryOf, type CoOccurrence } from "./baselines.js";
import { historyBefore } from "./dataset.js";
import { mean as meanOf } from "../stats/descriptive.js";
import { gridRankStats, gridRankStatsMany } from "./grid-ranks.js";
import { expectedHitRate, expectedReciprocalRank, type RankStats } from "./metrics.js";
import type { Dataset, EvalQuery, Scorer } from "./types.js";

export interface HybridWeights {
  warm: { twoTower: number; sameCategory: number; coPurchase: number; priceLevel: number };
  cold: { twoTower: number };
  /** What the weights were chosen on: validation queries with and without history, and their HR@10 + MRR at the chosen weights. */
  chosenOn: { warmQueries: number; coldQueries: number; warmObjective: number; coldObjective: number };
}

/** The weights that reproduce last-category (users with history) and popularity (without). */
export const PRIOR_ONLY_WEIGHTS: HybridWeights = {
  warm: { twoTower: 0, sameCategory: 1000, coPurchase: 0, priceLevel: 0 },
  cold: { twoTower: 0 },
  chosenOn: { warmQueries: 0, coldQueries: 0, warmObjective: NaN, coldObjective: NaN },
};

const TWO_TOWER_GRID = [0, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2, 3];
const SAME_CATEGORY_GRID = [0, 0.5, 1, 2, 3, 5, 8, 1000];
const CO_PURCHASE_GRID = [0, 0.25, 0.5, 1, 2, 4];
const PRICE_LEVEL_GRID = [0, 0.1, 0.25, 0.5, 1, 2];
const SEARCH_ROUNDS = 3;
/** Validation queries used to choose weights, per group (the first ones in validation order). */
const MAX_WARM = 1500;
const MAX_COLD = 1000;
/**
 * Users with history ranked against the whole catalogue cost a pass over it per grid value and round:
 * above SEARCH_SCORES / catalogue size of them (1,500 up to 40,000 products; MIN_WARM = 500 at 120,000
 * and more), the search takes only that many. The users without history are ranked together
 * (gridRankStatsMany) and keep MAX_COLD.
 */
const SEARCH_SCORES = 60_000_000;
const MIN_WARM = 500;
/**
 * The logits of the search's queries of users with history are kept between passes up to this many
 * scores (256 MB: 1,500 queries of 33,000 products), else computed again for each pass (at 331,363 products,
 * 500 queries' logits would be 660 MB in each training worker).
 */
const KEPT_LOGITS = 64_000_000;

/** How many validation queries of users with history the weight search takes, by the size of what each ranks. */
export function maxWarmSearchQueries(candidatesPerQuery: number): number {
  return Math.min(MAX_WARM, Math.max(MIN_WARM, Math.floor(SEARCH_SCORES / Math.max(1, candidatesPerQuery))));
}

/** Priors from a set of training interactions: log popularity and co-purchase counts (the baselines' own statistics). */
export interface Priors {
  logPopularity: Float32Array;
  cooc: CoOccurrence;
  /** Per category: mean and standard deviation of log(1 + price paid) over the training interactions. */
  categoryPrice: { mean: Float64Array; std: Float64Array };
  /** Per item: the mean of its training interactions' price z-scores (0 without any). */
  itemPriceZ: Float32Array;
}

export function buildPriors(dataset: Dataset, train: Int32Array): Priors {
  const nc = dataset.categories.length;
  const sum = new Float64Array(nc);
  const sq = new Float64Array(nc);
  const n = new Float64Array(nc);
  const { item, price } = dataset.interactions;
  for (const row of train) {
    const c = dataset.itemCategory[item[row]!]!;
    const x = Math.log1p(price[row]!);
    sum[c]! += x;
    sq[c]! += x * x;
    n[c]! += 1;
  }
  const mean = Float64Array.from(sum, (s, c) => (n[c]! > 0 ? s / n[c]! : 0));
  const std = Float64Array.from(sq, (q, c) => {
    const v = n[c]! > 1 ? q / n[c]! - mean[c]! ** 2 : 0;
    return v > 1e-12 ? Math.sqrt(v) : 1;
  });
  const categoryPrice = { mean, std };
  const zSum = new Float64Array(dataset.items.length);
  const zN = new Float64Array(dataset.items.length);
  for (const row of train) {
    zSum[item[row]!]! += priceZ(dataset, categoryPrice, row);
    zN[item[row]!]! += 1;
  }
  return {
    logPopularity: Float32Array.from(itemPopularity(dataset, train), (p) => Math.log1p(p)),
    cooc: coOccurrence(dataset, train),
    categoryPrice,
    itemPriceZ: Float32Array.from(zSum, (s, i) => (zN[i]! > 0 ? s / zN[i]! : 0)),
  };
}

/** The price paid in one interaction as a z-score of log(1 + price) within its item's category. */
function priceZ(dataset: Dataset, categoryPrice: Priors["categoryPrice"], row: number): number {
  const c = dataset.itemCategory[dataset.interactions.item[row]!]!;
  return (Math.log1p(dataset.interactions.price[row]!) - categoryPrice.mean[c]!) / categoryPrice.std[c]!;
}

/** A user's priors as of a time: last category (-1 without history), price level and co-purchase scores (log1p, sparse over items). */
export interface UserPriors {
  lastCategory: number;
  /** Mean price z-score of the user's history interactions. */
  priceLevel: number;
  coItems: Int32Array;
  coValues: Float32Array;
}

/** What a query's priors need: the user's priors and where their co-purchase items stand in the query's scores. */
interface QueryPriors extends UserPriors {
  /** Where each of coItems stands in the query's scores: the item itself (full catalogue) or its candidate position, -1 when not a candidate. */
  coPositions: Int32Array;
}

const NO_PRIORS: QueryPriors = { lastCategory: -1, priceLevel: 0, coItems: new Int32Array(0), coValues: new Float32Array(0), coPositions: new Int32Array(0) };

/** The priors of `user` from their interactions before `knownBefore`; `scratch`: a zeroed Float64Array of catalogue size, left zeroed. */
export function userPriors(dataset: Dataset, priors: Priors, user: number, knownBefore: number, scratch: Float64Array): UserPriors {
  const history = historyBefore(dataset, user, knownBefore);
  const lastCategory = lastCategoryOf(dataset, history);
  if (lastCategory < 0) return NO_PRIORS;
  let priceLevel = 0;
  for (const row of history) priceLevel += priceZ(dataset, priors.categoryPrice, row) / history.length;
  const items = distinctItems(dataset, history);
  addCoPurchases(scratch, priors.cooc, items);
  const touched = new Set<number>();
  for (const h of items) for (let k = priors.cooc.offsets[h]!; k < priors.cooc.offsets[h + 1]!; k++) touched.add(priors.cooc.items[k]!);
  const coItems = Int32Array.from([...touched].sort((a, b) => a - b));
  const coValues = Float32Array.from(coItems, (c) => Math.log1p(scratch[c]!));
  for (const c of coItems) scratch[c] = 0;
  return { lastCategory, priceLevel, coItems, coValues };
}

function queryPriors(dataset: Dataset, priors: Priors, query: EvalQuery, scratch: Float64Array): QueryPriors {
  const user = userPriors(dataset, priors, query.user, query.knownBefore, scratch);
  return user === NO_PRIORS ? NO_PRIORS : { ...user, coPositions: scorePositions(query, user.coItems) };
}

/** Each item's index in the query's scores (computed once per query, not on every blend). */
function scorePositions(query: EvalQuery, items: Int32Array): Int32Array {
  const candidates = query.candidates;
  if (candidates === null) return items;
  const position = new Map<number, number>();
  candidates.forEach((item, p) => position.set(item, p));
  return Int32Array.from(items, (item) => position.get(item) ?? -1);
}

/** Per catalogue item: what the blend adds to the two-tower logit. */
export interface ItemPriors {
  logPopularity: Float32Array;
  itemPriceZ: Float32Array;
  itemCategory: Int32Array;
}

/**
 * The blend (see the top of this file) of a user's candidates (`candidates`, or the whole catalogue
 * when null) given their two-tower scores aligned with them, times `logitScale` to make them logits
 * (1 / temperature for cosine scores); `coPositions`: where the user's co-purchase items stand in the
 * scores (-1: not a candidate). Writes and returns `out`.
 */
export function blendScores(items: ItemPriors, user: UserPriors, coPositions: Int32Array, candidates: Int32Array | null, twoTower: Float32Array, logitScale: number, weights: HybridWeights, out: Float32Array = new Float32Array(twoTower.length)): Float32Array {
  const warm = user.lastCategory >= 0;
  const a = (warm ? weights.warm.twoTower : weights.cold.twoTower) * logitScale;
  const logits = twoTower;
  const { sameCategory, coPurchase } = weights.warm;
  const price = warm ? weights.warm.priceLevel * user.priceLevel : 0;
  for (let c = 0; c < out.length; c++) {
    const item = candidates === null ? c : candidates[c]!;
    let s = a * logits[c]! + items.logPopularity[item]!;
    if (warm && items.itemCategory[item] === user.lastCategory) s += sameCategory;
    if (price !== 0) s += price * items.itemPriceZ[item]!;
    out[c] = s;
  }
  if (warm && coPurchase !== 0) {
    coPositions.forEach((p, k) => {
      if (p >= 0) out[p]! += coPurchase * user.coValues[k]!;
    });
  }
  return out;
}

/** blendScores of a query; `logits` already scaled, or raw scores with their `logitScale`. */
function blend(dataset: Dataset, priors: Priors, query: EvalQuery, qp: QueryPriors, logits: Float32Array, weights: HybridWeights, out?: Float32Array, logitScale = 1): Float32Array {
  return blendScores({ ...priors, itemCategory: dataset.itemCategory }, qp, qp.coPositions, query.candidates, logits, logitScale, weights, out);
}

/** The two-tower scorer's cosine scores as logits (cosine / temperature); a cosine vector shared by several queries gives one shared logit vector (`made` remembers them across calls). */
function logitsOf(base: Scorer, queries: readonly EvalQuery[], temperature: number, made: WeakMap<Float32Array, Float32Array>): Float32Array[] {
  return base.scoreBatch(queries).map((scores) => {
    const kept = made.get(scores);
    if (kept !== undefined) return kept;
    const out = new Float32Array(scores.length); // a loop: TypedArray.map with a callback is several times slower
    for (let i = 0; i < scores.length; i++) out[i] = scores[i]! / temperature;
    made.set(scores, out);
    return out;
  });
}

/** The hybrid as a scorer: `base` is the fitted two-tower scorer, `priors` from the protocol's full training split. */
export function hybridScorer(dataset: Dataset, priors: Priors, base: Scorer, temperature: number, weights: HybridWeights): Scorer {
  const scratch = new Float64Array(dataset.items.length);
  // Users without history are scored from their cosines alone (no priors of their own): equal cosine
  // vectors (the two-tower scorer shares them) give equal scores, shared in turn, and with a two-tower
  // weight of 0 every such user gets the same popularity scores.
  const coldByCosines = new WeakMap<Float32Array, Float32Array>();
  let coldWithoutTwoTower: Float32Array | undefined;
  return {
    name: "two-tower+prior",
    scoreBatch(queries) {
      const cosines = base.scoreBatch(queries); // scaled to logits inside the blend, without a copy
      return queries.map((q, k) => {
        const qp = queryPriors(dataset, priors, q, scratch);
        const scores = (): Float32Array => blend(dataset, priors, q, qp, cosines[k]!, weights, undefined, 1 / temperature);
        if (qp !== NO_PRIORS || q.candidates !== null) return scores();
        if (weights.cold.twoTower === 0) return (coldWithoutTwoTower ??= scores());
        let kept = coldByCosines.get(cosines[k]!);
        if (kept === undefined) coldByCosines.set(cosines[k]!, (kept = scores()));
        return kept;
      });
    },
  };
}

/** How many standard errors of the paired per-query difference a change of weights must gain to be taken. */
const MIN_GAIN_IN_STANDARD_ERRORS = 2;

/**
 * True when `trial` beats `current` on the same validation queries by more than
 * MIN_GAIN_IN_STANDARD_ERRORS standard errors of the mean paired difference: with a few hundred
 * validation purchases, smaller gains are mostly noise, and the search should stay with the
 * simpler weights (it starts from the prior-only ones).
 */
function clearlyBetter(trial: Float64Array, current: Float64Array): boolean {
  const n = trial.length;
  if (n < 2) return false;
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const d = trial[i]! - current[i]!;
    sum += d;
    sq += d * d;
  }
  const mean = sum / n;
  const variance = Math.max(0, (sq - n * mean * mean) / (n - 1));
  return mean > 1e-12 && mean > MIN_GAIN_IN_STANDARD_ERRORS * Math.sqrt(variance / n);
}

type WarmWeight = keyof HybridWeights["warm"];

/** A query's scores as base + value · feature for one weight: the other weights' blend, and what this weight multiplies. */
interface SplitScores {
  base: Float32Array;
  feature: Float32Array;
  targetPos: number;
}

/** Writes `query`'s scores with weight `key` at 0 into `out.base`, and the term `key` multiplies into `out.feature`. */
function splitScores(dataset: Dataset, priors: Priors, query: EvalQuery, qp: QueryPriors, logits: Float32Array, weights: HybridWeights, key: WarmWeight, out: SplitScores): void {
  const warm = qp.lastCategory >= 0;
  const zeroed: HybridWeights = warm ? { ...weights, warm: { ...weights.warm, [key]: 0 } } : { ...weights, cold: { twoTower: 0 } };
  blend(dataset, priors, query, qp, logits, zeroed, out.base);
  const feature = out.feature;
  const candidates = query.candidates;
  if (key === "twoTower") feature.set(logits);
  else if (key === "coPurchase") {
    feature.fill(0);
    qp.coPositions.forEach((p, k) => {
      if (p >= 0) feature[p] = qp.coValues[k]!;
    });
  } else {
    for (let c = 0; c < feature.length; c++) {
      const item = candidates === null ? c : candidates[c]!;
      feature[c] = key === "sameCategory" ? (dataset.itemCategory[item] === qp.lastCategory ? 1 : 0) : qp.priceLevel * priors.itemPriceZ[item]!;
    }
  }
  out.targetPos = candidates === null ? query.target : candidates.indexOf(query.target);
}

/** What the weight search maximises for one query: HR@10 + MRR. */
function objective(stats: RankStats): number {
  return expectedHitRate(10, stats) + expectedReciprocalRank(stats);
}

/** A validation query of the weight search; `logits` null when they are computed again each time they are needed (see KEPT_LOGITS). */
interface SearchQuery {
  query: EvalQuery;
  qp: QueryPriors;
  logits: Float32Array | null;
}

/** Queries whose logits are computed together when they were not kept. */
const LOGITS_CHUNK = 64;

/**
 * Per grid value, every query's objective with weight `key` at that value and the others as in `weights`;
 * `logitsFor` gives the logits of queries whose logits were not kept.
 */
function gridObjectives(
  dataset: Dataset,
  priors: Priors,
  queries: readonly SearchQuery[],
  logitsFor: (queries: EvalQuery[]) => Float32Array[],
  weights: HybridWeights,
  key: WarmWeight,
  grid: readonly number[],
): Float64Array[] {
  const out = grid.map(() => new Float64Array(queries.length));
  let split: SplitScores = { base: new Float32Array(0), feature: new Float32Array(0), targetPos: 0 };
  const fresh = (length: number): SplitScores => (split.base.length === length ? split : (split = { base: new Float32Array(length), feature: new Float32Array(length), targetPos: 0 }));
  // Users without history ranked on the whole catalogue have the same split scores when their logits are
  // the same vector (the two-tower scorer shares it): one split for all, all their targets at once.
  const sharing = new Map<Float32Array, number[]>();
  queries.forEach(({ query, qp, logits }, i) => {
    if (logits === null || qp !== NO_PRIORS || query.candidates !== null) return;
    const same = sharing.get(logits);
    if (same === undefined) sharing.set(logits, [i]);
    else same.push(i);
  });
  const grouped = new Set<number>();
  for (const indices of sharing.values()) {
    if (indices.length < 2) continue;
    const first = queries[indices[0]!]!;
    const logits = first.logits!;
    const scores = fresh(logits.length);
    splitScores(dataset, priors, first.query, first.qp, logits, weights, key, scores);
    const stats = gridRankStatsMany(scores.base, scores.feature, Int32Array.from(indices, (i) => queries[i]!.query.target), grid);
    indices.forEach((i, j) => {
      grouped.add(i);
      stats[j]!.forEach((s, g) => (out[g]![i] = objective(s)));
    });
  }
  // Logits that were not kept are computed again only when the scores depend on them: with a two-tower
  // weight of 0 the other weights' passes never read them (zeros stand in, times the weight 0).
  const needsLogits = key === "twoTower" || weights.warm.twoTower !== 0;
  const zeros = new Map<number, Float32Array>();
  const zerosFor = (query: EvalQuery): Float32Array => {
    const length = query.candidates?.length ?? dataset.items.length;
    let z = zeros.get(length);
    if (z === undefined) zeros.set(length, (z = new Float32Array(length)));
    return z;
  };
  for (let start = 0; start < queries.length; start += LOGITS_CHUNK) {
    const chunk = queries.slice(start, start + LOGITS_CHUNK);
    const missing = needsLogits ? chunk.filter((q, k) => q.logits === null && !grouped.has(start + k)) : [];
    const computed = missing.length > 0 ? logitsFor(missing.map((q) => q.query)) : [];
    let next = 0;
    chunk.forEach(({ query, qp, logits }, k) => {
      const i = start + k;
      if (grouped.has(i)) return;
      const own = logits ?? (needsLogits ? computed[next++]! : zerosFor(query));
      const scores = fresh(own.length);
      splitScores(dataset, priors, query, qp, own, weights, key, scores);
      gridRankStats(scores.base, scores.feature, scores.targetPos, grid).forEach((s, g) => (out[g]![i] = objective(s)));
    });
  }
  return out;
}

/** Walks `grid` from the current value, moving to a value whose objectives are clearly better than the current one's; returns the index kept. */
function clearlyBestIndex(objectives: readonly Float64Array[], currentIndex: number): number {
  let kept = currentIndex;
  objectives.forEach((scores, g) => {
    if (g !== kept && clearlyBetter(scores, objectives[kept]!)) kept = g;
  });
  return kept;
}

/**
 * Chooses the blend weights on validation queries: `priors` from the rows the model was fitted on
 * (the validation window excluded), `base` the two-tower model fitted on them. Coordinate search
 * over fixed grids from the prior-only weights, moving only when the mean HR@10 + MRR gains more
 * than two standard errors of the paired per-query difference; deterministic (no random choice).
 */
export function chooseHybridWeights(dataset: Dataset, priors: Priors, base: Scorer, temperature: number, validation: readonly EvalQuery[], keptLogits = KEPT_LOGITS): HybridWeights {
  const scratch = new Float64Array(dataset.items.length);
  const madeLogits = new WeakMap<Float32Array, Float32Array>();
  const warm: SearchQuery[] = [];
  const cold: EvalQuery[] = [];
  const candidatesPerQuery = validation[0]?.candidates?.length ?? dataset.items.length;
  const maxWarm = maxWarmSearchQueries(candidatesPerQuery);
  for (const query of validation) {
    if (warm.length >= maxWarm && cold.length >= MAX_COLD) break;
    const history = historyBefore(dataset, query.user, query.knownBefore);
    if (history.length === 0) {
      if (cold.length < MAX_COLD) cold.push(query);
    } else if (warm.length < maxWarm) {
      warm.push({ query, qp: queryPriors(dataset, priors, query, scratch), logits: null });
    }
  }
  const logitsFor = (queries: EvalQuery[]) => logitsOf(base, queries, temperature, madeLogits);
  // kept between the search's passes when they fit in KEPT_LOGITS scores, else computed again per pass
  if (warm.length * candidatesPerQuery <= keptLogits) {
    for (let start = 0; start < warm.length; start += 256) {
      const part = warm.slice(start, start + 256);
      logitsFor(part.map((w) => w.query)).forEach((l, k) => (part[k]!.logits = l));
    }
  }

  const weights: HybridWeights = structuredClone(PRIOR_ONLY_WEIGHTS);
  let current: Float64Array = new Float64Array(0);
  if (warm.length > 0) {
    const coordinates: [WarmWeight, number[]][] = [
      ["twoTower", TWO_TOWER_GRID],
      ["sameCategory", SAME_CATEGORY_GRID],
      ["coPurchase", CO_PURCHASE_GRID],
      ["priceLevel", PRICE_LEVEL_GRID],
    ];
    for (let round = 0; round < SEARCH_ROUNDS; round++) {
      let moved = false;
      for (const [key, grid] of coordinates) {
        const objectives = gridObjectives(dataset, priors, warm, logitsFor, weights, key, grid);
        const from = grid.indexOf(weights.warm[key]);
        const kept = clearlyBestIndex(objectives, from);
        if (kept !== from) moved = true;
        weights.warm[key] = grid[kept]!;
        current = objectives[kept]!;
      }
      if (!moved) break;
    }
  }

  // users without history: one weight (grid index 0 is a0 = 0: plain popularity)
  const coldQueries: SearchQuery[] = [];
  for (let start = 0; start < cold.length; start += 256) {
    const part = cold.slice(start, start + 256);
    logitsOf(base, part, temperature, madeLogits).forEach((logits, k) => coldQueries.push({ query: part[k]!, qp: NO_PRIORS, logits }));
  }
  const coldObjectives = gridObjectives(dataset, priors, coldQueries, logitsFor, weights, "twoTower", TWO_TOWER_GRID);
  const coldBest = clearlyBestIndex(coldObjectives, 0);
  weights.cold.twoTower = TWO_TOWER_GRID[coldBest]!;
  weights.chosenOn = {
    warmQueries: warm.length,
    coldQueries: cold.length,
    warmObjective: current.length > 0 ? meanOf(current) : 0,
    coldObjective: cold.length > 0 ? meanOf(coldObjectives[coldBest]!) : 0,
  };
  return weights;
}
