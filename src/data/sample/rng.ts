import seedrandom from "seedrandom";

const HEX_CODES = Array.from("0123456789abcdef", (c) => c.charCodeAt(0));
const HEX_CODES_BUFFER: number[] = new Array<number>(32).fill(48);

/**
 * Seeded random helpers on seedrandom's Alea generator. Every table draws from its own named stream
 * (`seed` + stream name), so changing how one table is drawn does not shift the numbers of another.
 */
export class Random {
  private readonly prng: seedrandom.PRNG;
  private spareNormal: number | undefined;

  constructor(seed: string, stream: string) {
    this.prng = seedrandom.alea(`${seed}\u0000${stream}`);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.prng();
  }

  /** Uniform in [a, b). */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.prng();
  }

  /** Integer uniform in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.prng() * (hi - lo + 1));
  }

  bernoulli(p: number): boolean {
    return this.prng() < p;
  }

  /** Standard normal (Box-Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    const spare = this.spareNormal;
    if (spare !== undefined) {
      this.spareNormal = undefined;
      return spare;
    }
    let u = 0;
    while (u === 0) u = this.prng();
    const v = this.prng();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and log-sd: median * exp(sd * Z). */
  lognormal(median: number, logSd: number): number {
    return median * Math.exp(logSd * this.normal());
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.prng() * items.length)];
    if (item === undefined) throw new Error("pick from an empty array");
    return item;
  }

  /** Fisher-Yates shuffle in place; returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.prng() * (i + 1));
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t;
    }
    return items;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.prng() * (i + 1));
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }

  /** 32 lowercase hex characters (128 random bits), the shape of every Olist id. */
  hex32(): string {
    return hexOf(this.prng.int32(), this.prng.int32(), this.prng.int32(), this.prng.int32());
  }

  /** A 32-bit signed integer. */
  int32(): number {
    return this.prng.int32();
  }
}

function writeHexWord(word: number, offset: number): void {
  let x = word >>> 0;
  for (let j = 7; j >= 0; j--) {
    HEX_CODES_BUFFER[offset + j] = HEX_CODES[x & 15]!;
    x >>>= 4;
  }
}

/** The 32-hex text of four 32-bit words. */
function hexOf(a: number, b: number, c: number, d: number): string {
  writeHexWord(a, 0);
  writeHexWord(b, 8);
  writeHexWord(c, 16);
  writeHexWord(d, 24);
  return String.fromCharCode.apply(null, HEX_CODES_BUFFER);
}

/**
 * Draws 32-hex ids that are unique within one factory: an id whose first 32 bits were already used is
 * drawn again (a set of small integers is much cheaper than a set of 32-character strings).
 */
export class IdFactory {
  private readonly seen = new Set<number>();
  constructor(private readonly rng: Random) {}

  next(): string {
    for (;;) {
      const a = this.rng.int32();
      const b = this.rng.int32();
      const c = this.rng.int32();
      const d = this.rng.int32();
      if (!this.seen.has(a)) {
        this.seen.add(a);
        return hexOf(a, b, c, d);
      }
    }
  }
}

/**
 * Weighted choice among indices 0..n-1: the cumulative weights are computed once, each draw is a binary
 * search (O(log n)).
 */
export class WeightedTable {
  private readonly cumulative: Float64Array;
  readonly total: number;

  constructor(weights: ArrayLike<number>) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i]!;
      if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`weight ${i} is ${w}; weights must be finite and >= 0`);
      sum += w;
      this.cumulative[i] = sum;
    }
    if (!(sum > 0)) throw new Error("weighted choice needs at least one positive weight");
    this.total = sum;
  }

  get size(): number {
    return this.cumulative.length;
  }

  /** The index whose cumulative interval holds u * total, for u in [0, 1). */
  indexAt(u: number): number {
    const target = u * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  pick(rng: Random): number {
    return this.indexAt(rng.next());
  }
}

/** Weighted choice among labelled values. */
export class WeightedChoice<T> {
  private readonly table: WeightedTable;
  constructor(private readonly values: readonly T[], weights: ArrayLike<number>) {
    if (values.length !== weights.length) throw new Error("values and weights differ in length");
    this.table = new WeightedTable(weights);
  }

  static fromPairs<T>(pairs: readonly (readonly [T, number])[]): WeightedChoice<T> {
    return new WeightedChoice(
      pairs.map((p) => p[0]),
      pairs.map((p) => p[1]),
    );
  }

  pick(rng: Random): T {
    return this.values[this.table.pick(rng)]!;
  }

  valueAt(u: number): T {
    return this.values[this.table.indexAt(u)]!;
  }
}

/** Zipf weights 1/(rank+1)^s for ranks 0..n-1, as a weighted table (rank 0 most popular). */
export function zipfTable(n: number, exponent: number): WeightedTable {
  const w = new Float64Array(n);
  for (let r = 0; r < n; r++) w[r] = 1 / Math.pow(r + 1, exponent);
  return new WeightedTable(w);
}

/**
 * Inverse CDF from equally spaced quantiles (q[0] = min at p=0, q[last] = max at p=1), linear in between.
 */
export function quantileInterpolate(quantiles: readonly number[], u: number): number {
  const steps = quantiles.length - 1;
  const x = Math.min(Math.max(u, 0), 1) * steps;
  const i = Math.min(Math.floor(x), steps - 1);
  const a = quantiles[i]!;
  const b = quantiles[i + 1]!;
  return a + (b - a) * (x - i);
}

/** The CDF matching `quantileInterpolate`: the u at which the interpolated quantile reaches `value`. */
export function quantileRank(quantiles: readonly number[], value: number): number {
  const steps = quantiles.length - 1;
  if (value <= quantiles[0]!) return 0;
  if (value >= quantiles[steps]!) return 1;
  for (let i = 0; i < steps; i++) {
    const a = quantiles[i]!;
    const b = quantiles[i + 1]!;
    if (value <= b) return (i + (b > a ? (value - a) / (b - a) : 0.5)) / steps;
  }
  return 1;
}

/** Horner evaluation of c[0] x^(n-1) + c[1] x^(n-2) + ... + c[n-1]. */
function horner(c: readonly number[], x: number): number {
  let y = 0;
  for (const k of c) y = y * x + k;
  return y;
}

const ERF = [1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592, 0];

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 erf approximation, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(z)) / Math.SQRT2);
  const erf = 1 - horner(ERF, t) * Math.exp((-z * z) / 2);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

// Coefficients of Acklam's rational approximation of the inverse normal CDF.
const A = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const TAIL = 0.02425;

/** Inverse standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const u = Math.min(Math.max(p, 1e-12), 1 - 1e-12);
  if (u < TAIL) {
    const q = Math.sqrt(-2 * Math.log(u));
    return horner(C, q) / (horner(D, q) * q + 1);
  }
  if (u > 1 - TAIL) {
    const q = Math.sqrt(-2 * Math.log(1 - u));
    return -horner(C, q) / (horner(D, q) * q + 1);
  }
  const q = u - 0.5;
  const r = q * q;
  return (horner(A, r) * q) / (horner(B, r) * r + 1);
}
