/**
 * Population stability index (PSI) of a current sample against a baseline sample.
 *
 *   PSI = Σ_i (a_i − e_i) · ln(a_i / e_i)
 *
 * where e_i is the baseline's share and a_i the current sample's share in bin i. Bins are cut at the
 * baseline's quantiles k/bins (k = 1..bins−1, linear interpolation, duplicate cut points merged, so a
 * discrete feature such as review score gets one bin per distinct value); bin i is (c_{i−1}, c_i], the
 * first and last bins are open-ended. An empty bin's share is replaced by `epsilon` (default 1e-4) so
 * the logarithm stays finite. Conventional reading: < 0.1 stable, 0.1–0.25 moderate shift, > 0.25 major.
 */

import { quantileSorted } from "../stats/descriptive.js";
import { lowerBound } from "../stats/sorted-search.js";

export interface PsiOptions {
  /** Number of quantile bins of the baseline (default 10). */
  readonly bins?: number;
  /** Share used in place of 0 for an empty bin (default 1e-4). */
  readonly epsilon?: number;
}

export const DEFAULT_PSI_BINS = 10;
export const DEFAULT_PSI_EPSILON = 1e-4;

/** Distinct inner cut points at the baseline's quantiles k/bins (type 7), ascending. Throws if the baseline has no finite value. */
export function quantileCutPoints(baseline: readonly number[], bins = DEFAULT_PSI_BINS): number[] {
  const sorted = finite(baseline).sort((x, y) => x - y);
  if (sorted.length === 0) throw new Error("quantileCutPoints: the baseline has no finite value");
  const cuts: number[] = [];
  for (let k = 1; k < bins; k++) {
    const c = quantileSorted(sorted, k / bins);
    if (cuts.length === 0 || c > cuts[cuts.length - 1]!) cuts.push(c);
  }
  return cuts;
}

/** Share of `values` in each bin (c_{i−1}, c_i] defined by ascending `cuts` (cuts.length + 1 bins). */
export function binShares(values: readonly number[], cuts: readonly number[]): number[] {
  const counts = new Array<number>(cuts.length + 1).fill(0);
  let n = 0;
  for (const x of values) {
    if (!Number.isFinite(x)) continue;
    counts[lowerBound(cuts, x)]!++; // the first cut >= x
    n++;
  }
  return counts.map((c) => (n === 0 ? 0 : c / n));
}

/** PSI of `current` against `baseline` (non-finite values ignored). Throws if either sample is empty. */
export function psi(baseline: readonly number[], current: readonly number[], options: PsiOptions = {}): number {
  const bins = options.bins ?? DEFAULT_PSI_BINS;
  const epsilon = options.epsilon ?? DEFAULT_PSI_EPSILON;
  if (!Number.isInteger(bins) || bins < 2) throw new Error(`psi: bins must be an integer >= 2, got ${bins}`);
  if (finite(baseline).length === 0 || finite(current).length === 0) throw new Error("psi: both samples need at least one finite value");
  const cuts = quantileCutPoints(baseline, bins);
  const e = binShares(baseline, cuts);
  const a = binShares(current, cuts);
  let total = 0;
  for (let i = 0; i < e.length; i++) {
    const ei = Math.max(e[i]!, epsilon);
    const ai = Math.max(a[i]!, epsilon);
    total += (ai - ei) * Math.log(ai / ei);
  }
  return total;
}

function finite(values: readonly number[]): number[] {
  return values.filter((x) => Number.isFinite(x));
}
