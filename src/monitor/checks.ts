import { MS_PER_DAY } from "../io/time.js";
import { mean, sampleStandardDeviation } from "../stats/descriptive.js";
/**
 * Data-quality checks with the seed's thresholds, as one configuration object. Every check returns a
 * CheckResult; warnings are reported but only a "fail" makes `retail-intel monitor` exit non-zero.
 */

export type CheckStatus = "pass" | "warn" | "fail";

export interface CheckResult {
  readonly check: string;
  readonly status: CheckStatus;
  /** The measured value (a percentage, count, days, PSI, ...); null when it could not be measured. */
  readonly value: number | null;
  /** The rule the value was judged against, in words. */
  readonly threshold: string;
  readonly detail: string;
}

export interface QualityConfig {
  readonly missing: {
    /** Fail when a column's missing share is above this percentage (the seed: < 1%). */
    readonly failAbovePct: number;
    /** `table.column` -> why it is not checked (Olist leaves these empty by design). */
    readonly excluded: Readonly<Record<string, string>>;
    /** `table.column` -> a looser limit (percent) for a gap the real Olist files are known to have. */
    readonly knownGaps: Readonly<Record<string, { readonly failAbovePct: number; readonly reason: string }>>;
  };
  readonly outliers: {
    /** Pass below this share (percent) of prices beyond mean ± 3 sd: the seed's target, 0.1%. */
    readonly warnAtPct: number;
    /** Fail at or above this share (percent). */
    readonly failAtPct: number;
    readonly sigmas: number;
  };
  readonly duplicates: { readonly failAbove: number };
  readonly freshness: {
    /** Pass when the last purchase is at most this many days before the reference date. */
    readonly passMaxDays: number;
    /** Warn up to this many days; fail beyond. */
    readonly warnMaxDays: number;
  };
}

const LIFECYCLE = "empty until the order reaches that stage (not yet approved/shipped/delivered, or canceled)";
const NO_ITEMS_GAP = { failAbovePct: 2.5, reason: "Olist has 610 products (1.85%) without category and descriptions" };

export const DEFAULT_QUALITY_CONFIG: QualityConfig = {
  missing: {
    failAbovePct: 1,
    excluded: {
      "order_reviews.review_comment_title": "optional free text: most reviews have none (88% empty in Olist)",
      "order_reviews.review_comment_message": "optional free text: many reviews have none (59% empty in Olist)",
      "orders.order_approved_at": LIFECYCLE,
      "orders.order_delivered_carrier_date": LIFECYCLE,
      "orders.order_delivered_customer_date": LIFECYCLE,
      "order_facts.order_approved_at": LIFECYCLE,
      "order_facts.order_delivered_carrier_date": LIFECYCLE,
      "order_facts.order_delivered_customer_date": LIFECYCLE,
      "order_facts.delivery_days": LIFECYCLE,
      "order_facts.delivered_late": LIFECYCLE,
    },
    knownGaps: {
      "products.product_category_name": NO_ITEMS_GAP,
      "products.product_name_lenght": NO_ITEMS_GAP,
      "products.product_description_lenght": NO_ITEMS_GAP,
      "products.product_photos_qty": NO_ITEMS_GAP,
    },
  },
  outliers: { warnAtPct: 0.1, failAtPct: 3, sigmas: 3 },
  duplicates: { failAbove: 0 },
  freshness: { passMaxDays: 2, warnMaxDays: 7 },
};

const STATUS_RANK: Record<CheckStatus, number> = { pass: 0, warn: 1, fail: 2 };

export function worstStatus(statuses: readonly CheckStatus[]): CheckStatus {
  return statuses.reduce<CheckStatus>((w, s) => (STATUS_RANK[s] > STATUS_RANK[w] ? s : w), "pass");
}

const pct = (x: number): string => `${x.toFixed(2)}%`;

export interface ColumnMissing {
  readonly column: string;
  readonly missing: number;
}

/** Missing values of one table: fails when any checked column is above its limit; names excluded columns. */
export function missingValuesCheck(
  table: string,
  rows: number,
  columns: readonly ColumnMissing[],
  config: QualityConfig = DEFAULT_QUALITY_CONFIG,
): CheckResult {
  const { failAbovePct, excluded, knownGaps } = config.missing;
  const skipped = columns.filter((c) => `${table}.${c.column}` in excluded).map((c) => c.column);
  const judged = columns
    .filter((c) => !(`${table}.${c.column}` in excluded))
    .map((c) => {
      const share = rows === 0 ? 0 : (100 * c.missing) / rows;
      const gap = knownGaps[`${table}.${c.column}`];
      return { column: c.column, share, limit: gap?.failAbovePct ?? failAbovePct, gap: gap !== undefined };
    });
  const failing = judged.filter((c) => c.share > c.limit);
  const worst = [...judged].sort((a, b) => b.share - a.share)[0];
  const parts: string[] = [];
  if (failing.length > 0) parts.push(`above limit: ${failing.map((c) => `${c.column} ${pct(c.share)}`).join(", ")}`);
  else parts.push(worst && worst.share > 0 ? `worst ${worst.column} ${pct(worst.share)}` : "no missing values");
  const gaps = judged.filter((c) => c.gap);
  if (gaps.length > 0) parts.push(`known Olist gap, limit ${pct(gaps[0]!.limit)}: ${gaps.map((c) => c.column).join(", ")}`);
  if (skipped.length > 0) parts.push(`excluded (empty by design): ${skipped.join(", ")}`);
  return {
    check: `missing values: ${table}`,
    status: failing.length > 0 ? "fail" : "pass",
    value: worst ? round(worst.share, 4) : 0,
    threshold: `<= ${pct(failAbovePct)} per column`,
    detail: parts.join("; "),
  };
}

/** Share of values beyond mean ± k sample standard deviations (the same rule as the quality report). */
export function sigmaOutlierShare(values: readonly number[], sigmas = 3): { outliers: number; n: number; lower: number; upper: number } {
  const x = values.filter(Number.isFinite);
  const n = x.length;
  if (n < 2) return { outliers: 0, n, lower: Number.NaN, upper: Number.NaN };
  const centre = mean(x);
  const sd = sampleStandardDeviation(x);
  const lower = centre - sigmas * sd;
  const upper = centre + sigmas * sd;
  return { outliers: x.filter((v) => v < lower || v > upper).length, n, lower, upper };
}

/** Item prices beyond 3 sigma: pass < 0.1% (the seed), warn up to 3%, fail at 3% or more (defaults). */
export function priceOutlierCheck(prices: readonly number[], config: QualityConfig = DEFAULT_QUALITY_CONFIG): CheckResult {
  const { warnAtPct, failAtPct, sigmas } = config.outliers;
  const { outliers, n, lower, upper } = sigmaOutlierShare(prices, sigmas);
  const share = n === 0 ? 0 : (100 * outliers) / n;
  const status: CheckStatus = share >= failAtPct ? "fail" : share >= warnAtPct ? "warn" : "pass";
  return {
    check: `price outliers (${sigmas} sigma)`,
    status,
    value: round(share, 4),
    threshold: `pass < ${pct(warnAtPct)}, warn < ${pct(failAtPct)}, fail >= ${pct(failAtPct)}`,
    detail: `${outliers.toLocaleString("en-US")} of ${n.toLocaleString("en-US")} item prices outside [${lower.toFixed(2)}, ${upper.toFixed(2)}]`,
  };
}

/** Order ids that occur more than once (each extra copy counts once). */
export function duplicateOrderIdCheck(orderIds: readonly string[], config: QualityConfig = DEFAULT_QUALITY_CONFIG): CheckResult {
  const seen = new Set<string>();
  const dupIds = new Set<string>();
  let extra = 0;
  for (const id of orderIds) {
    if (seen.has(id)) {
      extra++;
      dupIds.add(id);
    } else seen.add(id);
  }
  const first = dupIds.values().next();
  return {
    check: "duplicate order_ids",
    status: extra > config.duplicates.failAbove ? "fail" : "pass",
    value: extra,
    threshold: `= ${config.duplicates.failAbove}`,
    detail:
      extra === 0
        ? `${orderIds.length.toLocaleString("en-US")} orders, all ids distinct`
        : `${extra} extra rows for ${dupIds.size} order_ids (e.g. ${first.done ? "" : first.value})`,
  };
}

export { MS_PER_DAY } from "../io/time.js";

/** Days from the last purchase to the reference date (the data's end, "now" or a given date). */
export function freshnessCheck(
  lastPurchaseMs: number,
  referenceMs: number,
  referenceLabel: string,
  config: QualityConfig = DEFAULT_QUALITY_CONFIG,
): CheckResult {
  const { passMaxDays, warnMaxDays } = config.freshness;
  const days = (referenceMs - lastPurchaseMs) / MS_PER_DAY;
  const status: CheckStatus = days <= passMaxDays ? "pass" : days <= warnMaxDays ? "warn" : "fail";
  return {
    check: "data freshness (days)",
    status,
    value: round(days, 2),
    threshold: `pass <= ${passMaxDays}, warn <= ${warnMaxDays}, fail > ${warnMaxDays}`,
    detail: `last purchase ${isoDay(lastPurchaseMs)}, reference ${referenceLabel} ${isoDay(referenceMs)}`,
  };
}

export function isoDay(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : "n/a";
}

export function round(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}
