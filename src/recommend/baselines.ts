/**
 * Baseline recommenders: popularity, popularity in a recent window, item-to-item co-purchase and
 * "most popular in the user's last category". Each factory learns from the interactions listed in
 * `train` only; the user's history at query time is everything `historyBefore(dataset, user,
 * knownBefore)` returns (all of the user's interactions before `knownBefore`, train or not — the
 * leaky protocol relies on that).
 *
 * Scores come back as one Float32Array per query, not to be modified: the scores of `query.candidates` in
 * that order, or of every item in item index order when candidates is null. Queries whose full-catalogue
 * scores are the same (every query of popularity, users without history in the history-based
 * baselines, one window end of recent popularity, one last category) get the same array, made once:
 * the ranking metrics then rank it once (RankingAccumulator), which at 331,000 products is most of the
 * evaluation's time.
 */
import { MS_PER_DAY } from "../io/time.js";
import { lowerBound } from "../stats/sorted-search.js";
import { groupBy, groupOf, historyBefore } from "./dataset.js";
import type { Dataset, EvalQuery, ModelName, Scorer } from "./types.js";

/** Most recent distinct items of one customer that form co-purchase pairs (bounds the pairs at 50·49/2). */
const MAX_ITEMS_PER_CUSTOMER = 50;

/** Item popularity: the number of train interactions of each item. */
export function itemPopularity(dataset: Dataset, train: Int32Array): Float64Array {
  const counts = new Float64Array(dataset.items.length);
  for (const row of train) counts[dataset.interactions.item[row]!]! += 1;
  return counts;
}

/** Popularity scaled into [0, 1): popularity / (1 + max popularity), a tie-break worth less than one purchase. */
function popularityTieBreak(popularity: Float64Array): Float64Array {
  let max = 0;
  for (const p of popularity) if (p > max) max = p;
  return popularity.map((p) => p / (1 + max));
}

/** The scores of `candidates` taken from a per-item score vector, or `whole` (the same vector, shared) for the full catalogue. */
function gather(itemScores: Float64Array, whole: Float32Array, candidates: Int32Array | null): Float32Array {
  if (candidates === null) return whole;
  const scores = new Float32Array(candidates.length);
  for (let k = 0; k < candidates.length; k++) scores[k] = itemScores[candidates[k]!]!;
  return scores;
}

/** Distinct item indices of a list of interactions, in first-seen order. */
export function distinctItems(dataset: Dataset, rows: Int32Array): number[] {
  return [...new Set(Array.from(rows, (row) => dataset.interactions.item[row]!))];
}

function scorer(name: ModelName, scoreOne: (query: EvalQuery) => Float32Array): Scorer {
  return { name, scoreBatch: (queries) => queries.map(scoreOne) };
}

/** Popularity: score(item) = number of train interactions of the item. */
export function popularityScorer(dataset: Dataset, train: Int32Array): Scorer {
  const popularity = itemPopularity(dataset, train);
  const whole = new Float32Array(popularity);
  return scorer("popularity", (query) => gather(popularity, whole, query.candidates));
}

/**
 * Recent popularity: with end = min(knownBefore, time), score(item) = number of train interactions
 * of the item with time in [end − windowDays, end), plus popularity / (1 + max popularity) to order
 * items with the same recent count by their overall popularity.
 */
export function recentPopularityScorer(dataset: Dataset, train: Int32Array, windowDays = 30): Scorer {
  if (!(windowDays > 0)) throw new RangeError(`recentPopularityScorer: window must be > 0 days, got ${windowDays}`);
  const windowMs = windowDays * MS_PER_DAY;
  const tieBreak = popularityTieBreak(itemPopularity(dataset, train));
  const times = itemTrainTimes(dataset, train);
  // Temporal protocols score the whole catalogue for many queries with one window end: compute once.
  // Only the last few ends are kept, so a protocol with a different end per query stays bounded.
  const fullCatalogue = new Map<number, Float32Array>();
  const MAX_CACHED_ENDS = 4;

  const itemScore = (item: number, start: number, end: number): number =>
    countInRange(times.values, times.offsets[item]!, times.offsets[item + 1]!, start, end) + tieBreak[item]!;

  return scorer("recent-popularity", (query) => {
    const end = Math.min(query.knownBefore, query.time);
    const start = end - windowMs;
    if (query.candidates !== null) return Float32Array.from(query.candidates, (item) => itemScore(item, start, end));
    let scores = fullCatalogue.get(end);
    if (scores === undefined) {
      scores = new Float32Array(dataset.items.length);
      for (let item = 0; item < scores.length; item++) scores[item] = itemScore(item, start, end);
      if (fullCatalogue.size >= MAX_CACHED_ENDS) fullCatalogue.delete(fullCatalogue.keys().next().value!);
      fullCatalogue.set(end, scores);
    }
    return scores;
  });
}

/** Train interaction times grouped by item (CSR: item i's times are values[offsets[i] .. offsets[i+1]), ascending). */
function itemTrainTimes(dataset: Dataset, train: Int32Array): { offsets: Int32Array; values: Float64Array } {
  const nItems = dataset.items.length;
  const offsets = new Int32Array(nItems + 1);
  for (const row of train) offsets[dataset.interactions.item[row]! + 1]! += 1;
  for (let i = 0; i < nItems; i++) offsets[i + 1]! += offsets[i]!;
  const values = new Float64Array(train.length);
  const fill = offsets.slice(0, nItems);
  for (const row of train) values[fill[dataset.interactions.item[row]!]!++] = dataset.interactions.time[row]!;
  for (let i = 0; i < nItems; i++) values.subarray(offsets[i]!, offsets[i + 1]!).sort();
  return { offsets, values };
}

/** Number of sorted values[from..to) with start ≤ value < end. */
function countInRange(values: Float64Array, from: number, to: number, start: number, end: number): number {
  return lowerBound(values, end, from, to) - lowerBound(values, start, from, to);
}

/** Sparse symmetric item-by-item counts (CSR): item i's neighbours are items[offsets[i] .. offsets[i+1]). */
export interface CoOccurrence {
  offsets: Int32Array;
  items: Int32Array;
  counts: Float64Array;
}

/**
 * Co-purchase counts: cooc(a, b) = number of customers whose train interactions include both a and b
 * (a ≠ b), in one order or in different orders; each customer counts a pair once. Only a customer's
 * 50 most recent distinct items form pairs.
 */
export function coOccurrence(dataset: Dataset, train: Int32Array): CoOccurrence {
  const nItems = dataset.items.length;
  const inTrain = new Uint8Array(dataset.interactions.length);
  for (const row of train) inTrain[row] = 1;
  // every (a, b) pair of every customer, both ways round, in growable typed arrays: per-item Maps and
  // per-customer arrays took hundreds of MB of heap at 1M orders, in each training worker too
  let from = new Int32Array(1024);
  let to = new Int32Array(1024);
  let n = 0;
  const add = (a: number, b: number): void => {
    if (n === from.length) {
      const [f, t] = [new Int32Array(2 * n), new Int32Array(2 * n)];
      f.set(from);
      t.set(to);
      [from, to] = [f, t];
    }
    from[n] = a;
    to[n++] = b;
  };
  const recent: number[] = [];
  const seen = new Set<number>();
  for (let user = 0; user < dataset.userIds.length; user++) {
    // a customer's interactions run oldest to newest: the most recent distinct items come from the end
    const own = groupOf(dataset.userInteractions, user);
    recent.length = 0;
    seen.clear();
    for (let i = own.length - 1; i >= 0 && recent.length < MAX_ITEMS_PER_CUSTOMER; i--) {
      if (inTrain[own[i]!] === 0) continue;
      const item = dataset.interactions.item[own[i]!]!;
      if (!seen.has(item)) {
        seen.add(item);
        recent.push(item);
      }
    }
    for (let i = 0; i < recent.length; i++) {
      for (let j = i + 1; j < recent.length; j++) {
        add(recent[i]!, recent[j]!);
        add(recent[j]!, recent[i]!);
      }
    }
  }
  // group the pairs by their first item, then count each neighbour in sorted order
  const byItem = groupBy(nItems, from.subarray(0, n));
  const neighbours = Int32Array.from(byItem.values, (k) => to[k]!);
  const offsets = new Int32Array(nItems + 1);
  const items = new Int32Array(n);
  const counts = new Float64Array(n);
  let k = 0;
  for (let item = 0; item < nItems; item++) {
    const own = neighbours.subarray(byItem.offsets[item]!, byItem.offsets[item + 1]!).sort();
    for (let i = 0; i < own.length; i++) {
      if (i > 0 && own[i] === own[i - 1]) counts[k - 1]! += 1;
      else {
        items[k] = own[i]!;
        counts[k++] = 1;
      }
    }
    offsets[item + 1] = k;
  }
  return { offsets, items: items.slice(0, k), counts: counts.slice(0, k) };
}

/**
 * Co-purchase: score(c) = Σ over the distinct items h of the user's history of cooc(h, c), plus
 * popularity / (1 + max popularity), so users without history or without co-purchases get
 * popularity order.
 */
export function coPurchaseScorer(dataset: Dataset, train: Int32Array): Scorer {
  const tieBreak = popularityTieBreak(itemPopularity(dataset, train));
  const wholeTieBreak = new Float32Array(tieBreak);
  const cooc = coOccurrence(dataset, train);
  const scratch = new Float64Array(dataset.items.length);

  return scorer("co-purchase", (query) => {
    const history = distinctItems(dataset, historyBefore(dataset, query.user, query.knownBefore));
    if (history.length === 0) return gather(tieBreak, wholeTieBreak, query.candidates);
    scratch.set(tieBreak);
    addCoPurchases(scratch, cooc, history);
    return query.candidates === null ? new Float32Array(scratch) : gather(scratch, wholeTieBreak, query.candidates);
  });
}

/** Adds Σ over the history items h of cooc(h, c) to `scores[c]` for every item c. */
export function addCoPurchases(scores: Float64Array, cooc: CoOccurrence, history: readonly number[]): void {
  for (const h of history) {
    for (let k = cooc.offsets[h]!; k < cooc.offsets[h + 1]!; k++) scores[cooc.items[k]!]! += cooc.counts[k]!;
  }
}

/** The category of the item of the last interaction in `history` (time order), or -1 for no history. */
export function lastCategoryOf(dataset: Dataset, history: Int32Array): number {
  return history.length === 0 ? -1 : dataset.itemCategory[dataset.interactions.item[history[history.length - 1]!]!]!;
}

/**
 * Last category: with the user's last category = category of the item of their most recent history
 * interaction, score(item) = popularity + (item in that category ? 1 + max popularity : 0): that
 * category's items by popularity, then all others by popularity. No history: plain popularity.
 */
export function lastCategoryScorer(dataset: Dataset, train: Int32Array): Scorer {
  const popularity = itemPopularity(dataset, train);
  let maxPopularity = 0;
  for (const p of popularity) if (p > maxPopularity) maxPopularity = p;
  const bonus = 1 + maxPopularity;
  const categoryItems: number[][] = dataset.categories.map(() => []);
  dataset.itemCategory.forEach((category, item) => categoryItems[category]!.push(item));
  const wholePopularity = new Float32Array(popularity);
  // full-catalogue scores of each last category, made when first asked for (at most one per category)
  const wholeByCategory = new Map<number, Float32Array>();

  return scorer("last-category", (query) => {
    const category = lastCategoryOf(dataset, historyBefore(dataset, query.user, query.knownBefore));
    if (category < 0) return gather(popularity, wholePopularity, query.candidates);
    if (query.candidates !== null) {
      return Float32Array.from(query.candidates, (item) => popularity[item]! + (dataset.itemCategory[item] === category ? bonus : 0));
    }
    let scores = wholeByCategory.get(category);
    if (scores === undefined) {
      scores = new Float32Array(popularity);
      for (const item of categoryItems[category]!) scores[item]! += bonus;
      wholeByCategory.set(category, scores);
    }
    return scores;
  });
}
