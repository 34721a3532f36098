import { describe, expect, it } from "vitest";
import { forecastFromLogSpace, fromLogSpace, toLogSpace, Y_SCALE_COLUMNS } from "../src/forecast/log-transform.js";

describe("log transform", () => {
  it("round-trips y through log1p and expm1, zero staying zero", () => {
    const y = [0, 1e-12, 0.5, 950.52, 40_000, 1e9];
    const back = fromLogSpace(toLogSpace(y));
    back.forEach((v, i) => expect(Math.abs(v - y[i]!)).toBeLessThanOrEqual(1e-14 * Math.max(1, y[i]!)));
    expect(back[1]).toBeCloseTo(1e-12, 20);
    expect(toLogSpace([0])).toEqual([0]);
    expect(toLogSpace([Math.E - 1])[0]).toBeCloseTo(1, 15);
  });

  it("keeps missing values and refuses y ≤ -1", () => {
    expect(toLogSpace([1, null, 0])).toEqual([Math.log(2), null, 0]);
    expect(() => toLogSpace([1, -1])).toThrow(/y\[1\] = -1/);
    expect(() => toLogSpace([Number.NaN])).toThrow(/finite/);
  });

  it("maps the y-scale columns of a forecast back and keeps components in log space", () => {
    const ds = [new Date("2020-01-01T00:00:00Z")];
    const forecast = {
      ds,
      yhat: [Math.log(101)],
      yhat_lower: [Math.log(51)],
      yhat_upper: [Math.log(201)],
      trend: [Math.log(11)],
      weekly: [0.1],
      components: { weekly: [0.1] },
    };
    const back = forecastFromLogSpace(forecast);
    expect(back.ds).toBe(ds);
    expect(back.yhat[0]).toBeCloseTo(100, 10);
    expect(back.yhat_lower[0]).toBeCloseTo(50, 10);
    expect(back.yhat_upper[0]).toBeCloseTo(200, 10);
    expect(back.trend[0]).toBeCloseTo(10, 10);
    expect(back.weekly).toEqual([0.1]);
    expect(back.components).toEqual({ weekly: [0.1] });
    expect(forecast.yhat[0]).toBe(Math.log(101)); // the input is not modified
    expect(Y_SCALE_COLUMNS).toContain("trend_upper");
  });

  it("works on row records and on a chosen column list", () => {
    const rows = [{ yhat: 0, weekly: 0.5 }, { yhat: Math.log1p(2), weekly: 0.5 }];
    expect(forecastFromLogSpace(rows)).toEqual([{ yhat: 0, weekly: 0.5 }, { yhat: Math.expm1(Math.log1p(2)), weekly: 0.5 }]);
    expect(forecastFromLogSpace(rows)[1]!.yhat).toBeCloseTo(2, 14);
    expect(forecastFromLogSpace({ yhat: [0], weekly: [Math.log(2)] }, ["weekly"])).toEqual({ yhat: [0], weekly: [1] });
    expect(() => forecastFromLogSpace({ yhat: "x" })).toThrow(/yhat/);
  });
});
