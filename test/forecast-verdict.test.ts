import { describe, expect, it } from "vitest";
import type { CrossValidationRow } from "../src/forecast/cross-validation.js";
import { forecastVerdict, windowMapes } from "../src/forecast/verdict.js";

const rows = (cutoff: number, ys: number[], yhats: number[]): CrossValidationRow[] =>
  ys.map((y, i) => ({ ds: new Date(Date.UTC(2020, 0, cutoff + i + 1)), y, yhat: yhats[i]!, cutoff: new Date(Date.UTC(2020, 0, cutoff)) }));

describe("windowMapes and forecastVerdict", () => {
  it("scores each backtest window for both, and says by how much and in how many windows the model beats the baseline", () => {
    const model = [...rows(1, [100, 100], [110, 90]), ...rows(10, [200, 200], [180, 200])];
    const baseline = [...rows(1, [100, 100], [120, 80]), ...rows(10, [200, 200], [200, 200])];
    const windows = windowMapes(model, baseline);
    expect(windows.map((w) => [w.cutoff.toISOString().slice(0, 10), w.model, w.baseline])).toEqual([
      ["2020-01-01", 0.1, 0.2],
      ["2020-01-10", 0.05, 0],
    ]);
    expect(forecastVerdict("auto", "seasonal naive", windows)).toBe(
      '**auto**: mean MAPE 7.5% over 2 rolling windows against seasonal naive\'s 10.0%: 2.5 points better, better in 1 of 2 windows. Trust auto over "same weekday last week", though not window by window.',
    );
    expect(forecastVerdict("prophet", "seasonal naive", windowMapes(baseline, model))).toMatch(/2\.5 points worse \(better in 1 of 2 windows\)\. It does not beat seasonal naive: use seasonal naive\.$/);
  });
});
