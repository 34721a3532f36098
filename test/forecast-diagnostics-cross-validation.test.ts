import { describe, expect, it } from "vitest";
import { naiveModel, seasonalNaiveModel } from "../src/forecast/baselines.js";
import {
  crossValidation,
  generateCutoffs,
  seedProtocolSplit,
  type ForecastModel,
  type SeriesHistory,
} from "../src/forecast/cross-validation.js";
import { mae } from "../src/forecast/metrics.js";
import { summaryMetrics } from "../src/forecast/performance-metrics.js";

const DAY = 86_400_000;
const START = Date.UTC(2020, 0, 1);
const day = (i: number) => new Date(START + i * DAY);
const dayIndex = (d: Date) => (d.getTime() - START) / DAY;
const series = (indices: readonly number[], value: (i: number) => number | null = (i) => i): SeriesHistory => ({
  ds: indices.map(day),
  y: indices.map(value),
});
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);

/** A model that records what it was fitted on and asked for, and forecasts 0. */
function recordingModel(): ForecastModel & { fits: number[][]; predicts: number[][] } {
  const fits: number[][] = [];
  const predicts: number[][] = [];
  return {
    name: "recorder",
    fits,
    predicts,
    async fit(history) {
      fits.push(history.ds.map(dayIndex));
      return {
        predict(ds) {
          predicts.push(ds.map(dayIndex));
          return { ds: [...ds], yhat: ds.map(() => 0) };
        },
      };
    },
  };
}

describe("generateCutoffs (Prophet's rule)", () => {
  it("100 days, horizon 10, period 5, initial 30 → days 34, 39, …, 89 (as R Prophet 1.0 gives)", () => {
    const cutoffs = generateCutoffs(range(0, 99).map(day), { horizonDays: 10, periodDays: 5, initialDays: 30 });
    expect(cutoffs.map(dayIndex)).toEqual([34, 39, 44, 49, 54, 59, 64, 69, 74, 79, 84, 89]);
  });

  it("jumps back over a gap: a cutoff whose horizon holds no data moves to the last date before it minus the horizon", () => {
    // Days 0..59 and 80..99; R Prophet 1.0 gives the same list.
    const ds = [...range(0, 59), ...range(80, 99)].map(day);
    const cutoffs = generateCutoffs(ds, { horizonDays: 10, periodDays: 5, initialDays: 20 });
    expect(cutoffs.map(dayIndex)).toEqual([24, 29, 34, 39, 44, 49, 74, 79, 84, 89]);
  });

  it("says when the data are shorter than the horizon or than horizon + initial", () => {
    expect(() => generateCutoffs(range(0, 9).map(day), { horizonDays: 10, periodDays: 5, initialDays: 0 })).toThrow(
      /less data than the horizon: the series spans 9 days \(2020-01-01 to 2020-01-10\)/,
    );
    expect(() => generateCutoffs(range(0, 39).map(day), { horizonDays: 10, periodDays: 5, initialDays: 30 })).toThrow(
      /less data than horizon \+ initial: .* 30 days of history before it and 10 days after it/,
    );
    expect(generateCutoffs(range(0, 40).map(day), { horizonDays: 10, periodDays: 5, initialDays: 30 }).map(dayIndex)).toEqual([30]);
  });
});

describe("crossValidation", () => {
  it("fits on ds ≤ cutoff, predicts the observed dates in (cutoff, cutoff + horizon], uses default period and initial", async () => {
    const model = recordingModel();
    // 40 days, day 35 missing: horizon 4 → period 2, initial 12; cutoffs 13, 15, …, 35.
    const rows = await crossValidation(series(range(0, 39), (i) => (i === 35 ? null : i)), model, { horizonDays: 4 });
    const cutoffs = [...new Set(rows.map((r) => dayIndex(r.cutoff)))];
    expect(cutoffs).toEqual([13, 15, 17, 19, 21, 23, 25, 27, 29, 31, 33, 35]);
    expect(model.fits[0]).toEqual(range(0, 13));
    expect(model.fits[11]).toEqual(range(0, 35)); // the missing day is fitted on (as null)
    expect(model.predicts[0]).toEqual([14, 15, 16, 17]);
    expect(model.predicts[10]).toEqual([34, 36, 37]); // the missing day 35 is not a target
    expect(rows.find((r) => dayIndex(r.cutoff) === 13)).toEqual({ ds: day(14), y: 14, yhat: 0, cutoff: day(13) });
    expect(rows.some((r) => dayIndex(r.ds) === 35)).toBe(false);
  });

  it("seasonal naive is exact on a pure weekly cycle (mae 0, coverage 1), naive is not", async () => {
    const cycle = [120, 80, 95, 100, 110, 150, 60];
    const history = series(range(0, 69), (i) => cycle[i % 7]!);
    const rows = await crossValidation(history, seasonalNaiveModel(7), { horizonDays: 14 });
    // last day 69: cutoffs 55 and 48 (41 < 0 + initial 42)
    expect([...new Set(rows.map((r) => dayIndex(r.cutoff)))]).toEqual([48, 55]);
    expect(rows).toHaveLength(28);
    expect(mae(rows.map((r) => r.y), rows.map((r) => r.yhat))).toBe(0);
    expect(summaryMetrics(rows)).toMatchObject({ mae: 0, rmse: 0, mape: 0, smape: 0, coverage: 1 });
    const naive = await crossValidation(history, naiveModel(), { horizonDays: 14 });
    expect(summaryMetrics(naive).mae).toBeGreaterThan(20);
  });

  it("naive on y = day index errs by exactly the horizon", async () => {
    const rows = await crossValidation(series(range(0, 29)), naiveModel(), { horizonDays: 5, periodDays: 5, initialDays: 10 });
    for (const row of rows) expect(row.y - row.yhat).toBe(dayIndex(row.ds) - dayIndex(row.cutoff));
    expect(rows[0]).toHaveProperty("yhat_lower");
  });

  it("takes given cutoffs and checks them", async () => {
    const model = recordingModel();
    const rows = await crossValidation(series(range(0, 19)), model, { horizonDays: 3, cutoffs: [day(12), day(5)] });
    expect(model.fits.map((f) => f.length)).toEqual([6, 13]);
    expect(rows.map((r) => dayIndex(r.ds))).toEqual([6, 7, 8, 13, 14, 15]);
    await expect(crossValidation(series(range(0, 19)), model, { horizonDays: 3, cutoffs: [day(0)] })).rejects.toThrow(
      /cutoff 2020-01-01 is not after the first observed date 2020-01-01/,
    );
    await expect(crossValidation(series(range(0, 19)), model, { horizonDays: 3, cutoffs: [day(17)] })).rejects.toThrow(
      /cutoff 2020-01-18 is later than the last observed date minus the horizon \(2020-01-20 - 3 days = 2020-01-17\)/,
    );
  });

  it("explains too little history", async () => {
    const model = recordingModel();
    await expect(crossValidation(series([0]), model, { horizonDays: 1 })).rejects.toThrow(/1 observed values; it needs at least 2/);
    await expect(crossValidation(series(range(0, 9)), model, { horizonDays: 5 })).rejects.toThrow(/less data than horizon \+ initial/);
    await expect(
      crossValidation(series(range(0, 9), (i) => (i >= 1 && i <= 4 ? null : i)), model, { horizonDays: 2, cutoffs: [day(4)] }),
    ).rejects.toThrow(/cutoff 2020-01-05 has 1 observed value\(s\) at or before it; a fit needs at least 2/);
    await expect(crossValidation(series(range(0, 9)), model, { horizonDays: 0 })).rejects.toThrow(/horizonDays must be a positive/);
  });

  it("rejects a model whose forecast does not match the requested dates", async () => {
    const short: ForecastModel = {
      name: "short",
      async fit() {
        return { predict: (ds) => ({ ds: [...ds], yhat: [1] }) };
      },
    };
    await expect(crossValidation(series(range(0, 29)), short, { horizonDays: 5 })).rejects.toThrow(
      // period = horizon / 2 = 2.5 days: the first cutoff is day 16.5 (the latest of 24 - 2.5k that is ≥ day 15)
      /model 'short' at cutoff 2020-01-17T12:00:00.000Z: predict returned 1 values of yhat for 5 requested dates/,
    );
  });
});

describe("seedProtocolSplit", () => {
  it("tests on the final horizon and trains on the trainDays before it", async () => {
    const history = series(range(0, 99), (i) => (i === 95 ? null : i));
    const split = seedProtocolSplit(history, 30, 10);
    expect(dayIndex(split.cutoff)).toBe(89);
    expect(split.train.ds.map(dayIndex)).toEqual(range(60, 89));
    expect(split.test.ds.map(dayIndex)).toEqual([90, 91, 92, 93, 94, 96, 97, 98, 99]);
    expect(split.test.y).toEqual([90, 91, 92, 93, 94, 96, 97, 98, 99]);
    const model = recordingModel();
    const rows = await crossValidation(split.history, model, { horizonDays: 10, cutoffs: [split.cutoff] });
    expect(model.fits).toEqual([range(60, 89)]);
    expect(rows.map((r) => r.y)).toEqual(split.test.y);
  });

  it("ends the test window at the last observed day and checks the windows", () => {
    const split = seedProtocolSplit(series(range(0, 20), (i) => (i > 18 ? null : i)), 5, 2);
    expect(dayIndex(split.cutoff)).toBe(16);
    expect(split.test.ds.map(dayIndex)).toEqual([17, 18]);
    expect(() => seedProtocolSplit(series(range(0, 10)), 1, 2)).toThrow(/the 1 training days before 2020-01-09 hold 1 observed value/);
  });
});
