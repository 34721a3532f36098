/**
 * Binary search in ascending numbers (an array or a typed array), within [from, to): one place for the
 * recommender's ranking, the sample generator's calendar, PSI's bins and the forecast baselines' history.
 */

/** The first index i in [from, to) with sorted[i] >= x (to when none). */
export function lowerBound(sorted: ArrayLike<number>, x: number, from = 0, to = sorted.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index i in [from, to) with sorted[i] > x (to when none). */
export function upperBound(sorted: ArrayLike<number>, x: number, from = 0, to = sorted.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
