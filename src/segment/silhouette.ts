/**
 * Mean silhouette score on a seeded sample, and the silhouette sweep that chooses k for K-means.
 */
import seedrandom from "seedrandom";
import { bootstrapAri } from "./stability.js";
import { fitKMeans, type KMeansFit, type Seed } from "./kmeans.js";

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

export interface SilhouetteSweepOptions extends SilhouetteOptions {
  readonly kFrom?: number;
  readonly kTo?: number;
  readonly maxIterations?: number;
  /** K-means runs per k ({@link KMeansOptions.nInit}, default 1). */
  readonly nInit?: number;
  /** Bootstrap resamples of the sample per k for the stability screen (default 6). */
  readonly stabilityResamples?: number;
  /** Least mean bootstrap ARI for a k to be chosen on its silhouette (default 0.9). */
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
  /** k with the largest silhouette; ties (and NaN entries excluded) -> the smaller k. */
  readonly bestK: number;
  /** The K-means fit at bestK (on all points), so it need not be refitted. */
  readonly best: KMeansFit;
  /** Points the silhouettes were computed on (the same sample for every k). */
  readonly sampleSize: number;
}

/**
 * For k = kFrom..kTo (default 2..10): K-means on all points ({@link fitKMeans}, seed `seed`), inertia
 * on all points, silhouette on the same seeded sample for every k. Chooses the k of maximal silhouette
 * (ties -> smaller k). Throws RangeError for an empty or invalid k range.
 */
export function silhouetteSweep(points: readonly (readonly number[])[], options: SilhouetteSweepOptions): SilhouetteSweep {
  const kFrom = options.kFrom ?? 2;
  const kTo = options.kTo ?? 10;
  if (!Number.isInteger(kFrom) || !Number.isInteger(kTo) || kFrom < 2 || kTo < kFrom || kTo >= points.length) {
    throw new RangeError(`silhouetteSweep: need integers 2 <= kFrom <= kTo < n = ${points.length}, got ${kFrom}..${kTo}`);
  }
  const sample = silhouetteSampleIndices(points.length, options.sampleSize ?? SILHOUETTE_SAMPLE_SIZE, options.seed);
  const samplePoints = sample.map((i) => points[i]!);
  const fitOptions = {
    ...(options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations }),
    ...(options.nInit === undefined ? {} : { nInit: options.nInit }),
  };
  const minStability = options.minStability ?? 0.9;
  const curve: SilhouettePoint[] = [];
  for (let k = kFrom; k <= Math.min(kTo, samplePoints.length - 1); k++) {
    const fit = fitKMeans(samplePoints, k, { seed: options.seed, ...fitOptions });
    const silhouette = exactSilhouette(samplePoints, fit.assignments);
    const stability = bootstrapAri(samplePoints, k, { seed: `${String(options.seed)}:screen`, resamples: options.stabilityResamples ?? 6, ...fitOptions }).mean;
    curve.push({ k, silhouette, inertia: fit.inertia, stability });
    options.onK?.(curve[curve.length - 1]!);
  }
  const usable = curve.filter((p) => Number.isFinite(p.silhouette));
  if (usable.length === 0) throw new RangeError("silhouetteSweep: no k gave a silhouette (fewer than 2 clusters in the sample for every k)");
  const stable = usable.filter((p) => p.stability >= minStability);
  const chosen = stable.length > 0 ? stable.reduce((x, y) => (y.silhouette > x.silhouette ? y : x)) : usable.reduce((x, y) => (y.stability > x.stability ? y : x));
  const best = fitKMeans(points, chosen.k, { seed: options.seed, ...fitOptions });
  return { curve, bestK: best.k, best, sampleSize: sample.length, stableChoice: stable.length > 0 };
}
