/**
 * Descriptive statistics shared by every layer (forecast, monitor, recommend, segment): one function
 * per concept, pure, no imports of ours. The sums, selection and interpolation are simple-statistics';
 * this module fixes one behaviour for input that has no answer:
 *
 * - Empty input (fewer than two values for the sample standard deviation) gives NaN, never a throw, as
 *   numpy's `mean`/`median`/`std(ddof=1)` and R's `NA` do. A caller that must not proceed checks first.
 * - A NaN among the values gives NaN (numpy's `median`, not its `nanmedian`).
 */
import {
  mean as ssMean,
  median as ssMedian,
  quantileSorted as ssQuantileSorted,
  sampleStandardDeviation as ssSampleStandardDeviation,
} from "simple-statistics";

/** Arithmetic mean: x̄ = Σ xᵢ / n, summed with Neumaier's compensation. NaN for no values. */
export function mean(values: ArrayLike<number>): number {
  // simple-statistics reads only `length` and indices, so a Float64Array needs no copy.
  return values.length === 0 ? Number.NaN : ssMean(values as readonly number[]);
}

/**
 * Median: the middle value after sorting, or the mean of the two middle values when n is even
 * (numpy's `median`, R's `median`; equals `quantileSorted(sorted, 0.5)`). Does not reorder `values`.
 * NaN for no values or when any value is NaN.
 */
export function median(values: readonly number[]): number {
  if (values.length === 0 || values.some(Number.isNaN)) return Number.NaN;
  return ssMedian(values);
}

/**
 * Quantile p of values sorted ascending, by linear interpolation between order statistics
 * (Hyndman & Fan type 7: R's `quantile` default, numpy's `linear`): with h = (n − 1)·p, 0-based,
 * Q(p) = x₍⌊h⌋₎ + (h − ⌊h⌋)·(x₍⌊h⌋+1₎ − x₍⌊h⌋₎).
 * `sorted` must be sorted ascending and hold no NaN (not checked: callers call this in loops on
 * arrays they sorted once). NaN for no values; RangeError when p is outside [0, 1].
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantileSorted: p must be in [0, 1], got ${p}`);
  if (sorted.length === 0) return Number.NaN;
  // simple-statistics reads only `length` and indices, so a sorted Float64Array needs no copy.
  return ssQuantileSorted(sorted as readonly number[], p);
}

/**
 * Sample standard deviation (Bessel's correction): s = √(Σ (xᵢ − x̄)² / (n − 1)).
 * NaN for fewer than two values.
 */
export function sampleStandardDeviation(values: readonly number[]): number {
  return values.length < 2 ? Number.NaN : ssSampleStandardDeviation(values);
}
