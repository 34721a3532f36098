/**
 * K-means on standardised log-RFM (our own k-means++ and Lloyd on typed arrays, seeded). Pure: arrays in, results out.
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
  /** Only k-means++ (the scikit-learn variant with 2 + floor(ln k) local trials). */
  readonly initialization?: "kmeans++";
  /**
   * Independent k-means++ runs, keeping the one of least inertia (ties -> earlier run); default 1.
   * Run 0 uses `seed`, run r > 0 uses `${seed}:init${r}`. More runs guard against a poor local optimum.
   */
  readonly nInit?: number;
}

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

/**
 * Lloyd's k-means with k-means++ initialisation seeded by {@link kmeansNumericSeed}: the same points, k
 * and seed give identical assignments; `nInit` runs keep the one of least inertia.
 * inertia = Σ_i ||x_i - c_{a_i}||². Throws RangeError for k not an integer in [1, n] or ragged points.
 */
export function fitKMeans(points: readonly (readonly number[])[], k: number, options: KMeansOptions): KMeansFit {
  const n = points.length;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`fitKMeans: k must be an integer in [1, ${n}], got ${k}`);
  const dim = points[0]!.length;
  points.forEach((p, i) => {
    if (p.length !== dim) throw new RangeError(`fitKMeans: point ${i} has ${p.length} dimensions, point 0 has ${dim}`);
    if (!p.every(Number.isFinite)) throw new RangeError(`fitKMeans: point ${i} has a non-finite coordinate`);
  });
  const nInit = options.nInit ?? 1;
  if (!Number.isInteger(nInit) || nInit < 1) throw new RangeError(`fitKMeans: nInit must be a positive integer, got ${nInit}`);
  const flat = new Float64Array(n * dim);
  points.forEach((p, i) => flat.set(p, i * dim));
  let best: KMeansFit | undefined;
  for (let run = 0; run < nInit; run++) {
    const rng = seedrandom(String(kmeansNumericSeed(run === 0 ? options.seed : `${String(options.seed)}:init${run}`)));
    const result = lloyd(flat, n, dim, k, rng, options.maxIterations ?? 100, options.tolerance ?? 1e-6);
    if (best === undefined || result.inertia < best.inertia) best = result;
  }
  return best!;
}

/**
 * One k-means run on n x d points (row-major): k-means++ seeding with 2 + floor(ln k) local trials
 * per centre (scikit-learn's greedy variant: of the trials, the one that lowers the total squared
 * distance most), then Lloyd iterations until every centroid moves less than `tolerance` (squared
 * distance) or `maxIterations`. A centroid left without points keeps its place. Typed arrays: the
 * ml-kmeans package it replaces spent most of a segmentation run in its Matrix rows and per-point objects.
 */
function lloyd(x: Float64Array, n: number, d: number, k: number, rng: () => number, maxIterations: number, tolerance: number): KMeansFit {
  const centroids = new Float64Array(k * d);
  const dist = (i: number, c: Float64Array, j: number): number => {
    let s = 0;
    for (let t = 0; t < d; t++) {
      const v = x[i * d + t]! - c[j * d + t]!;
      s += v * v;
    }
    return s;
  };
  const first = Math.min(n - 1, Math.floor(rng() * n));
  centroids.set(x.subarray(first * d, first * d + d), 0);
  const closest = new Float64Array(n);
  let potential = 0;
  for (let i = 0; i < n; i++) potential += closest[i] = dist(i, centroids, 0);
  const trials = 2 + Math.floor(Math.log(k));
  const candidateCentre = new Float64Array(d);
  for (let c = 1; c < k; c++) {
    let bestIndex = -1;
    let bestPotential = Infinity;
    for (let t = 0; t < trials; t++) {
      let target = rng() * potential;
      let index = n - 1;
      for (let i = 0; i < n; i++) {
        target -= closest[i]!;
        if (target <= 0) {
          index = i;
          break;
        }
      }
      candidateCentre.set(x.subarray(index * d, index * d + d));
      let total = 0;
      for (let i = 0; i < n; i++) total += Math.min(closest[i]!, dist(i, candidateCentre, 0));
      if (total < bestPotential) {
        bestPotential = total;
        bestIndex = index;
      }
    }
    centroids.set(x.subarray(bestIndex * d, bestIndex * d + d), c * d);
    potential = 0;
    for (let i = 0; i < n; i++) potential += closest[i] = Math.min(closest[i]!, dist(i, centroids, c));
  }
  const assignments = new Int32Array(n);
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let j = 0; j < k; j++) {
        const dj = dist(i, centroids, j);
        if (dj < bestD) {
          bestD = dj;
          best = j;
        }
      }
      assignments[i] = best;
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
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestD = Infinity;
    for (let j = 0; j < k; j++) {
      const dj = dist(i, centroids, j);
      if (dj < bestD) {
        bestD = dj;
        best = j;
      }
    }
    assignments[i] = best;
    inertia += bestD;
  }
  return {
    k,
    centroids: Array.from({ length: k }, (_, j) => Array.from(centroids.subarray(j * d, j * d + d))),
    assignments: Array.from(assignments),
    inertia,
    iterations,
    converged,
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
