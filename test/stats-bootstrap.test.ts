import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { bootstrapMeanDifference, bootstrapMeanInterval, bootstrapMeanIntervals, seededUint32 } from "../src/stats/bootstrap.js";

/** n Bernoulli(p) outcomes from a seeded generator. */
function bernoulli(n: number, p: number, seed: string): Float64Array {
  const rng = seedrandom(seed);
  return Float64Array.from({ length: n }, () => (rng() < p ? 1 : 0));
}

const meanOf = (x: Float64Array): number => x.reduce((s, v) => s + v, 0) / x.length;

describe("bootstrapMeanInterval", () => {
  it("contains the mean and is about ±1.96 standard errors wide for a proportion", () => {
    const x = bernoulli(4000, 0.2, "prop");
    const m = meanOf(x);
    const { low, high } = bootstrapMeanInterval(x);
    expect(low).toBeLessThan(m);
    expect(high).toBeGreaterThan(m);
    const se = Math.sqrt((m * (1 - m)) / x.length);
    expect(high - low).toBeGreaterThan(2 * 1.96 * se * 0.85);
    expect(high - low).toBeLessThan(2 * 1.96 * se * 1.15);
  });

  it("is deterministic with the seed and changes with another seed", () => {
    const x = bernoulli(500, 0.3, "det");
    expect(bootstrapMeanInterval(x, { seed: "a" })).toEqual(bootstrapMeanInterval(x, { seed: "a" }));
    expect(bootstrapMeanInterval(x, { seed: "a" })).not.toEqual(bootstrapMeanInterval(x, { seed: "b" }));
  });

  it("shrinks with more queries (about 1/√n)", () => {
    const width = (n: number) => {
      const { low, high } = bootstrapMeanInterval(bernoulli(n, 0.1, `n${n}`));
      return high - low;
    };
    const small = width(1000);
    const large = width(16000);
    expect(large).toBeLessThan(small / 2.5);
    expect(large).toBeGreaterThan(small / 6);
  });

  it("gives a zero-width interval for constant values and NaN for no values", () => {
    expect(bootstrapMeanInterval(new Float64Array(50).fill(1))).toEqual({ low: 1, high: 1 });
    const empty = bootstrapMeanInterval(new Float64Array(0));
    expect(empty.low).toBeNaN();
    expect(empty.high).toBeNaN();
  });

  it("rejects bad options and a matrix that is not whole rows", () => {
    expect(() => bootstrapMeanInterval(new Float64Array(3), { resamples: 0 })).toThrow(RangeError);
    expect(() => bootstrapMeanInterval(new Float64Array(3), { level: 1 })).toThrow(RangeError);
    expect(() => bootstrapMeanIntervals(new Float64Array(5), 2)).toThrow(RangeError);
  });
});

describe("bootstrapMeanIntervals (several columns at once)", () => {
  it("gives each column the interval it gets on its own with the same seed (the same resampled rows)", () => {
    const a = bernoulli(300, 0.4, "colA");
    const b = Float64Array.from(a, (v, i) => v * 0.5 + (i % 3) / 10);
    const both = new Float64Array(600);
    for (let i = 0; i < 300; i++) {
      both[2 * i] = a[i]!;
      both[2 * i + 1] = b[i]!;
    }
    const [ia, ib] = bootstrapMeanIntervals(both, 2, { seed: "s" });
    expect(ia!.low).toBeCloseTo(bootstrapMeanInterval(a, { seed: "s" }).low, 12);
    expect(ia!.high).toBeCloseTo(bootstrapMeanInterval(a, { seed: "s" }).high, 12);
    expect(ib!.low).toBeCloseTo(bootstrapMeanInterval(b, { seed: "s" }).low, 12);
    expect(ib!.high).toBeCloseTo(bootstrapMeanInterval(b, { seed: "s" }).high, 12);
  });

  it("is fast: 10,000 queries x 5 metrics x 1000 resamples for 6 models in well under 2 s", () => {
    const x = bernoulli(50_000, 0.15, "speed");
    const started = performance.now();
    for (let model = 0; model < 6; model++) bootstrapMeanIntervals(x, 5, { seed: `m${model}` });
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe("bootstrapMeanDifference (paired)", () => {
  it("excludes 0 for a clearly better scorer", () => {
    const base = bernoulli(2000, 0.2, "base");
    // the better scorer hits everything the baseline hits, and 10% more
    const rng = seedrandom("better");
    const better = Float64Array.from(base, (v) => (v === 1 || rng() < 0.1 ? 1 : 0));
    const d = bootstrapMeanDifference(better, base);
    expect(d.mean).toBeCloseTo(meanOf(better) - meanOf(base), 12);
    expect(d.low).toBeGreaterThan(0);
    expect(d.high).toBeGreaterThan(d.low);
    const reverse = bootstrapMeanDifference(base, better);
    expect(reverse.high).toBeLessThan(0);
  });

  it("is exactly [0, 0] for identical scorers and includes 0 for two equally good independent ones", () => {
    const a = bernoulli(2000, 0.3, "same");
    expect(bootstrapMeanDifference(a, a.slice())).toEqual({ mean: 0, low: 0, high: 0 });
    const b = bernoulli(2000, 0.3, "other");
    const d = bootstrapMeanDifference(a, b);
    expect(d.low).toBeLessThan(0);
    expect(d.high).toBeGreaterThan(0);
  });

  it("is narrower than the unpaired intervals suggest when the scorers agree on most queries", () => {
    const base = bernoulli(2000, 0.3, "pair");
    const rng = seedrandom("flip");
    const close = Float64Array.from(base, (v) => (rng() < 0.02 ? 1 - v : v));
    const d = bootstrapMeanDifference(close, base);
    const single = bootstrapMeanInterval(base);
    expect(d.high - d.low).toBeLessThan((single.high - single.low) / 2);
  });

  it("rejects series of different lengths", () => {
    expect(() => bootstrapMeanDifference(new Float64Array(3), new Float64Array(4))).toThrow(RangeError);
  });
});

describe("seededUint32", () => {
  it("is deterministic, 32-bit and spread over the range", () => {
    const a = seededUint32("x");
    const b = seededUint32("x");
    const values = Array.from({ length: 1000 }, () => a());
    expect(values).toEqual(Array.from({ length: 1000 }, () => b()));
    for (const v of values) expect(Number.isInteger(v) && v >= 0 && v < 2 ** 32).toBe(true);
    const highHalf = values.filter((v) => v >= 2 ** 31).length;
    expect(highHalf).toBeGreaterThan(430);
    expect(highHalf).toBeLessThan(570);
  });
});
