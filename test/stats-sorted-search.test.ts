import { describe, expect, it } from "vitest";
import { lowerBound, upperBound } from "../src/stats/sorted-search.js";

describe("lowerBound and upperBound", () => {
  const values = [1, 2, 2, 2, 5, 9];

  it("find the first value >= x and > x, in arrays and typed arrays alike", () => {
    for (const sorted of [values, Float64Array.from(values), Float32Array.from(values), Int32Array.from(values)]) {
      expect([0, 1, 2, 3, 5, 9, 10].map((x) => lowerBound(sorted, x))).toEqual([0, 0, 1, 4, 4, 5, 6]);
      expect([0, 1, 2, 3, 5, 9, 10].map((x) => upperBound(sorted, x))).toEqual([0, 1, 4, 4, 5, 6, 6]);
    }
    // the number of values equal to x
    expect(upperBound(values, 2) - lowerBound(values, 2)).toBe(3);
  });

  it("search only within [from, to), answering `to` when none", () => {
    expect(lowerBound(values, 2, 2, 5)).toBe(2);
    expect(lowerBound(values, 6, 2, 5)).toBe(5);
    expect(upperBound(values, 2, 4, 6)).toBe(4);
    expect(lowerBound([], 1)).toBe(0);
  });
});
