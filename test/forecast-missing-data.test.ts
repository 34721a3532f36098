import { describe, expect, it } from "vitest";
import { fillDateGaps } from "../src/forecast/date-gaps.js";
import { fitProphet } from "../src/forecast/prophet.js";
import { parseSeriesCsv } from "../src/forecast/series-input.js";

const day = (i: number): Date => new Date(Date.UTC(2020, 0, 1 + i));

describe("missing y in a series CSV", () => {
  it("reads empty, NA, NaN, null and pandas' other missing-value texts as missing; infinities and text stay named errors", () => {
    const text = ["ds,y", "2020-01-01,1", "2020-01-02,", "2020-01-03,NA", "2020-01-04,NaN", "2020-01-05,null", "2020-01-06,N/A", "2020-01-07,7"].join("\n");
    expect(parseSeriesCsv(text, "s.csv").y).toEqual([1, null, null, null, null, null, 7]);
    for (const bad of ["inf", "Infinity", "-inf", "abc", "1,5"]) {
      const line = `2020-01-02,"${bad}"`;
      expect(() => parseSeriesCsv(`ds,y\n2020-01-01,1\n${line}\n2020-01-03,3`, "s.csv"), bad).toThrow(/s\.csv, row 3, column 'y'/);
    }
  });
});

describe("fillDateGaps", () => {
  it("adds a null row for each date missing inside a daily, hourly, 5-minute or monthly series", () => {
    const daily = fillDateGaps({ ds: [day(0), day(1), day(4), day(5)], y: [1, 2, 5, 6] });
    expect(daily.added).toBe(2);
    expect(daily.ds.map((d) => d.toISOString().slice(0, 10))).toEqual(["2020-01-01", "2020-01-02", "2020-01-03", "2020-01-04", "2020-01-05", "2020-01-06"]);
    expect(daily.y).toEqual([1, 2, null, null, 5, 6]);
    const fiveMin = (k: number) => new Date(Date.UTC(2020, 0, 1, 0, 5 * k));
    expect(fillDateGaps({ ds: [0, 1, 2, 5, 6].map(fiveMin), y: [1, 1, 1, 1, 1] }).added).toBe(2);
    const month = (m: number) => new Date(Date.UTC(2020, m, 1));
    const monthly = fillDateGaps({ ds: [0, 1, 2, 5].map(month), y: [1, 2, 3, 6] });
    expect(monthly.ds.map((d) => d.toISOString().slice(0, 7))).toEqual(["2020-01", "2020-02", "2020-03", "2020-04", "2020-05", "2020-06"]);
    expect(monthly.y).toEqual([1, 2, 3, null, null, 6]);
  });

  it("leaves a gap-free or irregular series as it is", () => {
    const full = { ds: [0, 1, 2].map(day), y: [1, 2, 3] };
    expect(fillDateGaps(full)).toEqual({ ...full, added: 0 });
    const irregular = { ds: [day(0), day(1), new Date(day(2).getTime() + 3_600_000), day(3)], y: [1, 2, 3, 4] };
    expect(fillDateGaps(irregular).added).toBe(0);
  });
});

describe("Prophet with missing observations", () => {
  it("fits without the missing rows and still forecasts their dates: the same fit as on the observed rows alone", async () => {
    const n = 120;
    const ds = Array.from({ length: n }, (_, i) => day(i));
    const y = ds.map((_, i) => 100 + i * 0.5 + 10 * Math.sin((2 * Math.PI * i) / 7));
    const gaps = new Set([10, 11, 12, 50, 77]);
    const withNulls = await fitProphet({ ds, y: y.map((v, i) => (gaps.has(i) ? null : v)) }, { seed: 1 });
    const observedOnly = await fitProphet({ ds: ds.filter((_, i) => !gaps.has(i)), y: y.filter((_, i) => !gaps.has(i)) }, { seed: 1 });
    const a = withNulls.predict(ds);
    const b = observedOnly.predict(ds);
    expect(a.yhat).toHaveLength(n);
    for (const i of gaps) expect(Number.isFinite(a.yhat[i]!)).toBe(true);
    for (let i = 0; i < n; i++) expect(a.yhat[i]).toBeCloseTo(b.yhat[i]!, 6);
  });
});
