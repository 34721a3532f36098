import { describe, expect, it } from "vitest";
import { dailyTotals, isoWeekStart, shares, toIsoDate, toJsonRows, topNWithOther, trailingMean, weeklyTotals } from "../src/report/index.js";

describe("toIsoDate", () => {
  it("takes the UTC day of a Date and the written day of an ISO string", () => {
    expect(toIsoDate(new Date(Date.UTC(2018, 0, 31)))).toBe("2018-01-31");
    expect(toIsoDate(new Date(Date.UTC(2018, 0, 31, 23, 59)))).toBe("2018-01-31");
    expect(toIsoDate("2018-02-28")).toBe("2018-02-28");
    expect(toIsoDate("2018-02-28T23:30:00-03:00")).toBe("2018-02-28");
  });

  it("rejects impossible and unparseable dates with the value in the message", () => {
    expect(() => toIsoDate("2018-02-30")).toThrow(/not a date: "2018-02-30"/);
    expect(() => toIsoDate("31/01/2018")).toThrow(/not a date/);
    expect(() => toIsoDate(new Date(Number.NaN))).toThrow(/not a date/);
  });
});

describe("toJsonRows", () => {
  it("serialises dates (day or timestamp), bigint, non-finite numbers and undefined", () => {
    const rows = toJsonRows([{ d: new Date(Date.UTC(2017, 4, 2)), t: new Date(Date.UTC(2017, 4, 2, 13)), b: 5n, n: Number.NaN, u: undefined, s: "x" }]);
    expect(rows).toEqual([{ d: "2017-05-02", t: "2017-05-02T13:00:00.000Z", b: 5, n: null, u: null, s: "x" }]);
  });
});

describe("daily series helpers", () => {
  it("dailyTotals adds rows of the same day and sorts by day", () => {
    const points = dailyTotals(
      [
        { d: "2017-01-02", v: 1 },
        { d: "2017-01-01", v: 2 },
        { d: "2017-01-02T08:00:00Z", v: 3 },
      ],
      (r) => r.d,
      (r) => r.v,
    );
    expect(points).toEqual([
      { ds: "2017-01-01", value: 2 },
      { ds: "2017-01-02", value: 4 },
    ]);
  });

  it("trailingMean averages the last `window` calendar days, missing days as 0", () => {
    const points = [
      { ds: "2017-01-01", value: 3 },
      { ds: "2017-01-02", value: 6 },
      { ds: "2017-01-04", value: 9 },
    ];
    expect(trailingMean(points, 2)).toEqual([
      { ds: "2017-01-02", value: 4.5 },
      { ds: "2017-01-03", value: 3 },
      { ds: "2017-01-04", value: 4.5 },
    ]);
    expect(trailingMean(points, 5)).toEqual([]);
    expect(trailingMean([], 7)).toEqual([]);
    expect(() => trailingMean(points, 0)).toThrow(RangeError);
  });

  it("isoWeekStart is the Monday on or before the day", () => {
    expect(isoWeekStart("2017-11-20")).toBe("2017-11-20"); // Monday
    expect(isoWeekStart("2017-11-26")).toBe("2017-11-20"); // Sunday
    expect(isoWeekStart("2018-01-01")).toBe("2018-01-01");
    expect(isoWeekStart("1970-01-01")).toBe("1969-12-29"); // a Thursday before day 0's Monday
  });

  it("weeklyTotals sums days into weeks and counts the days present", () => {
    const points = ["2017-11-18", "2017-11-19", "2017-11-20"].map((ds, i) => ({ ds, value: i + 1 }));
    expect(weeklyTotals(points)).toEqual([
      { weekStart: "2017-11-13", weekEnd: "2017-11-20", value: 3, days: 2 },
      { weekStart: "2017-11-20", weekEnd: "2017-11-27", value: 3, days: 1 },
    ]);
  });
});

describe("topNWithOther", () => {
  const rows = [
    { label: "a", value: 5 },
    { label: "b", value: 1 },
    { label: "c", value: 3 },
    { label: "d", value: 2 },
    { label: "a", value: 1 },
  ];

  it("keeps the largest N (after merging labels) and sums the rest", () => {
    expect(topNWithOther(rows, 2)).toEqual([
      { label: "a", value: 6 },
      { label: "c", value: 3 },
      { label: "other", value: 3 },
    ]);
  });

  it("adds no bucket when nothing is left over", () => {
    expect(topNWithOther(rows, 4).map((r) => r.label)).toEqual(["a", "c", "d", "b"]);
  });

  it("folds an input label equal to the bucket's into the bucket", () => {
    const result = topNWithOther([{ label: "other", value: 10 }, ...rows], 2);
    expect(result.filter((r) => r.label === "other")).toHaveLength(1);
    expect(result.reduce((s, r) => s + r.value, 0)).toBe(22);
  });

  it("rejects a non-positive N", () => {
    expect(() => topNWithOther(rows, 0)).toThrow(RangeError);
  });
});

describe("shares", () => {
  it("divides by the total, all zero when the total is zero", () => {
    expect(shares([1, 3])).toEqual([0.25, 0.75]);
    expect(shares([0, 0])).toEqual([0, 0]);
  });
});
