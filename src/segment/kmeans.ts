/**
 * K-means on standardised log-RFM (our own global k-means / k-means++ and Lloyd on typed arrays, seeded). Pure: arrays in, results out.
 *
 *   const { scaler, points } = logRfmFeatures(rfmRows);       // fit the scaler and transform
 *   const fit = fitKMeans(points, 5, { seed: 42 });          // { k, centroids, assignments, inertia, ... }
 *   const newPoints = transformLogRfm(otherRows, scaler);     // same scaling for new data
 */
import seedrandom from "seedrandom";
import type { RfmRow } from "./rfm.js";

/** The RFM columns the features are built from. */
export type RfmValues = Pick<RfmRow, "recencyDays" | "frequency" | "monetary">;

/** Fitted standardisation of the log-RFM features, in the order [recency, frequency, monetary]. */
export interface LogRfmScaler {
  readonly features: readonly ["log1p_recency_days", "log1p_frequency", "log1p_monetary"];
  /** Mean of log1p(x) per feature. */
  readonly means: readonly [number, number, number];
  /** Population standard deviation (ddof = 0, as scikit-learn's StandardScaler) of log1p(x); 1 where it is 0. */
  readonly stds: readonly [number, number, number];
}

const FEATURES = ["log1p_recency_days", "log1p_frequency", "log1p_monetary"] as const;

function logRow(row: RfmValues, i: number): [number, number, number] {
  const values = [row.recencyDays, row.frequency, row.monetary] as const;
  values.forEach((v, j) => {
    if (!Number.isFinite(v) || v < 0) {
      throw new RangeError(`logRfmFeatures: row ${i}: ${FEATURES[j]!.slice(6)} ${v} is not a finite number >= 0`);
    }
  });
  return [Math.log1p(row.recencyDays), Math.log1p(row.frequency), Math.log1p(row.monetary)];
}

/**
 * Fits the standardisation of log-RFM: for each feature x in (recencyDays, frequency, monetary),
 * u = log1p(x), mean = Σu / n, std = sqrt(Σ(u - mean)² / n) (1 when 0, so a constant column maps to 0).
 * Throws RangeError on no rows or a negative / non-finite value.
 */
export function fitLogRfmScaler(rows: readonly RfmValues[]): LogRfmScaler {
  if (rows.length === 0) throw new RangeError("fitLogRfmScaler: no rows");
  const sums = [0, 0, 0];
  const logs = rows.map(logRow);
  for (const u of logs) for (let j = 0; j < 3; j++) sums[j]! += u[j]!;
  const means = sums.map((s) => s / rows.length) as [number, number, number];
  const sq = [0, 0, 0];
  for (const u of logs) for (let j = 0; j < 3; j++) sq[j]! += (u[j]! - means[j]!) ** 2;
  const stds = sq.map((s) => Math.sqrt(s / rows.length) || 1) as [number, number, number];
  return { features: FEATURES, means, stds };
}

/** z = (log1p(x) - mean) / std per feature, with a fitted scaler: one [r, f, m] point per row. */
export function transformLogRfm(rows: readonly RfmValues[], scaler: LogRfmScaler): number[][] {
  return rows.map((row, i) => {
    const u = logRow(row, i);
    return u.map((v, j) => (v - scaler.means[j]!) / scaler.stds[j]!);
  });
}

/** Fits the scaler on `rows` and transforms them: the K-means features. */
export function logRfmFeatures(rows: readonly RfmValues[]): { scaler: LogRfmScaler; points: number[][] } {
  const scaler = fitLogRfmScaler(rows);
  return { scaler, points: transformLogRfm(rows, scaler) };
}

/** Our seed: a number or a string; turned into the generators' seeds deterministically. */
export type Seed = number | string;

/**
 * The numeric seed of a run's k-means++ draws: the first uint32 of `seedrandom(String(seed))` (ARC4), so
 * any seed (incl. strings) maps to one fixed number.
 */
export function kmeansNumericSeed(seed: Seed): number {
  return seedrandom(String(seed)).int32() >>> 0;
}

export interface KMeansOptions {
  readonly seed: Seed;
  /** Lloyd iterations at most (default 100). */
  readonly maxIterations?: number;
  /** Convergence: stop when every centroid moves less than this squared distance (default 1e-6). */
  readonly tolerance?: number;
  /**
   * "global" (the default): greedy global k-means ({@link kmeansPath}), which adds one centre at a time and
   * finds the same partition on resamples of the same data. "kmeans++": `nInit` independent k-means++ runs
   * (the scikit-learn variant with 2 + floor(ln k) local trials), keeping the least inertia.
   */
  readonly initialization?: "global" | "kmeans++";
  /** Global k-means: candidate centres tried per added centre (default {@link GLOBAL_CANDIDATES}). */
  readonly candidates?: number;
  /**
   * k-means++ only: independent runs, keeping the one of least inertia (ties -> earlier run); default 1.
   * Run 0 uses `seed`, run r > 0 uses `${seed}:init${r}`.
   */
  readonly nInit?: number;
}

/** Candidate centres tried per added centre in global k-means: enough that a 3% group is almost surely among them. */
export const GLOBAL_CANDIDATES = 32;

export interface KMeansFit {
  readonly k: number;
  /** k centroids in feature space. */
  readonly centroids: number[][];
  /** Cluster 0..k-1 of each point, in input order. */
  readonly assignments: number[];
  /** Sum of squared Euclidean distances of points to their centroid. */
  readonly inertia: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/** Squared Euclidean distance. */
export function squaredDistance(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) {
    const d = a[j]! - b[j]!;
    s += d * d;
  }
  return s;
}

/** Points as one row-major n x d array, checked: same dimension, finite coordinates. */
function flatPoints(points: readonly (readonly number[])[], caller: string): { x: Float64Array; n: number; d: number } {
  const n = points.length;
  const d = points[0]?.length ?? 0;
  const x = new Float64Array(n * d);
  points.forEach((p, i) => {
    if (p.length !== d) throw new RangeError(`${caller}: point ${i} has ${p.length} dimensions, point 0 has ${d}`);
    if (!p.every(Number.isFinite)) throw new RangeError(`${caller}: point ${i} has a non-finite coordinate`);
    x.set(p, i * d);
  });
  return { x, n, d };
}

/**
 * K-means: Lloyd iterations from a seeded initialisation ({@link KMeansOptions.initialization}, global
 * k-means by default). The same points, k and seed give identical assignments.
 * inertia = Σ_i ||x_i - c_{a_i}||². Throws RangeError for k not an integer in [1, n] or ragged points.
 */
export function fitKMeans(points: readonly (readonly number[])[], k: number, options: KMeansOptions): KMeansFit {
  const n = points.length;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`fitKMeans: k must be an integer in [1, ${n}], got ${k}`);
  if ((options.initialization ?? "global") === "global") return kmeansPath(points, k, options)[k - 1]!;
  const nInit = options.nInit ?? 1;
  if (!Number.isInteger(nInit) || nInit < 1) throw new RangeError(`fitKMeans: nInit must be a positive integer, got ${nInit}`);
  const { x, d } = flatPoints(points, "fitKMeans");
  let best: KMeansFit | undefined;
  for (let run = 0; run < nInit; run++) {
    const rng = seedrandom(String(kmeansNumericSeed(run === 0 ? options.seed : `${String(options.seed)}:init${run}`)));
    const result = lloyd(x, n, d, k, kmeansPlusPlusCentres(x, n, d, k, rng), options).fit;
    if (best === undefined || result.inertia < best.inertia) best = result;
  }
  return best!;
}

/**
 * Greedy global k-means (after Likas, Vlassis & Verbeek 2003, "The global k-means clustering algorithm"):
 * k = 1 is the mean; each next k keeps the k - 1 converged centres and adds the candidate point that
 * lowers Σ min(d², d²_to_candidate) most, then runs Lloyd to convergence. The candidates are `candidates`
 * points drawn with probability ∝ d² to the current centres (seeded: `seedrandom(kmeansNumericSeed(seed))`),
 * as in k-means++, instead of the paper's every point. Returns the fits for k = 1..kMax (index k - 1):
 * one pass gives a whole silhouette sweep. Deterministic for a seed; unlike independent random restarts it
 * lands in the same partition on resamples of the same data, which is what a stable segmentation needs.
 */
export function kmeansPath(points: readonly (readonly number[])[], kMax: number, options: Omit<KMeansOptions, "initialization" | "nInit">): KMeansFit[] {
  const { x, n, d } = flatPoints(points, "kmeansPath");
  if (!Number.isInteger(kMax) || kMax < 1 || kMax > n) throw new RangeError(`kmeansPath: kMax must be an integer in [1, ${n}], got ${kMax}`);
  const candidates = options.candidates ?? GLOBAL_CANDIDATES;
  if (!Number.isInteger(candidates) || candidates < 1) throw new RangeError(`kmeansPath: candidates must be a positive integer, got ${candidates}`);
  const rng = seedrandom(String(kmeansNumericSeed(options.seed)));
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t]! += x[i * d + t]! / n;
  let step = lloyd(x, n, d, 1, mean, options);
  const path = [step.fit];
  for (let k = 2; k <= kMax; k++) {
    const closest = step.closest;
    let potential = 0;
    for (let i = 0; i < n; i++) potential += closest[i]!;
    const added = bestCandidate(x, n, d, closest, potential, candidates, rng);
    const start = new Float64Array(k * d);
    start.set(step.centroids);
    start.set(x.subarray(added * d, added * d + d), (k - 1) * d);
    step = lloyd(x, n, d, k, start, options);
    path.push(step.fit);
  }
  return path;
}

/**
 * Fits for k = kFrom..kTo (index k - kFrom) with one set of options: one {@link kmeansPath} for global
 * k-means, one {@link fitKMeans} per k for k-means++.
 */
export function fitKMeansRange(points: readonly (readonly number[])[], kFrom: number, kTo: number, options: KMeansOptions): KMeansFit[] {
  if (!Number.isInteger(kFrom) || !Number.isInteger(kTo) || kFrom < 1 || kTo < kFrom) throw new RangeError(`fitKMeansRange: need integers 1 <= kFrom <= kTo, got ${kFrom}..${kTo}`);
  if ((options.initialization ?? "global") === "global") return kmeansPath(points, kTo, options).slice(kFrom - 1);
  return Array.from({ length: kTo - kFrom + 1 }, (_, i) => fitKMeans(points, kFrom + i, options));
}

/** Index of a point drawn with probability ∝ weights[i] (total `total`); the last point when rounding runs out. */
function drawWeighted(weights: Float64Array, total: number, rng: () => number): number {
  let target = rng() * total;
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i]!;
    if (target <= 0) return i;
  }
  return weights.length - 1;
}

/** Of `trials` points drawn ∝ closest[i], the one whose addition as a centre leaves the least Σ squared distance. */
function bestCandidate(x: Float64Array, n: number, d: number, closest: Float64Array, potential: number, trials: number, rng: () => number): number {
  let bestIndex = -1;
  let bestPotential = Infinity;
  for (let t = 0; t < trials; t++) {
    const index = drawWeighted(closest, potential, rng);
    let total = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let u = 0; u < d; u++) {
        const v = x[i * d + u]! - x[index * d + u]!;
        s += v * v;
      }
      total += Math.min(closest[i]!, s);
    }
    if (total < bestPotential) {
      bestPotential = total;
      bestIndex = index;
    }
  }
  return bestIndex;
}

/**
 * k-means++ seeding with 2 + floor(ln k) local trials per centre (scikit-learn's greedy variant: of the
 * trials, the one that lowers the total squared distance most).
 */
function kmeansPlusPlusCentres(x: Float64Array, n: number, d: number, k: number, rng: () => number): Float64Array {
  const centroids = new Float64Array(k * d);
  const first = Math.min(n - 1, Math.floor(rng() * n));
  centroids.set(x.subarray(first * d, first * d + d), 0);
  const closest = new Float64Array(n);
  let potential = 0;
  for (let i = 0; i < n; i++) potential += closest[i] = squaredDistanceAt(x, i, centroids, 0, d);
  const trials = 2 + Math.floor(Math.log(k));
  for (let c = 1; c < k; c++) {
    const chosen = bestCandidate(x, n, d, closest, potential, trials, rng);
    centroids.set(x.subarray(chosen * d, chosen * d + d), c * d);
    potential = 0;
    for (let i = 0; i < n; i++) potential += closest[i] = Math.min(closest[i]!, squaredDistanceAt(x, i, centroids, c, d));
  }
  return centroids;
}

/** Squared distance of point i of x to centre j of c (both row-major with d columns). */
function squaredDistanceAt(x: Float64Array, i: number, c: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const v = x[i * d + t]! - c[j * d + t]!;
    s += v * v;
  }
  return s;
}

/** Each point's nearest centre (ties -> lower index) into `assignments`, its squared distance into `closest`. */
function assignNearest(x: Float64Array, n: number, d: number, k: number, centroids: Float64Array, assignments: Int32Array, closest: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestD = Infinity;
    for (let j = 0; j < k; j++) {
      const dj = squaredDistanceAt(x, i, centroids, j, d);
      if (dj < bestD) {
        bestD = dj;
        best = j;
      }
    }
    assignments[i] = best;
    closest[i] = bestD;
  }
}

/**
 * Lloyd iterations on n x d points (row-major) from the given k centres, until every centroid moves less
 * than `tolerance` (squared distance) or `maxIterations`; a centroid left without points keeps its place.
 * Returns the fit, its centroids and each point's squared distance to its centroid.
 */
function lloyd(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  start: Float64Array,
  options: Pick<KMeansOptions, "maxIterations" | "tolerance">,
): { fit: KMeansFit; centroids: Float64Array; closest: Float64Array } {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-6;
  const centroids = Float64Array.from(start);
  const assignments = new Int32Array(n);
  const closest = new Float64Array(n);
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    sums.fill(0);
    counts.fill(0);
    assignNearest(x, n, d, k, centroids, assignments, closest);
    for (let i = 0; i < n; i++) {
      const best = assignments[i]!;
      counts[best]! += 1;
      for (let t = 0; t < d; t++) sums[best * d + t]! += x[i * d + t]!;
    }
    let moved = 0;
    for (let j = 0; j < k; j++) {
      if (counts[j] === 0) continue;
      let shift = 0;
      for (let t = 0; t < d; t++) {
        const next = sums[j * d + t]! / counts[j]!;
        shift += (next - centroids[j * d + t]!) ** 2;
        centroids[j * d + t] = next;
      }
      moved = Math.max(moved, shift);
    }
    if (moved < tolerance) {
      converged = true;
      break;
    }
  }
  // final assignment to the final centroids, and the inertia
  assignNearest(x, n, d, k, centroids, assignments, closest);
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += closest[i]!;
  return {
    fit: {
      k,
      centroids: Array.from({ length: k }, (_, j) => Array.from(centroids.subarray(j * d, j * d + d))),
      assignments: Array.from(assignments),
      inertia,
      iterations,
      converged,
    },
    centroids,
    closest,
  };
}

/** Nearest centroid (squared Euclidean; ties -> lower index) of each point: assigns new data to a fit. */
export function predictKMeans(centroids: readonly (readonly number[])[], points: readonly (readonly number[])[]): number[] {
  return points.map((p) => {
    let best = 0;
    let bestD = Infinity;
    centroids.forEach((c, j) => {
      const d = squaredDistance(p, c);
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    });
    return best;
  });
}
