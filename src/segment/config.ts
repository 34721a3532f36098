import { DEFAULT_SCORE_THRESHOLDS, type ScoreThresholds } from "./scores.js";
/**
 * One configuration object for segmentation; every value is logged as an MLflow param
 * ({@link segmentConfigParams}). Defaults in code, overrides through {@link segmentConfig}.
 */

/**
 * One rule of the segment map: customers whose R score is in [r[0], r[1]] and F score in [f[0], f[1]]
 * (inclusive) belong to `segment`. The usual regex form on the "RF" string, e.g. `[1-2][3-4]`, is the
 * rule `{ r: [1, 2], f: [3, 4] }` (see `ruleFromPattern`).
 */
export interface SegmentRule {
  readonly segment: string;
  readonly r: readonly [number, number];
  readonly f: readonly [number, number];
}

/** Reference-date rule: the seed's default, or a fixed ISO 8601 date/instant (UTC when no zone is given). */
export type ReferenceDateRule = "day-after-last-purchase" | (string & {});

export interface SegmentConfig {
  /** The customer key: Olist's `customer_unique_id` (a person), not `customer_id` (per order). */
  readonly customerKey: "customer_unique_id";
  /** Orders counted: delivered only (the caller filters; `computeRfm` receives delivered orders). */
  readonly orderStatus: "delivered";
  /** Recency is measured to this date: midnight UTC after the last purchase in the data, or a fixed date. */
  readonly referenceDate: ReferenceDateRule;
  /** Recency: whole days from the customer's last purchase to the reference date. */
  readonly recency: "whole-days-since-last-purchase";
  /** Frequency: number of distinct orders. */
  readonly frequency: "distinct-orders";
  /** Monetary: total payment value of the customer's orders. */
  readonly monetary: "sum-payment-value";
  /** Scoring: from each customer's own values and the thresholds' edges (equal values, equal scores). */
  readonly scoring: "behaviour";
  /** Where the score edges come from: quantiles of the data or fixed business values. */
  readonly thresholds: ScoreThresholds;
  /** The segment map on (R, F): must cover each of the 25 pairs exactly once. Its order is the report order. */
  readonly segmentMap: readonly SegmentRule[];
  /** Segments whose revenue is the "at-risk revenue opportunity" (`atRiskOpportunity`). */
  readonly atRiskSegments: readonly string[];
}

/**
 * The widely used 10-segment RFM map on the "RF" score string, as (R range, F range) rules:
 * `5[4-5]` Champions, `[3-4][4-5]` Loyal Customers, `[4-5][2-3]` Potential Loyalists, `51` New Customers,
 * `41` Promising, `33` Need Attention, `3[1-2]` About to Sleep, `[1-2][3-4]` At Risk,
 * `[1-2]5` Can't Lose Them, `[1-2][1-2]` Hibernating.
 */
export const DEFAULT_SEGMENT_MAP: readonly SegmentRule[] = [
  { segment: "Champions", r: [5, 5], f: [4, 5] },
  { segment: "Loyal Customers", r: [3, 4], f: [4, 5] },
  { segment: "Potential Loyalists", r: [4, 5], f: [2, 3] },
  { segment: "New Customers", r: [5, 5], f: [1, 1] },
  { segment: "Promising", r: [4, 4], f: [1, 1] },
  { segment: "Need Attention", r: [3, 3], f: [3, 3] },
  { segment: "About to Sleep", r: [3, 3], f: [1, 2] },
  { segment: "At Risk", r: [1, 2], f: [3, 4] },
  { segment: "Can't Lose Them", r: [1, 2], f: [5, 5] },
  { segment: "Hibernating", r: [1, 2], f: [1, 2] },
];

export const SEGMENT_CONFIG_DEFAULT: SegmentConfig = {
  customerKey: "customer_unique_id",
  orderStatus: "delivered",
  referenceDate: "day-after-last-purchase",
  recency: "whole-days-since-last-purchase",
  frequency: "distinct-orders",
  monetary: "sum-payment-value",
  scoring: "behaviour",
  thresholds: DEFAULT_SCORE_THRESHOLDS,
  segmentMap: DEFAULT_SEGMENT_MAP,
  atRiskSegments: ["At Risk", "Can't Lose Them"],
};

/**
 * The reference date a config asks for: undefined for "day-after-last-purchase" (computeRfm's default),
 * else the parsed date. A date without a time or zone (`2018-09-01`) is midnight UTC.
 * Throws RangeError for a value that is not a date.
 */
export function referenceDateOf(rule: ReferenceDateRule): Date | undefined {
  if (rule === "day-after-last-purchase") return undefined;
  const date = new Date(rule);
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`segment config: referenceDate ${JSON.stringify(rule)} is neither "day-after-last-purchase" nor an ISO 8601 date`);
  }
  return date;
}

/** The "RF" regex-style pattern of a rule: `[1-2][3-4]`, `33`, `5[4-5]`. */
export function rulePattern(rule: SegmentRule): string {
  const part = ([lo, hi]: readonly [number, number]): string => (lo === hi ? `${lo}` : `[${lo}-${hi}]`);
  return `${part(rule.r)}${part(rule.f)}`;
}

/**
 * The config as MLflow params (string values, keys `segment.*`). The map is one param per rule,
 * `segment.map.01` = `Champions=5[4-5]`, numbered in map order (MLflow keys cannot hold apostrophes).
 */
export function segmentConfigParams(config: SegmentConfig = SEGMENT_CONFIG_DEFAULT): Record<string, string> {
  const params: Record<string, string> = {
    "segment.customer_key": config.customerKey,
    "segment.order_status": config.orderStatus,
    "segment.reference_date": config.referenceDate,
    "segment.recency": config.recency,
    "segment.frequency": config.frequency,
    "segment.monetary": config.monetary,
    "segment.scoring": config.scoring,
    "segment.thresholds.recency": "quantiles" in config.thresholds.recency ? `quantiles ${config.thresholds.recency.quantiles.join("|")}` : `days ${config.thresholds.recency.days.join("|")}`,
    "segment.thresholds.frequency": `${config.thresholds.frequency.mode}; repeat ${config.thresholds.frequency.repeat}+ orders, frequent ${config.thresholds.frequency.frequent}+; one-order spend quantiles ${config.thresholds.frequency.oneOrderSpendQuantiles.join("|")}`,
    "segment.thresholds.monetary": `quantiles ${config.thresholds.monetary.quantiles.join("|")}`,
    "segment.map.rules": String(config.segmentMap.length),
    "segment.at_risk_segments": config.atRiskSegments.join("|"),
  };
  const width = Math.max(2, String(config.segmentMap.length).length);
  config.segmentMap.forEach((rule, i) => {
    params[`segment.map.${String(i + 1).padStart(width, "0")}`] = `${rule.segment}=${rulePattern(rule)}`;
  });
  return params;
}
