import { beforeAll, describe, expect, it } from "vitest";
import { fitProphet, type FittedProphet } from "../src/forecast/prophet.js";
import {
  logGamma,
  mapTrend,
  NormalSampler,
  piecewiseLinear,
  sampleLaplace,
  samplePoisson,
  seededUniform,
  simulateIntervals,
} from "../src/forecast/uncertainty.js";
import { loadCase } from "./fixtures/prophet/reference-cases.js";

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: readonly number[]): number => {
  const m = mean(xs);
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
};

describe("random draws (seeded)", () => {
  it("the uniform generator is reproducible per seed", () => {
    const a = seededUniform(1);
    const b = seededUniform(1);
    const c = seededUniform(2);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("normal, Laplace and Poisson draws have the right moments", () => {
    const u = seededUniform(42);
    const normal = new NormalSampler(u);
    const z = Array.from({ length: 200_000 }, () => normal.next());
    expect(Math.abs(mean(z))).toBeLessThan(0.01);
    expect(Math.abs(variance(z) - 1)).toBeLessThan(0.01);
    const lap = Array.from({ length: 200_000 }, () => sampleLaplace(u, 0.3));
    expect(Math.abs(mean(lap))).toBeLessThan(0.005);
    expect(Math.abs(mean(lap.map(Math.abs)) - 0.3)).toBeLessThan(0.005); // E|X| = b
    expect(Math.abs(variance(lap) - 2 * 0.09)).toBeLessThan(0.005); // Var = 2b²
    for (const lambda of [0, 0.4, 3.08, 29.5, 30, 250, 5000]) {
      const k = Array.from({ length: 50_000 }, () => samplePoisson(u, lambda));
      expect(k.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
      const tol = 4 * Math.sqrt(Math.max(lambda, 0.01) / k.length) + 1e-9;
      expect(Math.abs(mean(k) - lambda), `mean at ${lambda}`).toBeLessThan(tol);
      if (lambda > 0) expect(Math.abs(variance(k) / lambda - 1), `variance at ${lambda}`).toBeLessThan(0.04);
    }
    expect(() => samplePoisson(u, -1)).toThrow(RangeError);
  });

  it("log-gamma matches log((n-1)!) and Γ(1/2) = √π", () => {
    let logFactorial = 0;
    for (let n = 1; n < 60; n++) {
      expect(logGamma(n)).toBeCloseTo(logFactorial, 9);
      logFactorial += Math.log(n);
    }
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  });
});

describe("trend and quantiles (Prophet's formulas)", () => {
  it("piecewise-linear trend: slope changes at the changepoints, continuous", () => {
    const k = 1;
    const m = 0.5;
    const deltas = [2, -4];
    const cps = [0.25, 0.5];
    expect(piecewiseLinear(0, k, m, deltas, cps)).toBe(0.5);
    expect(piecewiseLinear(0.25, k, m, deltas, cps)).toBeCloseTo(0.75, 12);
    expect(piecewiseLinear(0.5, k, m, deltas, cps)).toBeCloseTo(0.75 + 3 * 0.25, 12);
    expect(piecewiseLinear(1, k, m, deltas, cps)).toBeCloseTo(1.5 - 1 * 0.5, 12);
    expect(mapTrend([0, 1], { k, m, delta: deltas, changepointsT: cps, sigmaObs: 0.1, yScale: 10 }, "flat")).toEqual([5, 5]);
  });
});

describe("seeded predictive simulation on a fitted model", () => {
  let fitted: FittedProphet;
  let ds: Date[];
  beforeAll(async () => {
    const c = loadCase("revenue_additive_holidays");
    fitted = await fitProphet(c.history, c.config);
    ds = [...c.history.ds, ...fitted.futureDates(60)];
  }, 60_000);

  it("same seed: identical intervals, also from a second fit; different seed: different intervals", async () => {
    const a = fitted.predict(ds);
    const b = fitted.predict(ds);
    expect(b.yhat_lower).toEqual(a.yhat_lower);
    expect(b.yhat_upper).toEqual(a.yhat_upper);
    expect(b.trend_upper).toEqual(a.trend_upper);
    const c = loadCase("revenue_additive_holidays");
    const again = await fitProphet(c.history, c.config);
    const r = again.predict(ds);
    expect(r.yhat_lower).toEqual(a.yhat_lower);
    expect(r.yhat_upper).toEqual(a.yhat_upper);
    const other = (await fitProphet(c.history, { ...c.config, seed: 2 })).predict(ds);
    expect(other.yhat).toEqual(a.yhat); // the seed only drives the simulation
    expect(other.yhat_lower).not.toEqual(a.yhat_lower);
    const diff = other.yhat_upper.map((v, i) => Math.abs(v - a.yhat_upper[i]!));
    expect(Math.max(...diff)).toBeGreaterThan(0);
    // ...but only by sampling noise.
    expect(mean(diff) / mean(a.yhat_upper.map((v, i) => v - a.yhat_lower[i]!))).toBeLessThan(0.05);
  });

  it("rows in any order give the same values per date", () => {
    const a = fitted.predict(ds);
    const reversed = [...ds].reverse();
    const r = fitted.predict(reversed);
    expect(r.ds).toEqual(reversed);
    expect([...r.yhat].reverse()).toEqual(a.yhat);
    expect([...r.yhat_lower].reverse()).toEqual(a.yhat_lower);
  });

  it("our trend from the captured parameters is augurs' trend; intervals bracket yhat; trend uncertainty only in the future", () => {
    const f = fitted.predict(ds);
    const p = fitted.params;
    const t = ds.map((d) => (d.getTime() - p.start.getTime()) / 1000 / p.tScaleSeconds);
    const ours = mapTrend(t, p, "linear");
    ours.forEach((v, i) => expect(Math.abs(v - f.trend[i]!)).toBeLessThan(1e-9 * p.yScale));
    const nHistory = ds.length - 60;
    for (let i = 0; i < ds.length; i++) {
      expect(f.yhat_lower[i]!).toBeLessThan(f.yhat[i]!);
      expect(f.yhat_upper[i]!).toBeGreaterThan(f.yhat[i]!);
      if (i < nHistory) {
        expect(f.trend_lower[i]).toBe(f.trend[i]);
        expect(f.trend_upper[i]).toBe(f.trend[i]);
      }
    }
    const width = (i: number): number => f.trend_upper[i]! - f.trend_lower[i]!;
    expect(width(ds.length - 1)).toBeGreaterThan(width(nHistory + 5));
    // In-sample coverage of the 80% intervals as R's (93% on this heteroscedastic series for both: one
    // sigma_obs for 800/day and 40,000/day).
    const c = loadCase("revenue_additive_holidays");
    const R = c.forecast.columns;
    let inside = 0;
    let insideR = 0;
    c.history.y.forEach((y, i) => {
      inside += y! >= f.yhat_lower[i]! && y! <= f.yhat_upper[i]! ? 1 : 0;
      insideR += y! >= R["yhat_lower"]![i]! && y! <= R["yhat_upper"]![i]! ? 1 : 0;
    });
    expect(Math.abs(inside - insideR) / nHistory).toBeLessThan(0.02);
  });

  it("simulateIntervals: zero samples gives the point values; bad widths are rejected", () => {
    const params = { k: 1, m: 0, delta: [0.5], changepointsT: [0.5], sigmaObs: 0.1, yScale: 2 };
    const zero = simulateIntervals({ t: [0, 1.5], additiveTerms: [1, 1], multiplicativeTerms: [0, 0], params, growth: "linear", intervalWidth: 0.8, samples: 0, seed: 1 });
    expect(zero.yhat_lower).toEqual([1, 1 + (1.5 + 0.5) * 2]);
    expect(zero.yhat_upper).toEqual(zero.yhat_lower);
    expect(() => simulateIntervals({ t: [0], additiveTerms: [0], multiplicativeTerms: [0], params, growth: "linear", intervalWidth: 1, samples: 10, seed: 1 })).toThrow(RangeError);
    expect(() => simulateIntervals({ t: [0], additiveTerms: [], multiplicativeTerms: [0], params, growth: "linear", intervalWidth: 0.8, samples: 10, seed: 1 })).toThrow(RangeError);
  });
});
