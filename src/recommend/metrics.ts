/**
 * Ranking metrics for queries with exactly one relevant item: hit rate at k, mean reciprocal rank,
 * nDCG at k and catalogue coverage of the top 10.
 *
 * Ties. A scorer that gives the target the same score as other candidates must not profit from the
 * order in which the candidates happen to be listed. Each metric is therefore the expected value
 * under a uniformly random order of the tied items: with `greater` candidates scored strictly above
 * the target and `ties` others scored the same, the target's rank r is uniform over
 * greater + 1 .. greater + ties + 1. A model that scores everything equally gets the metrics of a
 * random ranking, not of the candidate order.
 *
 * NaN scores count as -Infinity (below every real score, tied with -Infinity and with each other).
 */

import { lowerBound, upperBound } from "../stats/sorted-search.js";

export const METRIC_NAMES = ["hr@1", "hr@5", "hr@10", "mrr", "ndcg@10", "coverage@10"] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/**
 * The metrics that are means of one value per query, in the column order of
 * `RankingAccumulator.outcomes()`. coverage@10 is not among them: it counts distinct items over all
 * queries' top 10, a property of the whole set of queries, not an average of per-query values.
 */
export const PER_QUERY_METRICS = ["hr@1", "hr@5", "hr@10", "mrr", "ndcg@10"] as const satisfies readonly MetricName[];

/** Scores of a set of queries: the mean of every metric, the number of queries, and each query's values. */
export type QueryScores = Record<MetricName, number> & {
  n: number;
  /** n x PER_QUERY_METRICS.length values, row-major: `perQuery[i * 5 + c]` is metric c of query i. */
  perQuery: Float64Array;
};

/** Where the target stands among the candidates: how many score strictly higher, how many others score the same. */
export interface RankStats {
  greater: number;
  ties: number;
}

/** Euler–Mascheroni constant γ. */
const EULER_GAMMA = 0.5772156649015329;

/** Above this many ties the reciprocal rank uses the asymptotic harmonic number instead of a loop. */
const EXACT_HARMONIC_LIMIT = 1000;

function scoreOrMinusInfinity(score: number): number {
  return Number.isNaN(score) ? Number.NEGATIVE_INFINITY : score;
}

/**
 * Counts the candidates scored strictly above the target (`greater`) and the other candidates scored
 * exactly the same (`ties`); NaN counts as -Infinity on both sides.
 */
export function rankStats(scores: Float32Array, targetPos: number): RankStats {
  if (!Number.isInteger(targetPos) || targetPos < 0 || targetPos >= scores.length) {
    throw new RangeError(`rankStats: target position ${targetPos} is outside 0..${scores.length - 1}`);
  }
  const target = scoreOrMinusInfinity(scores[targetPos]!);
  let greater = 0;
  let ties = 0;
  if (target > Number.NEGATIVE_INFINITY) {
    // fast path: a NaN candidate fails both comparisons, which is right when the target is above
    // -Infinity; branch-free counting (3.5x faster: whether a score beats the target is a coin flip)
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i]!;
      greater += +(s > target);
      ties += +(s === target);
    }
    return { greater, ties: ties - 1 }; // the target itself was counted as a tie
  }
  for (let i = 0; i < scores.length; i++) {
    if (i === targetPos) continue;
    const s = scoreOrMinusInfinity(scores[i]!);
    if (s > target) greater++;
    else if (s === target) ties++;
  }
  return { greater, ties };
}

/**
 * Expected hit rate at k: P(r ≤ k) for r uniform over greater+1 .. greater+ties+1,
 * = clamp((k − greater) / (ties + 1), 0, 1).
 */
export function expectedHitRate(k: number, stats: RankStats): number {
  return Math.min(1, Math.max(0, (k - stats.greater) / (stats.ties + 1)));
}

/**
 * Harmonic number H(n) = Σ_{i=1..n} 1/i: an exact sum up to n = 1000, above that the asymptotic
 * expansion ln n + γ + 1/(2n) − 1/(12n²) (the next term, 1/(120n⁴), is below 1e-14 there).
 */
export function harmonicNumber(n: number): number {
  if (n <= EXACT_HARMONIC_LIMIT) {
    let sum = 0;
    // Smallest terms first, for a slightly more accurate float sum.
    for (let i = n; i >= 1; i--) sum += 1 / i;
    return sum;
  }
  return Math.log(n) + EULER_GAMMA + 1 / (2 * n) - 1 / (12 * n * n);
}

/**
 * Expected reciprocal rank: mean of 1/r over r = greater+1 .. greater+ties+1,
 * = (H(greater + ties + 1) − H(greater)) / (ties + 1).
 * Summed exactly for up to 1000 ties, through `harmonicNumber` beyond (no O(ties) loop).
 */
export function expectedReciprocalRank(stats: RankStats): number {
  const first = stats.greater + 1;
  const last = stats.greater + stats.ties + 1;
  if (stats.ties <= EXACT_HARMONIC_LIMIT) {
    let sum = 0;
    for (let r = last; r >= first; r--) sum += 1 / r;
    return sum / (stats.ties + 1);
  }
  return (harmonicNumber(last) - harmonicNumber(stats.greater)) / (stats.ties + 1);
}

/**
 * Expected nDCG at k for one relevant item (ideal DCG = 1): mean over r = greater+1 .. greater+ties+1
 * of (r ≤ k ? 1 / log2(r + 1) : 0). Loops over at most k ranks.
 */
export function expectedNdcg(k: number, stats: RankStats): number {
  const first = stats.greater + 1;
  const last = Math.min(k, stats.greater + stats.ties + 1);
  let sum = 0;
  for (let r = first; r <= last; r++) sum += 1 / Math.log2(r + 1);
  return sum / (stats.ties + 1);
}

/** True when score a ranks above score b in `topK`: NaN below everything, including -Infinity. */
function outranks(a: number, b: number): boolean {
  if (Number.isNaN(b)) return !Number.isNaN(a);
  return a > b;
}

/**
 * Positions of the k highest scores, highest first, ties broken by the lower position; fewer than k
 * when there are fewer scores. NaN ranks below every number (so it only appears when fewer than k
 * scores are numbers). O(n·log k) on typical data: one comparison with the current k-th best per
 * score, an insertion into the k-array only for the few that beat it.
 */
export function topK(scores: Float32Array, k: number): Int32Array {
  const size = Math.max(0, Math.min(Math.floor(k), scores.length));
  const top = new Int32Array(size);
  if (size === 0) return top;
  let filled = 0;
  // the k-th best score so far, once the top is full; most scores do not beat it and stop at one comparison
  let kth = Number.NaN;
  let kthIsNumber = false;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    // Positions arrive in increasing order, so an equal score never displaces an earlier position.
    if (filled === size && (kthIsNumber ? !(s > kth) : !outranks(s, kth))) continue;
    let j = filled < size ? filled++ : size - 1;
    while (j > 0 && outranks(s, scores[top[j - 1]!]!)) {
      top[j] = top[j - 1]!;
      j--;
    }
    top[j] = i;
    if (filled === size) {
      kth = scores[top[size - 1]!]!;
      kthIsNumber = !Number.isNaN(kth);
    }
  }
  return top;
}

/**
 * rankStats and topK(scores, k) in one pass over the scores (the evaluation's hot loop: every query
 * of every scorer, 33K scores each on the full catalogue); the same results as calling both.
 */
export function rankStatsAndTopK(scores: Float32Array, targetPos: number, k: number): { stats: RankStats; top: Int32Array } {
  const target = scores[targetPos]!; // undefined for a position outside the scores: rankStats then says so
  const size = Math.max(0, Math.min(Math.floor(k), scores.length));
  if (!(target > Number.NEGATIVE_INFINITY) || size === 0) return { stats: rankStats(scores, targetPos), top: topK(scores, k) };
  const top = new Int32Array(size);
  let greater = 0;
  let ties = 0;
  let filled = 0;
  let kth = Number.NaN;
  let kthIsNumber = false;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    greater += +(s > target);
    ties += +(s === target);
    if (filled === size && (kthIsNumber ? !(s > kth) : !outranks(s, kth))) continue;
    let j = filled < size ? filled++ : size - 1;
    while (j > 0 && outranks(s, scores[top[j - 1]!]!)) {
      top[j] = top[j - 1]!;
      j--;
    }
    top[j] = i;
    if (filled === size) {
      kth = scores[top[size - 1]!]!;
      kthIsNumber = !Number.isNaN(kth);
    }
  }
  return { stats: { greater, ties: ties - 1 }, top };
}

/**
 * Rank statistics and top k of score vectors that come back for many queries (a scorer returns the same
 * array for queries whose scores are the same; see `Scorer`): once a vector has come SORT_AFTER_SIGHTINGS
 * times it is sorted, and from then on each query costs a binary search instead of a pass over the catalogue.
 */
/** Sorting a vector costs about 25 passes over it (331,363 scores: 30 ms against 1.3 ms). */
const SORT_AFTER_SIGHTINGS = 25;

class SharedVectorRanks {
  private readonly sightings = new WeakMap<Float32Array, number>();
  private readonly sorted = new WeakMap<Float32Array, { ascending: Float32Array; top: Int32Array }>();

  /** rankStatsAndTopK(scores, targetPos, k) once `scores` has come SORT_AFTER_SIGHTINGS times and the target scores above -Infinity; else undefined. */
  lookup(scores: Float32Array, targetPos: number, k: number): { stats: RankStats; top: Int32Array } | undefined {
    const target = scores[targetPos]!;
    if (!(target > Number.NEGATIVE_INFINITY)) return undefined;
    let ranked = this.sorted.get(scores);
    if (ranked === undefined) {
      const seen = (this.sightings.get(scores) ?? 0) + 1;
      if (seen < SORT_AFTER_SIGHTINGS) {
        this.sightings.set(scores, seen);
        return undefined;
      }
      const ascending = scores.slice();
      for (let i = 0; i < ascending.length; i++) if (Number.isNaN(ascending[i]!)) ascending[i] = Number.NEGATIVE_INFINITY;
      ascending.sort();
      ranked = { ascending, top: topK(scores, k) };
      this.sorted.set(scores, ranked);
    }
    const { ascending } = ranked;
    const above = upperBound(ascending, target);
    return { stats: { greater: ascending.length - above, ties: above - lowerBound(ascending, target) - 1 }, top: ranked.top };
  }
}

/**
 * Accumulates ranking metrics over queries. hr@k, mrr and ndcg@10 are means over the added queries;
 * coverage@10 is the number of distinct items in any query's top 10 divided by the catalogue size.
 * An empty accumulator reports NaN means, coverage 0 and n 0.
 */
export class RankingAccumulator {
  private readonly catalogueSize: number;
  private readonly inTop = new Set<number>();
  private readonly shared = new SharedVectorRanks();
  private n = 0;
  /** Per-query values, PER_QUERY_METRICS.length per query (their column sums give the means); grown by doubling. */
  private perQuery = new Float64Array(0);

  constructor(catalogueSize: number) {
    if (!Number.isInteger(catalogueSize) || catalogueSize < 0) {
      throw new RangeError(`RankingAccumulator: catalogue size must be a whole number ≥ 0, got ${catalogueSize}`);
    }
    this.catalogueSize = catalogueSize;
  }

  /**
   * Adds one query: `scores` of the candidates, the target's position among them, and the item index
   * of each position (`candidates`), or null when positions are item indices (full catalogue).
   */
  add(scores: Float32Array, targetPos: number, candidates: Int32Array | null): void {
    if (candidates !== null && candidates.length !== scores.length) {
      throw new RangeError(`RankingAccumulator.add: ${scores.length} scores for ${candidates.length} candidates`);
    }
    if (!Number.isInteger(targetPos) || targetPos < 0 || targetPos >= scores.length) {
      throw new RangeError(`RankingAccumulator.add: target position ${targetPos} is outside 0..${scores.length - 1}`);
    }
    const both = this.shared.lookup(scores, targetPos, 10) ?? rankStatsAndTopK(scores, targetPos, 10);
    const stats = both.stats;
    const top = Array.from(both.top, (pos) => (candidates === null ? pos : candidates[pos]!));
    for (const item of top) {
      if (item < 0 || item >= this.catalogueSize) {
        throw new RangeError(`RankingAccumulator.add: item ${item} is outside the catalogue of ${this.catalogueSize}`);
      }
    }
    const width = PER_QUERY_METRICS.length;
    if ((this.n + 1) * width > this.perQuery.length) {
      const grown = new Float64Array(Math.max(64, 2 * this.perQuery.length));
      grown.set(this.perQuery);
      this.perQuery = grown;
    }
    const at = this.n * width; // in PER_QUERY_METRICS order
    this.perQuery[at] = expectedHitRate(1, stats);
    this.perQuery[at + 1] = expectedHitRate(5, stats);
    this.perQuery[at + 2] = expectedHitRate(10, stats);
    this.perQuery[at + 3] = expectedReciprocalRank(stats);
    this.perQuery[at + 4] = expectedNdcg(10, stats);
    this.n++;
    for (const item of top) this.inTop.add(item);
  }

  /**
   * Each added query's values of PER_QUERY_METRICS, in the order added: `count` x 5, row-major
   * (`[i * 5 + c]` is metric c of query i). Their column means are the means of `result()`.
   */
  outcomes(): Float64Array {
    return this.perQuery.slice(0, this.n * PER_QUERY_METRICS.length);
  }

  get count(): number {
    return this.n;
  }

  result(): Record<MetricName, number> & { n: number } {
    const n = this.n;
    const width = PER_QUERY_METRICS.length;
    const sums = new Float64Array(width);
    for (let i = 0; i < n; i++) for (let c = 0; c < width; c++) sums[c]! += this.perQuery[i * width + c]!;
    return {
      "hr@1": sums[0]! / n,
      "hr@5": sums[1]! / n,
      "hr@10": sums[2]! / n,
      mrr: sums[3]! / n,
      "ndcg@10": sums[4]! / n,
      "coverage@10": this.catalogueSize === 0 ? 0 : this.inTop.size / this.catalogueSize,
      n,
    };
  }
}
