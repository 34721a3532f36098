import { quantileSorted } from "../stats/descriptive.js";
import { compareIds, type RfmRow } from "./rfm.js";

/** Number of score bins: scores run 1..SCORE_BINS. */
export const SCORE_BINS = 5;

/** A score 1..5. */
export type Score = 1 | 2 | 3 | 4 | 5;

export interface RfmScoredRow extends RfmRow {
  /** Recency score, 5 = most recent. */
  readonly r: Score;
  /** Frequency score, 5 = most orders. */
  readonly f: Score;
  /** Monetary score, 5 = most revenue. */
  readonly m: Score;
  /** The "RF" score string, e.g. "54", on which the segment map is commonly written. */
  readonly rf: string;
}

/**
 * Rank-first quintile scores: each value's rank with ties broken by `keys`, cut into 5 equal-count bins.
 *
 * Why not plain quantile edges: on Olist, frequency is 1 for ~97% of customers, so every quintile edge
 * of frequency is 1 and plain `qcut` collapses (pandas raises "Bin edges must be unique"); recency and
 * monetary have many ties too. Ranking first gives every customer a distinct rank, so the bins always
 * have equal counts (± 1). Ties are broken by a stable secondary key (customerUniqueId), not by input
 * order, so the same customers always get the same scores however the rows arrive.
 *
 * Formula (pandas `qcut(x.rank(method="first"), 5, labels=False) + 1` on rows sorted by key):
 * - order rows by (value asc, key asc); rank r = 1..n;
 * - edges e_b = 1 + (n - 1) * b / 5 (linear-interpolated quantiles of 1..n), right-closed bins;
 * - score = max(1, ceil(5 * (r - 1) / (n - 1))), and 1 when n = 1.
 * `descending: true` gives 6 - score (used for recency: fewest days = 5).
 * Matches pandas up to floating-point rounding of its edges.
 */
export function rankFirstScores(
  values: readonly number[],
  keys: readonly string[],
  options: { readonly descending?: boolean } = {},
): Score[] {
  if (keys.length !== values.length) throw new RangeError(`rankFirstScores: ${values.length} values but ${keys.length} keys`);
  values.forEach((v, i) => {
    if (Number.isNaN(v)) throw new RangeError(`rankFirstScores: value ${i} (key ${JSON.stringify(keys[i])}) is NaN`);
  });
  const n = values.length;
  const order = values.map((_, i) => i);
  order.sort((a, b) => values[a]! - values[b]! || compareIds(keys[a]!, keys[b]!) || a - b);
  const scores = new Array<Score>(n);
  order.forEach((index, position) => {
    const rank = position + 1;
    const bin = n === 1 ? 1 : Math.max(1, Math.ceil((SCORE_BINS * (rank - 1)) / (n - 1)));
    scores[index] = (options.descending === true ? SCORE_BINS + 1 - bin : bin) as Score;
  });
  return scores;
}

/**
 * R, F, M scores 1..5 for RFM rows by {@link rankFirstScores}, ties broken by customerUniqueId.
 * Recency is scored inversely (fewest days since the last purchase = 5). Output keeps the input order.
 */
export function scoreRfm(rows: readonly RfmRow[]): RfmScoredRow[] {
  const keys = rows.map((row) => row.customerUniqueId);
  const r = rankFirstScores(rows.map((row) => row.recencyDays), keys, { descending: true });
  const f = rankFirstScores(rows.map((row) => row.frequency), keys);
  const m = rankFirstScores(rows.map((row) => row.monetary), keys);
  return rows.map((row, i) => ({ ...row, r: r[i]!, f: f[i]!, m: m[i]!, rf: `${r[i]!}${f[i]!}` }));
}

/**
 * Plain quantile edges (numpy/pandas default, "type 7" linear interpolation), for reference:
 * for q = b / bins, h = (n - 1) q, edge = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]) on sorted x.
 * Returns bins + 1 edges (min .. max). On Olist frequency they are all 1 but the last, which is why
 * {@link rankFirstScores} is used instead. Throws on empty input.
 */
export function quantileEdges(values: readonly number[], bins: number = SCORE_BINS): number[] {
  if (values.length === 0) throw new RangeError("quantileEdges: no values");
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`quantileEdges: bins must be a positive integer, got ${bins}`);
  const sorted = [...values].sort((a, b) => a - b);
  const edges: number[] = [];
  for (let b = 0; b <= bins; b++) edges.push(quantileSorted(sorted, b / bins));
  return edges;
}

/** Number of distinct plain quantile edges; fewer than bins + 1 means plain quintiles collapse. */
export function distinctEdgeCount(edges: readonly number[]): number {
  return new Set(edges).size;
}
