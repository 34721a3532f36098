import { DEFAULT_SEGMENT_MAP, SEGMENT_CONFIG_DEFAULT, type SegmentRule } from "./config.js";
import { segmentNames } from "./segment-map.js";

/** What the summary needs of a customer row (a `SegmentedRow` has it). */
export interface SummaryInputRow {
  readonly segment: string;
  readonly recencyDays: number;
  readonly frequency: number;
  readonly monetary: number;
}

export interface SegmentSummaryRow {
  readonly segment: string;
  /** Number of customers in the segment. */
  readonly customers: number;
  /** customers / all customers (0 when there are none). */
  readonly share: number;
  /** Sum of monetary over the segment. */
  readonly revenue: number;
  /** revenue / all revenue (0 when all revenue is 0). */
  readonly revenueShare: number;
  /** Sum of frequency (distinct orders) over the segment. */
  readonly orders: number;
  /** Average order value: revenue / orders (0 for an empty segment). */
  readonly aov: number;
  /** Mean recency in days (0 for an empty segment). */
  readonly meanRecencyDays: number;
  /** Mean frequency, orders per customer (0 for an empty segment). */
  readonly meanFrequency: number;
}

/**
 * Per segment of the map, in map order, every segment listed even when empty (all 0s):
 * customers, share = customers / N, revenue = sum(monetary), revenueShare = revenue / sum(all monetary),
 * orders = sum(frequency), aov = revenue / orders, meanRecencyDays, meanFrequency.
 * Throws RangeError for a row whose segment is not in the map.
 */
export function summarizeSegments(rows: readonly SummaryInputRow[], map: readonly SegmentRule[] = DEFAULT_SEGMENT_MAP): SegmentSummaryRow[] {
  const names = segmentNames(map);
  const acc = new Map(names.map((name) => [name, { customers: 0, revenue: 0, orders: 0, recency: 0 }]));
  let totalRevenue = 0;
  for (const row of rows) {
    const a = acc.get(row.segment);
    if (a === undefined) throw new RangeError(`summarizeSegments: segment ${JSON.stringify(row.segment)} is not in the map (${names.join(", ")})`);
    a.customers += 1;
    a.revenue += row.monetary;
    a.orders += row.frequency;
    a.recency += row.recencyDays;
    totalRevenue += row.monetary;
  }
  const total = rows.length;
  return names.map((segment) => {
    const a = acc.get(segment)!;
    return {
      segment,
      customers: a.customers,
      share: total === 0 ? 0 : a.customers / total,
      revenue: a.revenue,
      revenueShare: totalRevenue === 0 ? 0 : a.revenue / totalRevenue,
      orders: a.orders,
      aov: a.orders === 0 ? 0 : a.revenue / a.orders,
      meanRecencyDays: a.customers === 0 ? 0 : a.recency / a.customers,
      meanFrequency: a.customers === 0 ? 0 : a.orders / a.customers,
    };
  });
}

export interface AtRiskOpportunity {
  /** The segments counted. */
  readonly segments: readonly string[];
  readonly customers: number;
  /** Sum of monetary of their customers. */
  readonly revenue: number;
  /** revenue / all revenue (0 when all revenue is 0). */
  readonly revenueShare: number;
}

/**
 * The at-risk revenue opportunity: the past revenue of customers who were valuable but are slipping away,
 * revenue = sum(monetary) over customers in "At Risk" or "Can't Lose Them" (the config's atRiskSegments),
 * i.e. what winning them back would protect. It is historical revenue, not a forecast.
 */
export function atRiskOpportunity(
  rows: readonly SummaryInputRow[],
  segments: readonly string[] = SEGMENT_CONFIG_DEFAULT.atRiskSegments,
): AtRiskOpportunity {
  const wanted = new Set(segments);
  let customers = 0;
  let revenue = 0;
  let total = 0;
  for (const row of rows) {
    total += row.monetary;
    if (wanted.has(row.segment)) {
      customers += 1;
      revenue += row.monetary;
    }
  }
  return { segments: [...segments], customers, revenue, revenueShare: total === 0 ? 0 : revenue / total };
}
