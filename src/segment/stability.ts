/**
 * Stability of the segmentation: bootstrap adjusted Rand index of K-means, and the share of customers
 * keeping their rule segment when the reference date moves back.
 */
import seedrandom from "seedrandom";
import { mean } from "../stats/descriptive.js";
import { referenceDateOf, type SegmentConfig } from "./config.js";
import { fitKMeansRange, type KMeansOptions, type Seed } from "./kmeans.js";
import { computeRfm, defaultReferenceDate, MS_PER_DAY, type RfmOrder } from "./rfm.js";
import { segmentCustomers } from "./segment-map.js";

const choose2 = (x: number): number => (x * (x - 1)) / 2;

/**
 * Adjusted Rand index of two labelings of the same items (Hubert & Arabie 1985; scikit-learn's
 * `adjusted_rand_score`). With the contingency table n_ij = #{items in cluster i of a and j of b},
 * row sums a_i, column sums b_j and C(x) = x(x-1)/2:
 *
 *   index    = Σ_ij C(n_ij)
 *   expected = Σ_i C(a_i) · Σ_j C(b_j) / C(n)
 *   max      = (Σ_i C(a_i) + Σ_j C(b_j)) / 2
 *   ARI      = (index - expected) / (max - expected)
 *
 * 1 for identical partitions (whatever the label names), ~0 for independent ones, can be negative.
 * When max = expected (e.g. both put everything in one cluster, or n < 2) it is 1, as in scikit-learn.
 */
export function adjustedRandIndex(a: readonly (number | string)[], b: readonly (number | string)[]): number {
  if (a.length !== b.length) throw new RangeError(`adjustedRandIndex: labelings of ${a.length} and ${b.length} items`);
  const n = a.length;
  const pair = new Map<string, number>();
  const rows = new Map<number | string, number>();
  const cols = new Map<number | string, number>();
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const key = `${typeof x}:${String(x)}\u0000${typeof y}:${String(y)}`;
    pair.set(key, (pair.get(key) ?? 0) + 1);
    rows.set(x, (rows.get(x) ?? 0) + 1);
    cols.set(y, (cols.get(y) ?? 0) + 1);
  }
  let index = 0;
  for (const v of pair.values()) index += choose2(v);
  let sumA = 0;
  for (const v of rows.values()) sumA += choose2(v);
  let sumB = 0;
  for (const v of cols.values()) sumB += choose2(v);
  const total = choose2(n);
  if (total === 0) return 1;
  const expected = (sumA * sumB) / total;
  const max = (sumA + sumB) / 2;
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}

export interface BootstrapAriOptions extends Omit<KMeansOptions, "seed"> {
  /** Bootstrap resamples (default 20). */
  readonly resamples?: number;
  readonly seed: Seed;
  /** Called after each resample (1-based), e.g. to report progress; `ari` is the last k's. */
  readonly onResample?: (info: { resample: number; resamples: number; ari: number }) => void;
}

export interface BootstrapAri {
  readonly k: number;
  readonly resamples: number;
  readonly mean: number;
  readonly min: number;
  /** One ARI per resample, in draw order. */
  readonly values: number[];
}

/**
 * Bootstrap stability of K-means at one k: {@link bootstrapAriRange} for k..k.
 */
export function bootstrapAri(points: readonly (readonly number[])[], k: number, options: BootstrapAriOptions): BootstrapAri {
  return bootstrapAriRange(points, k, k, options)[0]!;
}

/**
 * Bootstrap stability of K-means for k = kFrom..kTo: fit on all n points (seed `seed`); for r = 1..resamples
 * draw n indices with replacement (`seedrandom(seed + ":bootstrap")`, one stream for all resamples), refit
 * on the resampled points (seed `seed:r`), and compare the refit's assignments of the resampled points with
 * the full fit's assignments of the same points by {@link adjustedRandIndex}. With global k-means one fit
 * per resample serves every k. Returns, per k, mean, min and all values.
 */
export function bootstrapAriRange(points: readonly (readonly number[])[], kFrom: number, kTo: number, options: BootstrapAriOptions): BootstrapAri[] {
  const resamples = options.resamples ?? 20;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`bootstrapAri: resamples must be a positive integer, got ${resamples}`);
  const { resamples: _r, onResample, seed, ...fitOptions } = options;
  const full = fitKMeansRange(points, kFrom, kTo, { ...fitOptions, seed });
  const n = points.length;
  const rng = seedrandom(`${String(seed)}:bootstrap`);
  const values = full.map(() => [] as number[]);
  for (let r = 1; r <= resamples; r++) {
    const idx = Array.from({ length: n }, () => Math.floor(rng() * n));
    const refits = fitKMeansRange(
      idx.map((i) => points[i]!),
      kFrom,
      kTo,
      { ...fitOptions, seed: `${String(seed)}:${r}` },
    );
    refits.forEach((refit, j) => values[j]!.push(adjustedRandIndex(idx.map((i) => full[j]!.assignments[i]!), refit.assignments)));
    onResample?.({ resample: r, resamples, ari: values[values.length - 1]![r - 1]! });
  }
  return values.map((v, j) => ({ k: kFrom + j, resamples, mean: mean(v), min: Math.min(...v), values: v }));
}

export interface ReferenceShiftStability {
  readonly referenceDate: Date;
  readonly shiftedDate: Date;
  readonly shiftDays: number;
  /** Customers segmented at the reference date / at the shifted date (orders before it). */
  readonly customersAtReference: number;
  readonly customersAtShifted: number;
  /** Customers present in both. */
  readonly customersCompared: number;
  /** Of those, customers with the same rule segment. */
  readonly kept: number;
  /** kept / customersCompared (the seed's monitoring target is > 0.8). */
  readonly share: number;
}

/**
 * Rule-segment stability under a moved reference date. Reference date R = the config's (default: the day
 * after the last purchase); shifted date S = R - shiftDays days. Segments at R use all orders
 * (computeRfm at R); segments at S use only orders with purchase < S (computeRfm at S), each scored
 * within its own population. share = customers (present at both) whose segment is the same / customers
 * present at both. Throws RangeError when no customer is present at both dates.
 */
export function referenceShiftStability(orders: readonly RfmOrder[], config: SegmentConfig, shiftDays = 30): ReferenceShiftStability {
  if (!Number.isFinite(shiftDays) || shiftDays < 0) throw new RangeError(`referenceShiftStability: shiftDays must be >= 0, got ${shiftDays}`);
  const referenceDate = referenceDateOf(config.referenceDate) ?? defaultReferenceDate(orders);
  const shiftedDate = new Date(referenceDate.getTime() - shiftDays * MS_PER_DAY);
  const atReference = segmentCustomers(computeRfm(orders, { referenceDate }), config);
  const before = orders.filter((o) => o.purchase.getTime() < shiftedDate.getTime());
  const atShifted = segmentCustomers(computeRfm(before, { referenceDate: shiftedDate }), config);
  const shiftedSegment = new Map(atShifted.map((row) => [row.customerUniqueId, row.segment]));
  let compared = 0;
  let kept = 0;
  for (const row of atReference) {
    const s = shiftedSegment.get(row.customerUniqueId);
    if (s === undefined) continue;
    compared++;
    if (s === row.segment) kept++;
  }
  if (compared === 0) {
    throw new RangeError(`referenceShiftStability: no customer has orders before ${shiftedDate.toISOString()} and at ${referenceDate.toISOString()}`);
  }
  return {
    referenceDate,
    shiftedDate,
    shiftDays,
    customersAtReference: atReference.length,
    customersAtShifted: atShifted.length,
    customersCompared: compared,
    kept,
    share: kept / compared,
  };
}
