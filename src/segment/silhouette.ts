/**
 * Mean silhouette score on a seeded sample, and the silhouette sweep that chooses k for K-means.
 */
import seedrandom from "seedrandom";
import { bootstrapAriRange } from "./stability.js";
import { fitKMeans, fitKMeansRange, type KMeansFit, type KMeansOptions, type Seed } from "./kmeans.js";

/**
 * Default number of points the silhouette is computed on. The exact score is O(n²) distances
 * (94K customers = 4.4·10⁹ pairs); a 5,000-point sample (1.25·10⁷ pairs per k) estimates the mean
 * silhouette to about ±0.01 and takes well under a second per k.
 */
export const SILHOUETTE_SAMPLE_SIZE = 5_000;

/**
 * `size` distinct indices of 0..n-1 drawn without replacement (partial Fisher-Yates on
 * `seedrandom(String(seed) + ":silhouette-sample")`), sorted ascending. All of 0..n-1 when size >= n.
 * The same (n, size, seed) always gives the same sample, so every k of a sweep is scored on the same points.
 */
export function silhouetteSampleIndices(n: number, size: number, seed: Seed): number[] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`silhouette: sampleSize must be a positive integer, got ${size}`);
  if (size >= n) return Array.from({ length: n }, (_, i) => i);
  const rng = seedrandom(`${String(seed)}:silhouette-sample`);
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(rng() * (n - i));
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  return idx.slice(0, size).sort((a, b) => a - b);
}

/**
 * Exact mean silhouette (Euclidean) of the given points and labels (scikit-learn's `silhouette_score`):
 * for point i in cluster A, a(i) = mean distance to the other points of A, b(i) = min over clusters B ≠ A
 * of the mean distance to the points of B, s(i) = (b - a) / max(a, b), and s(i) = 0 when A has one point.
 * Returns the mean of s(i); NaN when fewer than 2 clusters are present. O(n²) time, O(n·k) memory.
 */
export function exactSilhouette(points: readonly (readonly number[])[], labels: readonly number[]): number {
  const n = points.length;
  if (labels.length !== n) throw new RangeError(`silhouette: ${n} points but ${labels.length} labels`);
  // Relabel to 0..c-1.
  const ids = new Map<number, number>();
  const lab = labels.map((l) => {
    let id = ids.get(l);
    if (id === undefined) ids.set(l, (id = ids.size));
    return id;
  });
  const c = ids.size;
  if (c < 2) return NaN;
  const sizes = new Array<number>(c).fill(0);
  for (const l of lab) sizes[l]!++;
  const dim = points[0]!.length;
  // Flat copy for speed.
  const flat = new Float64Array(n * dim);
  points.forEach((p, i) => {
    for (let d = 0; d < dim; d++) flat[i * dim + d] = p[d]!;
  });
  const sums = new Float64Array(n * c); // sums[i * c + l] = Σ distance from i to points of cluster l
  for (let i = 0; i < n; i++) {
    const li = lab[i]!;
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let d = 0; d < dim; d++) {
        const diff = flat[i * dim + d]! - flat[j * dim + d]!;
        s += diff * diff;
      }
      const dist = Math.sqrt(s);
      sums[i * c + lab[j]!]! += dist;
      sums[j * c + li]! += dist;
    }
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const li = lab[i]!;
    if (sizes[li]! <= 1) continue; // s(i) = 0
    const a = sums[i * c + li]! / (sizes[li]! - 1);
    let b = Infinity;
    for (let l = 0; l < c; l++) if (l !== li) b = Math.min(b, sums[i * c + l]! / sizes[l]!);
    const m = Math.max(a, b);
    total += m === 0 ? 0 : (b - a) / m;
  }
  return total / n;
}

export interface SilhouetteOptions {
  readonly seed: Seed;
  /** Points scored (default {@link SILHOUETTE_SAMPLE_SIZE}); all points when n is not larger. */
  readonly sampleSize?: number;
}

/**
 * Mean silhouette estimated on a seeded sample ({@link silhouetteSampleIndices}) with exact distances
 * within the sample: {@link exactSilhouette} of the sampled points and their labels (from the full fit).
 */
export function silhouetteScore(points: readonly (readonly number[])[], labels: readonly number[], options: SilhouetteOptions): number {
  if (labels.length !== points.length) throw new RangeError(`silhouette: ${points.length} points but ${labels.length} labels`);
  const sample = silhouetteSampleIndices(points.length, options.sampleSize ?? SILHOUETTE_SAMPLE_SIZE, options.seed);
  return exactSilhouette(sample.map((i) => points[i]!), sample.map((i) => labels[i]!));
}

/** Least mean bootstrap ARI for a k to count as stable: resampled customers land in the same clusters nearly always. */
export const MIN_STABILITY = 0.9;

export interface SilhouetteSweepOptions extends SilhouetteOptions, Omit<KMeansOptions, "seed"> {
  readonly kFrom?: number;
  readonly kTo?: number;
  /** Bootstrap resamples of the sample for the stability screen (default 6). */
  readonly stabilityResamples?: number;
  /** Least mean bootstrap ARI for a k to be chosen on its silhouette (default {@link MIN_STABILITY}). */
  readonly minStability?: number;
  /** Called after each k, e.g. to report progress. */
  readonly onK?: (point: SilhouettePoint) => void;
}

export interface SilhouettePoint {
  readonly k: number;
  readonly silhouette: number;
  /** Inertia of the fit on the sample. */
  readonly inertia: number;
  /** Mean bootstrap ARI of k-means at this k on the sample (how reproducible the partition is). */
  readonly stability: number;
}

export interface SilhouetteSweep {
  /** One entry per k, ascending. */
  readonly curve: SilhouettePoint[];
  /** True when k is the best silhouette among the stable ks (ARI >= minStability); false: no k was stable, the most stable one was taken. */
  readonly stableChoice: boolean;
  /** The chosen k: the largest silhouette among the stable ks (ties -> the smaller k), else the most stable k. */
  readonly bestK: number;
  /** The K-means fit at bestK on all points, so it need not be refitted. */
  readonly best: KMeansFit;
  /** Points the silhouettes and the stability screen were computed on (the same sample for every k). */
  readonly sampleSize: number;
}

/**
 * For k = kFrom..kTo (default 2..10), on one seeded sample of the points: K-means ({@link fitKMeansRange}),
 * its inertia and exact silhouette, and its bootstrap stability ({@link bootstrapAriRange}, seed `seed:screen`).
 * Chooses k by both: the largest silhouette among the ks whose mean ARI >= minStability (ties -> smaller k),
 * else the most stable k; then fits that k on all points. Throws RangeError for an empty or invalid k range.
 */
export function silhouetteSweep(points: readonly (readonly number[])[], options: SilhouetteSweepOptions): SilhouetteSweep {
  const kFrom = options.kFrom ?? 2;
  const kTo = options.kTo ?? 10;
  if (!Number.isInteger(kFrom) || !Number.isInteger(kTo) || kFrom < 2 || kTo < kFrom || kTo >= points.length) {
    throw new RangeError(`silhouetteSweep: need integers 2 <= kFrom <= kTo < n = ${points.length}, got ${kFrom}..${kTo}`);
  }
  const sample = silhouetteSampleIndices(points.length, options.sampleSize ?? SILHOUETTE_SAMPLE_SIZE, options.seed);
  const samplePoints = sample.map((i) => points[i]!);
  const fitOptions: KMeansOptions = {
    seed: options.seed,
    ...(options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations }),
    ...(options.tolerance === undefined ? {} : { tolerance: options.tolerance }),
    ...(options.initialization === undefined ? {} : { initialization: options.initialization }),
    ...(options.candidates === undefined ? {} : { candidates: options.candidates }),
    ...(options.nInit === undefined ? {} : { nInit: options.nInit }),
  };
  const minStability = options.minStability ?? MIN_STABILITY;
  const kLast = Math.min(kTo, samplePoints.length - 1);
  const fits = fitKMeansRange(samplePoints, kFrom, kLast, fitOptions);
  const stability = bootstrapAriRange(samplePoints, kFrom, kLast, { ...fitOptions, seed: `${String(options.seed)}:screen`, resamples: options.stabilityResamples ?? 6 });
  const curve: SilhouettePoint[] = fits.map((fit, j) => {
    const point = { k: fit.k, silhouette: exactSilhouette(samplePoints, fit.assignments), inertia: fit.inertia, stability: stability[j]!.mean };
    options.onK?.(point);
    return point;
  });
  const usable = curve.filter((p) => Number.isFinite(p.silhouette));
  if (usable.length === 0) throw new RangeError("silhouetteSweep: no k gave a silhouette (fewer than 2 clusters in the sample for every k)");
  const stable = usable.filter((p) => p.stability >= minStability);
  const chosen = stable.length > 0 ? stable.reduce((x, y) => (y.silhouette > x.silhouette ? y : x)) : usable.reduce((x, y) => (y.stability > x.stability ? y : x));
  const best = fitKMeans(points, chosen.k, fitOptions);
  return { curve, bestK: best.k, best, sampleSize: sample.length, stableChoice: stable.length > 0 };
}
