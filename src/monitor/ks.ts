/**
 * Two-sample Kolmogorov–Smirnov test.
 *
 *   D = sup_x | F_a(x) − F_b(x) |
 *
 * with F the empirical CDFs (ties handled by stepping past every copy of a value in both samples before
 * comparing, as scipy.stats.ks_2samp does). The p-value is asymptotic (Kolmogorov distribution with the
 * small-sample correction of Numerical Recipes §14.3): with n_e = n·m/(n+m) and
 * λ = (√n_e + 0.12 + 0.11/√n_e)·D, p = Q(λ) = 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²}.
 * D itself does not depend on sample size, so monitoring thresholds are set on D; with tens of thousands
 * of orders almost any difference is "significant", which is why the p-value is reported, not judged.
 */

export interface KsResult {
  /** The statistic D in [0, 1]. */
  readonly d: number;
  /** Asymptotic two-sided p-value. */
  readonly pValue: number;
  readonly n: number;
  readonly m: number;
}

/** D of two samples (non-finite values ignored). Throws if either sample is empty. */
export function ksStatistic(a: readonly number[], b: readonly number[]): number {
  const x = a.filter(Number.isFinite).sort((p, q) => p - q);
  const y = b.filter(Number.isFinite).sort((p, q) => p - q);
  if (x.length === 0 || y.length === 0) throw new Error("ks: both samples need at least one finite value");
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i]! === v) i++;
    while (j < y.length && y[j]! === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/** Q_KS(λ): the Kolmogorov distribution's survival function. */
export function kolmogorovQ(lambda: number): number {
  if (lambda < 1e-3) return 1;
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = (k % 2 === 1 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-12) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/** D and its asymptotic p-value. */
export function ksTest(a: readonly number[], b: readonly number[]): KsResult {
  const d = ksStatistic(a, b);
  const n = a.filter(Number.isFinite).length;
  const m = b.filter(Number.isFinite).length;
  const ne = Math.sqrt((n * m) / (n + m));
  return { d, pValue: kolmogorovQ((ne + 0.12 + 0.11 / ne) * d), n, m };
}
