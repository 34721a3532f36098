/**
 * Prophet's uncertainty intervals by predictive simulation (`predict_uncertainty`, `sample_model` and
 * `sample_predictive_trend` in Prophet's forecaster.py / prophet.R), from the MAP parameters, seeded.
 *
 * For each of `samples` simulated paths:
 *  1. future trend changes: on the forecast span t ∈ (1, T] (T = the largest t asked for), a Poisson
 *     number of new changepoints with mean S·(T − 1) (S = the number of history changepoints, so the
 *     history's changepoint rate), uniform positions 1 + U·(T − 1), and rate changes drawn from
 *     Laplace(0, λ) with λ = mean |δ| + 1e-8 (the fitted deltas' empirical scale);
 *  2. the piecewise-linear trend with the history's and the new changepoints (history rows are unchanged:
 *     new changepoints only act after t = 1), times y_scale;
 *  3. yhat = trend · (1 + multiplicative_terms) + additive_terms + ε,  ε ~ Normal(0, sigma_obs · y_scale).
 * The interval bounds are the (1 − w)/2 and (1 + w)/2 quantiles of the paths at each row (R's quantile
 * type 7 / numpy's linear percentile). With MAP estimation the seasonal terms have no uncertainty, so
 * as in Prophet only yhat and trend get intervals.
 *
 * Randomness: `seedrandom(String(seed))` (ARC4). All paths' changepoints are drawn first (path by path),
 * then the noise row by row in time order; the same inputs and seed give identical intervals.
 */
import seedrandom from "seedrandom";
import { quantileSorted } from "../stats/descriptive.js";

/** A generator of uniform numbers in [0, 1). */
export type Uniform = () => number;

/** A seeded uniform generator (seedrandom's ARC4 with the seed's decimal text as key). */
export function seededUniform(seed: number | string): Uniform {
  const rng = seedrandom(String(seed));
  return () => rng();
}

/** Standard normal deviates by the Box-Muller transform (both values of each pair are used). */
export class NormalSampler {
  private spare: number | undefined;
  constructor(private readonly uniform: Uniform) {}

  next(): number {
    if (this.spare !== undefined) {
      const z = this.spare;
      this.spare = undefined;
      return z;
    }
    let u = 0;
    while (u === 0) u = this.uniform(); // log(0) is -Infinity
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * v;
    this.spare = r * Math.sin(angle);
    return r * Math.cos(angle);
  }
}

/** Laplace(0, scale): density exp(−|x|/scale) / (2·scale); by inverting its distribution function. */
export function sampleLaplace(uniform: Uniform, scale: number): number {
  for (;;) {
    const u = uniform() - 0.5; // [-0.5, 0.5)
    const tail = 1 - 2 * Math.abs(u);
    if (tail > 0) return -scale * Math.sign(u) * Math.log(tail);
  }
}

/** log Γ(x) for x > 0 (Lanczos approximation, g = 7, 9 terms; ~15 significant digits). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * Poisson(mean) deviates: multiplication of uniforms (Knuth) for mean < 30, else Hörmann's transformed
 * rejection with squeeze (PTRS, 1993), which costs O(1) for any mean.
 */
export function samplePoisson(uniform: Uniform, mean: number): number {
  if (!(mean >= 0) || !Number.isFinite(mean)) throw new RangeError(`Poisson mean must be finite and >= 0, got ${mean}`);
  if (mean === 0) return 0;
  if (mean < 30) {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = uniform();
    while (p > limit) {
      k++;
      p *= uniform();
    }
    return k;
  }
  const sqrtMean = Math.sqrt(mean);
  const logMean = Math.log(mean);
  const b = 0.931 + 2.53 * sqrtMean;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = uniform() - 0.5;
    const v = uniform();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -mean + k * logMean - logGamma(k + 1)) return k;
  }
}

/**
 * Prophet's piecewise-linear trend at scaled time t: (k + Σ_{c_j ≤ t} δ_j)·t + (m − Σ_{c_j ≤ t} δ_j·c_j).
 */
export function piecewiseLinear(t: number, k: number, m: number, deltas: readonly number[], changepointsT: readonly number[]): number {
  let slope = k;
  let offset = m;
  for (let j = 0; j < changepointsT.length; j++) {
    const c = changepointsT[j]!;
    if (c <= t) {
      const d = deltas[j] ?? 0;
      slope += d;
      offset -= d * c;
    }
  }
  return slope * t + offset;
}

/** The fitted quantities the simulation needs (a subset of FittedParams). */
export interface TrendParams {
  readonly k: number;
  readonly m: number;
  readonly delta: readonly number[];
  readonly changepointsT: readonly number[];
  readonly sigmaObs: number;
  readonly yScale: number;
}

export interface UncertaintyInput {
  /** Scaled time of each row, (ds − start) / t_scale; rows in any order. */
  readonly t: ArrayLike<number>;
  /** Sum of the additive components at each row, in units of y (Prophet's additive_terms). */
  readonly additiveTerms: ArrayLike<number>;
  /** Sum of the multiplicative components at each row, relative (Prophet's multiplicative_terms). */
  readonly multiplicativeTerms: ArrayLike<number>;
  readonly params: TrendParams;
  readonly growth: "linear" | "flat";
  /** Interval width w in (0, 1): bounds at the (1 − w)/2 and (1 + w)/2 quantiles. */
  readonly intervalWidth: number;
  /** Number of simulated paths (Prophet's uncertainty_samples). */
  readonly samples: number;
  readonly seed: number | string;
}

export interface SimulatedIntervals {
  /** The MAP trend the paths start from, in units of y. */
  trend: number[];
  yhat_lower: number[];
  yhat_upper: number[];
  trend_lower: number[];
  trend_upper: number[];
}

/** The MAP trend at each t, in units of y (Prophet's predict_trend for linear and flat growth). */
export function mapTrend(t: ArrayLike<number>, params: TrendParams, growth: "linear" | "flat"): number[] {
  const out = new Array<number>(t.length);
  for (let i = 0; i < t.length; i++) {
    out[i] = (growth === "flat" ? params.m : piecewiseLinear(t[i]!, params.k, params.m, params.delta, params.changepointsT)) * params.yScale;
  }
  return out;
}

/**
 * Prophet's predictive simulation (see the module comment): yhat and trend interval bounds per row.
 * With `samples` = 0 the bounds equal the point values (no simulation).
 */
export function simulateIntervals(input: UncertaintyInput): SimulatedIntervals {
  const { t, additiveTerms, multiplicativeTerms, params, growth, intervalWidth, samples } = input;
  const n = t.length;
  if (additiveTerms.length !== n || multiplicativeTerms.length !== n) {
    throw new RangeError(`simulateIntervals: t has ${n} rows, additiveTerms ${additiveTerms.length}, multiplicativeTerms ${multiplicativeTerms.length}`);
  }
  if (!(intervalWidth > 0 && intervalWidth < 1)) throw new RangeError(`intervalWidth must be in (0, 1), got ${intervalWidth}`);
  if (!Number.isInteger(samples) || samples < 0) throw new RangeError(`samples must be a non-negative integer, got ${samples}`);

  const trend = mapTrend(t, params, growth);
  const yhatPoint = trend.map((tr, i) => tr * (1 + multiplicativeTerms[i]!) + additiveTerms[i]!);
  if (samples === 0 || n === 0) {
    return { trend, yhat_lower: [...yhatPoint], yhat_upper: [...yhatPoint], trend_lower: [...trend], trend_upper: [...trend] };
  }

  const uniform = seededUniform(input.seed);
  const normal = new NormalSampler(uniform);

  // 1. New changepoints per path, on (1, T].
  let T = -Infinity;
  for (let i = 0; i < n; i++) if (t[i]! > T) T = t[i]!;
  const S = params.changepointsT.length;
  let sumAbs = 0;
  for (const d of params.delta) sumAbs += Math.abs(d);
  const lambda = (params.delta.length > 0 ? sumAbs / params.delta.length : 0) + 1e-8;
  const start = new Int32Array(samples + 1); // path s has changes start[s] .. start[s+1]-1
  const positions: number[] = [];
  const deltas: number[] = [];
  for (let s = 0; s < samples; s++) {
    const count = T > 1 ? samplePoisson(uniform, S * (T - 1)) : 0;
    const at: number[] = [];
    for (let j = 0; j < count; j++) at.push(1 + uniform() * (T - 1));
    at.sort((a, b) => a - b);
    for (let j = 0; j < count; j++) {
      positions.push(at[j]!);
      deltas.push(sampleLaplace(uniform, lambda));
    }
    start[s + 1] = positions.length;
  }
  const trendMoves = growth === "linear" && positions.length > 0;

  // 2-3. Rows in time order; each path's added slope and offset grow as its changepoints are passed.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => t[a]! - t[b]! || a - b);
  const next = Int32Array.from(start.subarray(0, samples));
  const addSlope = new Float64Array(samples);
  const addOffset = new Float64Array(samples);
  const yhatPaths = new Float64Array(samples);
  const trendPaths = new Float64Array(samples);
  const noiseScale = params.sigmaObs * params.yScale;
  const lowerP = (1 - intervalWidth) / 2;
  const upperP = (1 + intervalWidth) / 2;
  const out: SimulatedIntervals = {
    trend,
    yhat_lower: new Array<number>(n),
    yhat_upper: new Array<number>(n),
    trend_lower: new Array<number>(n),
    trend_upper: new Array<number>(n),
  };
  for (const i of order) {
    const ti = t[i]!;
    const base = trend[i]!;
    const mult = 1 + multiplicativeTerms[i]!;
    const add = additiveTerms[i]!;
    let trendVaries = false;
    for (let s = 0; s < samples; s++) {
      let path = base;
      if (trendMoves) {
        const end = start[s + 1]!;
        let j = next[s]!;
        while (j < end && positions[j]! <= ti) {
          addSlope[s] = addSlope[s]! + deltas[j]!;
          addOffset[s] = addOffset[s]! + deltas[j]! * positions[j]!;
          j++;
        }
        next[s] = j;
        if (addSlope[s] !== 0 || addOffset[s] !== 0) {
          path = base + (addSlope[s]! * ti - addOffset[s]!) * params.yScale;
          trendVaries = true;
        }
      }
      trendPaths[s] = path;
      yhatPaths[s] = path * mult + add + normal.next() * noiseScale;
    }
    yhatPaths.sort();
    out.yhat_lower[i] = quantileSorted(yhatPaths, lowerP);
    out.yhat_upper[i] = quantileSorted(yhatPaths, upperP);
    if (trendVaries) {
      trendPaths.sort();
      out.trend_lower[i] = quantileSorted(trendPaths, lowerP);
      out.trend_upper[i] = quantileSorted(trendPaths, upperP);
    } else {
      out.trend_lower[i] = base;
      out.trend_upper[i] = base;
    }
  }
  return out;
}
