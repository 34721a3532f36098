import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_SEGMENT_MAP,
  atRiskOpportunity,
  computeRfm,
  segmentCustomers,
  segmentNames,
  summarizeSegments,
  type RfmOrder,
  type RfmRow,
} from "../src/segment/index.js";

// Five customers with distinct values: with n = 5 each rank is its own bin, so the scores are known by hand.
//   id  recency freq monetary  R F  segment
//   a      1     5     500     5 5  Champions
//   b      2     1      50     4 1  Promising
//   c      3     3      90     3 3  Need Attention
//   d      4     4     200     2 4  At Risk
//   e      5     2      30     1 2  Hibernating
const rows: RfmRow[] = [
  { customerUniqueId: "a", recencyDays: 1, frequency: 5, monetary: 500 },
  { customerUniqueId: "b", recencyDays: 2, frequency: 1, monetary: 50 },
  { customerUniqueId: "c", recencyDays: 3, frequency: 3, monetary: 90 },
  { customerUniqueId: "d", recencyDays: 4, frequency: 4, monetary: 200 },
  { customerUniqueId: "e", recencyDays: 5, frequency: 2, monetary: 30 },
];

describe("segments and summary by hand", () => {
  const segmented = segmentCustomers(rows);

  it("scores and segments", () => {
    expect(segmented.map((s) => [s.customerUniqueId, s.rf, s.m, s.segment])).toEqual([
      ["a", "55", 5, "Champions"],
      ["b", "41", 2, "Promising"],
      ["c", "33", 3, "Need Attention"],
      ["d", "24", 4, "At Risk"],
      ["e", "12", 1, "Hibernating"],
    ]);
  });

  it("summary table: every segment in map order, shares, AOV, means", () => {
    const table = summarizeSegments(segmented, DEFAULT_SEGMENT_MAP);
    expect(table.map((t) => t.segment)).toEqual(segmentNames(DEFAULT_SEGMENT_MAP));
    const bySegment = Object.fromEntries(table.map((t) => [t.segment, t]));
    expect(bySegment["Champions"]).toEqual({
      segment: "Champions",
      customers: 1,
      share: 0.2,
      revenue: 500,
      revenueShare: 500 / 870,
      orders: 5,
      aov: 100,
      meanRecencyDays: 1,
      meanFrequency: 5,
    });
    expect(bySegment["At Risk"]?.aov).toBe(50);
    expect(bySegment["Need Attention"]?.aov).toBe(30);
    expect(bySegment["Hibernating"]?.aov).toBe(15);
    expect(bySegment["Loyal Customers"]).toEqual({
      segment: "Loyal Customers",
      customers: 0,
      share: 0,
      revenue: 0,
      revenueShare: 0,
      orders: 0,
      aov: 0,
      meanRecencyDays: 0,
      meanFrequency: 0,
    });
    expect(table.reduce((s, t) => s + t.share, 0)).toBeCloseTo(1, 12);
    expect(table.reduce((s, t) => s + t.revenueShare, 0)).toBeCloseTo(1, 12);
  });

  it("at-risk opportunity = revenue of At Risk + Can't Lose Them", () => {
    expect(atRiskOpportunity(segmented)).toEqual({ segments: ["At Risk", "Can't Lose Them"], customers: 1, revenue: 200, revenueShare: 200 / 870 });
    const withCantLose = segmented.map((s) => (s.customerUniqueId === "a" ? { ...s, segment: "Can't Lose Them" } : s));
    expect(atRiskOpportunity(withCantLose).revenue).toBe(700);
  });

  it("empty input and unknown segments", () => {
    const empty = summarizeSegments([]);
    expect(empty).toHaveLength(10);
    expect(empty.every((t) => t.customers === 0 && t.share === 0 && t.aov === 0)).toBe(true);
    expect(() => summarizeSegments([{ segment: "Gone", recencyDays: 1, frequency: 1, monetary: 1 }])).toThrow(/"Gone" is not in the map/);
  });
});

describe("end to end on Olist-like orders", () => {
  const rng = seedrandom("segment-summary");
  const orders: RfmOrder[] = [];
  for (let c = 0; c < 500; c++) {
    const n = rng() < 0.97 ? 1 : 2 + Math.floor(rng() * 2);
    for (let k = 0; k < n; k++) {
      orders.push({
        customerUniqueId: `u${c}`,
        orderId: `u${c}-o${k}`,
        purchase: new Date(Date.UTC(2017, 0, 1) + Math.floor(rng() * 600) * 86_400_000 + Math.floor(rng() * 86_400_000)),
        revenue: Math.round(Math.exp(4 + rng()) * 100) / 100,
      });
    }
  }

  it("shares sum to 1, customers and revenue add up, AOV = revenue / orders", () => {
    const segmented = segmentCustomers(computeRfm(orders, {}));
    const table = summarizeSegments(segmented);
    const totalRevenue = orders.reduce((s, o) => s + o.revenue, 0);
    expect(table.reduce((s, t) => s + t.customers, 0)).toBe(500);
    expect(table.reduce((s, t) => s + t.orders, 0)).toBe(new Set(orders.map((o) => o.orderId)).size);
    expect(table.reduce((s, t) => s + t.share, 0)).toBeCloseTo(1, 12);
    expect(table.reduce((s, t) => s + t.revenueShare, 0)).toBeCloseTo(1, 12);
    expect(table.reduce((s, t) => s + t.revenue, 0)).toBeCloseTo(totalRevenue, 6);
    for (const t of table) if (t.orders > 0) expect(t.aov).toBeCloseTo(t.revenue / t.orders, 12);
  });

  it("is the same for orders in another order", () => {
    const reversed = [...orders].reverse();
    expect(summarizeSegments(segmentCustomers(computeRfm(reversed, {})))).toEqual(summarizeSegments(segmentCustomers(computeRfm(orders, {}))));
  });
});
