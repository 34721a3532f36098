import { describe, expect, it } from "vitest";
import { computeRfm, defaultReferenceDate, type RfmOrder } from "../src/segment/index.js";

// Hand-built delivered orders. Last purchase in the data: B at 2018-03-20T23:59Z, so the default
// reference date is 2018-03-21T00:00Z.
const orders: RfmOrder[] = [
  { customerUniqueId: "A", orderId: "o1", purchase: new Date("2018-01-01T10:00:00Z"), revenue: 100 },
  { customerUniqueId: "A", orderId: "o2", purchase: new Date("2018-03-10T15:30:00Z"), revenue: 50 },
  // second payment row of the same order: adds to monetary, not to frequency
  { customerUniqueId: "A", orderId: "o2", purchase: new Date("2018-03-10T15:30:00Z"), revenue: 25 },
  { customerUniqueId: "C", orderId: "o4", purchase: new Date("2017-12-31T00:00:00Z"), revenue: 10 },
  { customerUniqueId: "B", orderId: "o3", purchase: new Date("2018-03-20T23:59:00Z"), revenue: 40 },
];

describe("computeRfm", () => {
  it("default reference date is midnight UTC after the last purchase", () => {
    expect(defaultReferenceDate(orders).toISOString()).toBe("2018-03-21T00:00:00.000Z");
    // a purchase exactly at midnight still moves to the next midnight
    expect(defaultReferenceDate([{ purchase: new Date("2018-03-20T00:00:00Z") }]).toISOString()).toBe("2018-03-21T00:00:00.000Z");
  });

  it("recency (whole days), frequency (distinct orders), monetary (sum) by hand, default reference", () => {
    expect(computeRfm(orders, {})).toEqual([
      // 2018-03-10T15:30 -> 2018-03-21T00:00 = 10 d 8.5 h -> 10
      { customerUniqueId: "A", recencyDays: 10, frequency: 2, monetary: 175 },
      // 1 minute -> 0 days
      { customerUniqueId: "B", recencyDays: 0, frequency: 1, monetary: 40 },
      // 2017-12-31 -> 2018-03-21: 1 + 31 + 28 + 20 = 80 days
      { customerUniqueId: "C", recencyDays: 80, frequency: 1, monetary: 10 },
    ]);
  });

  it("uses an explicit reference date", () => {
    const rows = computeRfm(orders, { referenceDate: new Date("2018-04-01T00:00:00Z") });
    expect(rows.map((r) => [r.customerUniqueId, r.recencyDays])).toEqual([
      ["A", 21],
      ["B", 11],
      ["C", 91],
    ]);
  });

  it("output is ordered by customerUniqueId and independent of input order", () => {
    const shuffled = [orders[3]!, orders[2]!, orders[4]!, orders[0]!, orders[1]!];
    expect(computeRfm(shuffled, {})).toEqual(computeRfm(orders, {}));
    expect(computeRfm(shuffled, {}).map((r) => r.customerUniqueId)).toEqual(["A", "B", "C"]);
  });

  it("rejects bad input naming the order, and purchases after the reference date", () => {
    expect(computeRfm([], {})).toEqual([]);
    expect(() => computeRfm([{ ...orders[0]!, revenue: Number.NaN }], {})).toThrow(/order 0 .*o1.*revenue/);
    expect(() => computeRfm([{ ...orders[0]!, purchase: new Date("nope") }], {})).toThrow(/order 0 .*not a valid date/);
    expect(() => computeRfm(orders, { referenceDate: new Date("2018-03-15T00:00:00Z") })).toThrow(/customer "B" .*after the reference date/);
  });
});
