import { describe, expect, it } from "vitest";
import { forecastAhead } from "../src/forecast/forecast-ahead.js";
import { fitProphet, type SeriesInput } from "../src/forecast/prophet.js";

const DAY = 86_400_000;
const START = Date.UTC(2022, 0, 3);
const HISTORY: SeriesInput = {
  ds: Array.from({ length: 120 }, (_, i) => new Date(START + i * DAY)),
  y: Array.from({ length: 120 }, (_, i) => (i === 40 ? null : 100 + i + 30 * Math.sin((2 * Math.PI * i) / 7))),
};
const CONFIG = { seasonalityMode: "multiplicative" as const, uncertaintySamples: 200, seed: 3 };

describe("forecastAhead", () => {
  it("fits on log1p(y), predicts history + future dates and maps y-scale columns back with expm1, as the fit → predict → back-transform steps do", async () => {
    const steps: string[] = [];
    const result = await forecastAhead(HISTORY, CONFIG, {
      periods: 7,
      freq: "D",
      log: true,
      runStep: async (name, step) => {
        steps.push(name);
        return step();
      },
    });
    expect(steps).toEqual(["fit Prophet on 120 rows", "predict 127 rows"]);
    expect(result.future.map((d) => d.getTime())).toEqual(Array.from({ length: 7 }, (_, i) => START + (120 + i) * DAY));
    expect(result.fitted.history.y[0]).toBeCloseTo(Math.log1p(HISTORY.y[0]!), 12);
    expect(result.fitted.history.y[40]).toBeNull();

    const manual = await fitProphet({ ds: HISTORY.ds, y: HISTORY.y.map((v) => (v === null ? null : Math.log1p(v))) }, CONFIG);
    const manualForecast = manual.predict([...HISTORY.ds, ...manual.futureDates(7, "D")]);
    expect(result.modelForecast).toEqual(manualForecast);
    expect(result.forecast.yhat).toEqual(manualForecast.yhat.map(Math.expm1));
    expect(result.forecast.yhat_upper).toEqual(manualForecast.yhat_upper.map(Math.expm1));
    expect(result.forecast.components).toEqual(manualForecast.components); // components stay in log space
    expect(result.forecast.ds).toHaveLength(127);
  });

  it("without log the forecast is the model's output, future dates at the history's own spacing", async () => {
    const result = await forecastAhead(HISTORY, CONFIG, { periods: 3 });
    expect(result.forecast).toBe(result.modelForecast);
    expect(result.future.map((d) => d.getTime())).toEqual([120, 121, 122].map((i) => START + i * DAY));
    expect(result.fitted.history.y[0]).toBe(HISTORY.y[0]);
  });
});
