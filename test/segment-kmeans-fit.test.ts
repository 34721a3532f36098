import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import {
  adjustedRandIndex,
  exactSilhouette,
  fitKMeans,
  fitKMeansRange,
  fitLogRfmScaler,
  kmeansPath,
  kmeansNumericSeed,
  logRfmFeatures,
  predictKMeans,
  silhouetteSampleIndices,
  silhouetteScore,
  silhouetteSweep,
  transformLogRfm,
} from "../src/segment/index.js";

function normal(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/** Gaussian blobs (sd) around the centres, `perBlob` points each; returns points and true labels. */
function blobs(centres: number[][], perBlob: number, sd: number, seed: string): { points: number[][]; truth: number[] } {
  const rng = seedrandom(seed);
  const points: number[][] = [];
  const truth: number[] = [];
  centres.forEach((c, label) => {
    for (let i = 0; i < perBlob; i++) {
      points.push(c.map((x) => x + sd * normal(rng)));
      truth.push(label);
    }
  });
  return { points, truth };
}

const THREE = [
  [0, 0, 0],
  [10, 0, 0],
  [0, 10, 0],
];

describe("log-RFM features", () => {
  it("log1p then z-score with population std; the fitted scaler transforms new rows the same way", () => {
    const rows = [
      { recencyDays: 0, frequency: 1, monetary: Math.E - 1 },
      { recencyDays: Math.E ** 2 - 1, frequency: 1, monetary: Math.E ** 3 - 1 },
    ];
    const { scaler, points } = logRfmFeatures(rows);
    // log1p recency = [0, 2] -> mean 1, std 1; frequency constant -> std 1 (not 0), z = 0; monetary [1, 3] -> mean 2, std 1
    expect(scaler.means[0]).toBeCloseTo(1, 12);
    expect(scaler.stds[0]).toBeCloseTo(1, 12);
    expect(scaler.stds[1]).toBe(1);
    expect(scaler.means[2]).toBeCloseTo(2, 12);
    expect(points[0]![0]).toBeCloseTo(-1, 12);
    expect(points[1]![0]).toBeCloseTo(1, 12);
    expect(points[0]![1]).toBe(0);
    expect(points[1]![2]).toBeCloseTo(1, 12);
    expect(transformLogRfm([{ recencyDays: Math.E ** 4 - 1, frequency: 1, monetary: Math.E - 1 }], scaler)[0]![0]).toBeCloseTo(3, 12);
    expect(fitLogRfmScaler(rows)).toEqual(scaler);
  });

  it("rejects negative or non-finite values", () => {
    expect(() => fitLogRfmScaler([{ recencyDays: -1, frequency: 1, monetary: 1 }])).toThrow(/row 0.*recency/);
    expect(() => fitLogRfmScaler([{ recencyDays: 1, frequency: 1, monetary: NaN }])).toThrow(/monetary/);
  });
});

describe("fitKMeans", () => {
  const { points, truth } = blobs(THREE, 150, 0.5, "blobs-3");

  it("separates three well-separated blobs exactly", () => {
    const fit = fitKMeans(points, 3, { seed: 7 });
    expect(adjustedRandIndex(fit.assignments, truth)).toBe(1);
    expect(new Set(fit.assignments).size).toBe(3);
    // each centroid within 0.2 of a true centre
    for (const c of THREE) expect(Math.min(...fit.centroids.map((m) => Math.hypot(m[0]! - c[0]!, m[1]! - c[1]!, m[2]! - c[2]!)))).toBeLessThan(0.2);
    // inertia = Σ squared distances to the assigned centroid (~ n · dim · sd²)
    expect(fit.inertia).toBeGreaterThan(450 * 3 * 0.25 * 0.8);
    expect(fit.inertia).toBeLessThan(450 * 3 * 0.25 * 1.2);
    expect(predictKMeans(fit.centroids, points)).toEqual(fit.assignments);
  });

  it("is reproducible for a seed, and the seed matters", () => {
    const data = blobs([[0, 0]], 400, 1, "one-blob").points; // no cluster structure: the result depends on the initialisation
    const a = fitKMeans(data, 5, { seed: 1 });
    const b = fitKMeans(data, 5, { seed: 1 });
    expect(b.assignments).toEqual(a.assignments);
    expect(b.centroids).toEqual(a.centroids);
    expect(kmeansNumericSeed("x")).toBe(kmeansNumericSeed("x"));
    const others = [2, 3, 4, 5].map((s) => fitKMeans(data, 5, { seed: s }).assignments);
    expect(others.some((o) => JSON.stringify(o) !== JSON.stringify(a.assignments))).toBe(true);
  });

  it("k-means++: nInit keeps the run of least inertia, and separates the blobs too", () => {
    const data = blobs([[0, 0]], 300, 1, "one-blob-2").points;
    const one = fitKMeans(data, 6, { seed: 3, initialization: "kmeans++" });
    const many = fitKMeans(data, 6, { seed: 3, initialization: "kmeans++", nInit: 5 });
    expect(many.inertia).toBeLessThanOrEqual(one.inertia);
    const runs = [1, 2, 3, 4, 5].map((s) => fitKMeans(data, 6, { seed: s, initialization: "kmeans++" }).inertia);
    expect(many.inertia).toBeLessThanOrEqual(Math.max(...runs));
    expect(adjustedRandIndex(fitKMeans(points, 3, { seed: 7, initialization: "kmeans++", nInit: 3 }).assignments, truth)).toBe(1);
  });

  it("rejects a bad k", () => {
    expect(() => fitKMeans(points, 0, { seed: 1 })).toThrow(RangeError);
    expect(() => fitKMeans(points.slice(0, 2), 3, { seed: 1 })).toThrow(RangeError);
  });
});

/** Olist-like RFM points: a big blob with a monetary spread and a 3% group far out on frequency. */
function skewed(n: number, seed: string): number[][] {
  const rng = seedrandom(seed);
  return Array.from({ length: n }, () => (rng() < 0.03 ? [normal(rng), 5.6 + 0.3 * normal(rng), 1 + normal(rng)] : [normal(rng), -0.17, normal(rng)]));
}

describe("global k-means (kmeansPath)", () => {
  it("gives k = 1..kMax in one pass: k = 1 is the mean, inertia never rises with k, each k equals fitKMeans at that k", () => {
    const data = blobs(THREE, 80, 0.8, "path-blobs").points;
    const path = kmeansPath(data, 5, { seed: "p" });
    expect(path.map((f) => f.k)).toEqual([1, 2, 3, 4, 5]);
    const mean = [0, 1, 2].map((j) => data.reduce((s, p) => s + p[j]!, 0) / data.length);
    path[0]!.centroids[0]!.forEach((v, j) => expect(v).toBeCloseTo(mean[j]!, 10));
    for (let k = 1; k < 5; k++) expect(path[k]!.inertia).toBeLessThanOrEqual(path[k - 1]!.inertia + 1e-9);
    expect(fitKMeans(data, 4, { seed: "p" })).toEqual(path[3]);
    expect(fitKMeansRange(data, 2, 5, { seed: "p" })).toEqual(path.slice(1));
    expect(adjustedRandIndex(path[2]!.assignments, blobs(THREE, 80, 0.8, "path-blobs").truth)).toBe(1);
  });

  it("is reproducible for a seed", () => {
    const data = skewed(2000, "repro");
    expect(kmeansPath(data, 6, { seed: "s" })).toEqual(kmeansPath(data, 6, { seed: "s" }));
  });

  it("finds the small distant group (3% repeat buyers) at k = 2 on every bootstrap resample", () => {
    const data = skewed(4000, "olist-like");
    const fit = fitKMeans(data, 2, { seed: "g" });
    const far = data.map((p) => (p[1]! > 3 ? 1 : 0));
    expect(adjustedRandIndex(fit.assignments, far)).toBe(1);
    const rng = seedrandom("resamples");
    for (let r = 0; r < 10; r++) {
      const idx = Array.from({ length: data.length }, () => Math.floor(rng() * data.length));
      const refit = fitKMeans(idx.map((i) => data[i]!), 2, { seed: `g:${r}` });
      expect(adjustedRandIndex(refit.assignments, idx.map((i) => far[i]!))).toBe(1);
    }
  });

  it("rejects a bad kMax or candidate count", () => {
    const small = blobs(THREE, 10, 0.5, "small").points;
    expect(() => kmeansPath(small, 0, { seed: 1 })).toThrow(/kMax/);
    expect(() => kmeansPath(small.slice(0, 2), 3, { seed: 1 })).toThrow(/kMax/);
    expect(() => kmeansPath(small, 3, { seed: 1, candidates: 0 })).toThrow(/candidates/);
  });
});

describe("silhouette", () => {
  it("matches the hand-computed value on four points", () => {
    // 0,1 | 10,11: s(0) = (10.5 - 1) / 10.5, s(1) = (9.5 - 1) / 9.5, symmetric for the other cluster
    const s = exactSilhouette([[0], [1], [10], [11]], [0, 0, 1, 1]);
    expect(s).toBeCloseTo((9.5 / 10.5 + 8.5 / 9.5) / 2, 12);
    // singleton cluster contributes 0: [0],[1] | [10]: s(0) = (10-1)/10, s(1) = (9-1)/9, s(2) = 0
    expect(exactSilhouette([[0], [1], [10]], [5, 5, 9])).toBeCloseTo((0.9 + 8 / 9 + 0) / 3, 12);
    expect(exactSilhouette([[0], [1]], [0, 0])).toBeNaN();
  });

  it("the sample is seeded, distinct, and the whole data when small", () => {
    const a = silhouetteSampleIndices(10_000, 500, 42);
    expect(a).toEqual(silhouetteSampleIndices(10_000, 500, 42));
    expect(new Set(a).size).toBe(500);
    expect(a).not.toEqual(silhouetteSampleIndices(10_000, 500, 43));
    expect(silhouetteSampleIndices(5, 500, 42)).toEqual([0, 1, 2, 3, 4]);
  });

  it("the sampled estimate is close to the exact score", () => {
    const { points, truth } = blobs([[0, 0], [3, 0]], 1500, 1, "overlap");
    const exact = exactSilhouette(points, truth);
    const sampled = silhouetteScore(points, truth, { seed: 1, sampleSize: 800 });
    expect(Math.abs(sampled - exact)).toBeLessThan(0.03);
  });

  it("sweep on three blobs picks k = 3 with a silhouette near 1", () => {
    const { points } = blobs(THREE, 200, 0.5, "blobs-sweep");
    const sweep = silhouetteSweep(points, { seed: 11, kFrom: 2, kTo: 6, sampleSize: 300 });
    expect(sweep.curve.map((p) => p.k)).toEqual([2, 3, 4, 5, 6]);
    expect(sweep.bestK).toBe(3);
    expect(sweep.best.k).toBe(3);
    expect(sweep.sampleSize).toBe(300);
    expect(sweep.curve[1]!.silhouette).toBeGreaterThan(0.85);
    // inertia falls with k
    for (let i = 1; i < sweep.curve.length; i++) expect(sweep.curve[i]!.inertia).toBeLessThan(sweep.curve[i - 1]!.inertia);
    // k = 3 is also the reproducible partition: its bootstrap ARI on the sample is ~1, and it was chosen among the stable ks
    expect(sweep.curve[1]!.stability).toBeGreaterThan(0.95);
    expect(sweep.stableChoice).toBe(true);
  });

  it("chooses k by silhouette among the stable ks only, else the most stable k, and says which; the same seed gives the same sweep", () => {
    const { points } = blobs(THREE, 200, 0.5, "blobs-sweep");
    const options = { seed: 11, kFrom: 2, kTo: 6, sampleSize: 300, nInit: 3 };
    const a = silhouetteSweep(points, options);
    expect(silhouetteSweep(points, options).curve).toEqual(a.curve);
    const none = silhouetteSweep(points, { ...options, minStability: 1.01 });
    expect(none.stableChoice).toBe(false);
    expect(none.bestK).toBe([...none.curve].sort((x, y) => y.stability - x.stability || x.k - y.k)[0]!.k);
  });

  it("one Gaussian blob: random labels score ~0 and the best k-means silhouette is far below that of blobs", () => {
    const { points } = blobs([[0, 0, 0]], 2000, 1, "gauss");
    const rng = seedrandom("labels");
    const random = points.map(() => Math.floor(rng() * 3));
    expect(Math.abs(silhouetteScore(points, random, { seed: 2, sampleSize: 1000 }))).toBeLessThan(0.05);
    const sweep = silhouetteSweep(points, { seed: 2, kFrom: 2, kTo: 5, sampleSize: 1000 });
    expect(Math.max(...sweep.curve.map((p) => p.silhouette))).toBeLessThan(0.45);
  });
});
