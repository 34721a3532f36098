import { describe, expect, it } from "vitest";
import { movingAverageModel, naiveModel, seasonalNaiveModel } from "../src/forecast/baselines.js";

const DAY = 86_400_000;
const day = (i: number) => new Date(Date.UTC(2020, 0, 1) + i * DAY);
const days = (from: number, count: number) => Array.from({ length: count }, (_, i) => day(from + i));

describe("baseline models", () => {
  it("naive repeats the last value with intervals from its own errors at each lead time", async () => {
    const fitted = await naiveModel().fit({ ds: days(0, 5), y: [1, 3, 2, 5, 4] });
    const forecast = fitted.predict(days(5, 2));
    expect(forecast.yhat).toEqual([4, 4]);
    // lead 1 day: errors 2, -1, 3, -1 → q10 = -1, q90 = 2.7; lead 2 days: errors 1, 2, 2 → q10 = 1.2, q90 = 2.
    expect(forecast.yhat_lower![0]).toBeCloseTo(3, 12);
    expect(forecast.yhat_upper![0]).toBeCloseTo(6.7, 12);
    expect(forecast.yhat_lower![1]).toBeCloseTo(5.2, 12);
    expect(forecast.yhat_upper![1]).toBeCloseTo(6, 12);
    expect(forecast.ds.map((d) => d.getTime())).toEqual(days(5, 2).map((d) => d.getTime()));
    // A history date is forecast one step ahead: day 2 from day 1.
    expect(fitted.predict([day(2)]).yhat).toEqual([3]);
  });

  it("naive skips missing values; intervals are NaN where the history shows no error", async () => {
    const fitted = await naiveModel({ intervalWidth: 0.5 }).fit({ ds: days(0, 3), y: [1, 2, null] });
    const forecast = fitted.predict([day(3), day(30)]);
    expect(forecast.yhat).toEqual([2, 2]);
    expect(forecast.yhat_lower![1]).toBeNaN();
    expect(() => naiveModel({ intervalWidth: 1 })).toThrow(/intervalWidth/);
    await expect(naiveModel().fit({ ds: days(0, 1), y: [null] })).rejects.toThrow(/naive: the history has 0 observed/);
  });

  it("seasonal naive repeats the last week, falls back a season over a missing value", async () => {
    const cycle = [10, 20, 30, 40, 50, 60, 70];
    const y: (number | null)[] = [...cycle, ...cycle];
    y[10] = null; // day 10 missing: day 17 and 24 come from day 3
    y[3] = 99;
    const model = seasonalNaiveModel(7);
    expect(model.name).toBe("seasonal_naive_7");
    const forecast = (await model.fit({ ds: days(0, 14), y })).predict(days(14, 14));
    expect(forecast.yhat).toEqual([10, 20, 30, 99, 50, 60, 70, 10, 20, 30, 99, 50, 60, 70]);
  });

  it("seasonal naive on a pure weekly cycle has zero-width intervals around the exact values", async () => {
    const cycle = [5, 1, 2, 3, 4, 8, 9];
    const y = Array.from({ length: 28 }, (_, i) => cycle[i % 7]!);
    const forecast = (await seasonalNaiveModel().fit({ ds: days(0, 28), y })).predict(days(28, 10));
    expect(forecast.yhat).toEqual(Array.from({ length: 10 }, (_, i) => cycle[i % 7]!));
    expect(forecast.yhat_lower).toEqual(forecast.yhat);
    expect(forecast.yhat_upper).toEqual(forecast.yhat);
  });

  it("moving average forecasts the mean of the last window values", async () => {
    const model = movingAverageModel(3);
    expect(model.name).toBe("moving_average_3");
    const forecast = (await model.fit({ ds: days(0, 5), y: [1, 3, 2, 5, 4] })).predict(days(5, 3));
    expect(forecast.yhat).toEqual([11 / 3, 11 / 3, 11 / 3]);
    // lead 1 day: errors 5 - 2, 4 - 10/3 → sorted [2/3, 3]: q10 = 2/3 + 0.1·(3 - 2/3), q90 = 2/3 + 0.9·(3 - 2/3).
    expect(forecast.yhat_lower![0]).toBeCloseTo(11 / 3 + 2 / 3 + 0.1 * (7 / 3), 12);
    expect(forecast.yhat_upper![0]).toBeCloseTo(11 / 3 + 2 / 3 + 0.9 * (7 / 3), 12);
    expect(movingAverageModel().name).toBe("moving_average_7");
    await expect(movingAverageModel(7).fit({ ds: days(0, 5), y: [1, 3, 2, 5, 4] })).rejects.toThrow(/needs at least 7/);
  });
});
