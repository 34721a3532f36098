import { quantileSorted } from "../stats/descriptive.js";
import type { RfmRow } from "./rfm.js";

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
 * Where the scores' edges come from: quantiles of the data or fixed business values. Every score is
 * a function of the customer's own values and these edges, so equal values get equal scores and no
 * customer id or row order can move anyone (the rank-first scores before them broke the ~97% ties of
 * Olist's frequency by customer id).
 */
export interface ScoreThresholds {
  /** Recency edges in days, 4 of them: R 5 = at or below the first, 1 = above the last. */
  readonly recency: { readonly quantiles: readonly number[] } | { readonly days: readonly number[] };
  /**
   * The segment map's F axis:
   * - "repeat-and-spend": F 5 = `frequent` or more orders, 4 = `repeat` or more, and one-order customers
   *   by their spend: 3 above the `oneOrderSpendQuantiles[1]` quantile of one-order spend, 2 above the
   *   `[0]` one, else 1 (for one-purchase businesses, where frequency alone cannot discriminate);
   * - "quantiles": frequency on its quintile edges (ties share a score);
   * - "auto": repeat-and-spend when more than half of the customers have one order, else quantiles.
   */
  readonly frequency: { readonly mode: "auto" | "repeat-and-spend" | "quantiles"; readonly repeat: number; readonly frequent: number; readonly oneOrderSpendQuantiles: readonly [number, number] };
  /** Monetary edges: 4 quantiles of spend (M 5 = above the last). */
  readonly monetary: { readonly quantiles: readonly number[] };
}

/** The defaults, chosen for data like Olist: quintiles of recency and spend, repeat = 2+ orders, frequent = 3+, one-order spend split at its median and top 20%. */
export const DEFAULT_SCORE_THRESHOLDS: ScoreThresholds = {
  recency: { quantiles: [0.2, 0.4, 0.6, 0.8] },
  frequency: { mode: "auto", repeat: 2, frequent: 3, oneOrderSpendQuantiles: [0.5, 0.8] },
  monetary: { quantiles: [0.2, 0.4, 0.6, 0.8] },
};

/** The edges the thresholds resolved to on one table (reported beside the segments). */
export interface ResolvedThresholds {
  recencyDays: number[];
  frequencyMode: "repeat-and-spend" | "quantiles";
  /** Frequency edges (quantiles mode) or [repeat, frequent] (repeat-and-spend). */
  frequencyEdges: number[];
  /** One-order spend edges (repeat-and-spend), else empty. */
  oneOrderSpendEdges: number[];
  monetaryEdges: number[];
}

/** 1 + how many edges the value is above (ascending scores: 5 = above every edge). */
function scoreAbove(value: number, edges: readonly number[]): number {
  let n = 0;
  for (const e of edges) if (value > e) n++;
  return 1 + n;
}

function quantilesOf(values: readonly number[], qs: readonly number[]): number[] {
  const sorted = Float64Array.from(values).sort();
  return qs.map((q) => quantileSorted(sorted, q));
}

/** The "RF" strings "11".."55", made once rather than per customer. */
const RF_STRINGS = Array.from({ length: SCORE_BINS * SCORE_BINS }, (_, i) => `${Math.floor(i / SCORE_BINS) + 1}${(i % SCORE_BINS) + 1}`);

export function checkThresholds(t: ScoreThresholds): void {
  const fourIncreasing = (xs: readonly number[], name: string, within?: [number, number]) => {
    if (xs.length !== SCORE_BINS - 1 || xs.some((x, i) => !Number.isFinite(x) || (i > 0 && x < xs[i - 1]!)) || (within && xs.some((x) => x < within[0] || x > within[1]))) {
      throw new RangeError(`segment thresholds: ${name} must be ${SCORE_BINS - 1} non-decreasing numbers${within ? ` in [${within[0]}, ${within[1]}]` : ""}, got ${JSON.stringify(xs)}`);
    }
  };
  if ("quantiles" in t.recency) fourIncreasing(t.recency.quantiles, "recency.quantiles", [0, 1]);
  else fourIncreasing(t.recency.days, "recency.days");
  fourIncreasing(t.monetary.quantiles, "monetary.quantiles", [0, 1]);
  const f = t.frequency;
  if (!["auto", "repeat-and-spend", "quantiles"].includes(f.mode)) throw new RangeError(`segment thresholds: frequency.mode must be auto, repeat-and-spend or quantiles, got ${JSON.stringify(f.mode)}`);
  if (!(Number.isInteger(f.repeat) && Number.isInteger(f.frequent) && f.repeat >= 2 && f.frequent > f.repeat)) {
    throw new RangeError(`segment thresholds: frequency.repeat and frequency.frequent must be whole numbers with 2 <= repeat < frequent, got ${f.repeat} and ${f.frequent}`);
  }
  const [a, b] = f.oneOrderSpendQuantiles;
  if (!(a >= 0 && a <= b && b <= 1)) throw new RangeError(`segment thresholds: frequency.oneOrderSpendQuantiles must be two quantiles 0 <= a <= b <= 1, got ${JSON.stringify(f.oneOrderSpendQuantiles)}`);
}

/**
 * R, F, M scores 1..5 from each customer's own values and the thresholds' edges (resolved on these
 * rows when they are quantiles). Recency scores inversely (fewest days = 5). Output keeps the input order.
 */
export function scoreRfm(rows: readonly RfmRow[], thresholds: ScoreThresholds = DEFAULT_SCORE_THRESHOLDS): { rows: RfmScoredRow[]; resolved: ResolvedThresholds } {
  checkThresholds(thresholds);
  rows.forEach((row, i) => {
    for (const key of ["recencyDays", "frequency", "monetary"] as const) {
      if (!Number.isFinite(row[key])) throw new RangeError(`scoreRfm: row ${i} (customer ${JSON.stringify(row.customerUniqueId)}) has ${key} ${row[key]}`);
    }
  });
  const recency = rows.map((r) => r.recencyDays);
  const recencyDays = rows.length === 0 ? [] : "days" in thresholds.recency ? [...thresholds.recency.days] : quantilesOf(recency, thresholds.recency.quantiles);
  const monetaryEdges = rows.length === 0 ? [] : quantilesOf(rows.map((r) => r.monetary), thresholds.monetary.quantiles);
  const f = thresholds.frequency;
  const oneOrder = rows.filter((r) => r.frequency <= 1);
  const frequencyMode = f.mode === "auto" ? (oneOrder.length > rows.length / 2 ? "repeat-and-spend" : "quantiles") : f.mode;
  const frequencyEdges = frequencyMode === "quantiles" ? (rows.length === 0 ? [] : quantilesOf(rows.map((r) => r.frequency), [0.2, 0.4, 0.6, 0.8])) : [f.repeat, f.frequent];
  const oneOrderSpendEdges = frequencyMode === "repeat-and-spend" && oneOrder.length > 0 ? quantilesOf(oneOrder.map((r) => r.monetary), f.oneOrderSpendQuantiles) : [];
  const fScore = (row: RfmRow): number => {
    if (frequencyMode === "quantiles") return scoreAbove(row.frequency, frequencyEdges);
    if (row.frequency >= f.frequent) return 5;
    if (row.frequency >= f.repeat) return 4;
    return scoreAbove(row.monetary, oneOrderSpendEdges);
  };
  const scored = rows.map((row): RfmScoredRow => {
    const r = recencyScore(row.recencyDays, recencyDays);
    const fs = fScore(row) as Score;
    // one object shape for every row: a spread of 1M rows spent seconds in the garbage collector
    return {
      customerUniqueId: row.customerUniqueId,
      recencyDays: row.recencyDays,
      frequency: row.frequency,
      monetary: row.monetary,
      r,
      f: fs,
      m: scoreAbove(row.monetary, monetaryEdges) as Score,
      rf: RF_STRINGS[(r - 1) * SCORE_BINS + (fs - 1)]!,
    };
  });
  return { rows: scored, resolved: { recencyDays, frequencyMode, frequencyEdges, oneOrderSpendEdges, monetaryEdges } };
}

/** R: 5 at or below the first edge (the most recent fifth), 1 above the last. */
function recencyScore(days: number, edges: readonly number[]): Score {
  let n = 0;
  for (const e of edges) if (days > e) n++;
  return (SCORE_BINS - n) as Score;
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
