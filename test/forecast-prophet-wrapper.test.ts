import { describe, expect, it, vi } from "vitest";
import { DataValidationError } from "../src/io/data-validation-error.js";
import { frequencyOfStep, inferFrequency, makeFutureDates, parseFrequency } from "../src/forecast/future-dates.js";
import {
  changepointGrid,
  decideSeasonalities,
  DEFAULT_PROPHET_CONFIG,
  fitProphet,
  resolveProphetConfig,
  type SeriesInput,
} from "../src/forecast/prophet.js";
import { loadProphetRuntime } from "../src/forecast/prophet-runtime.js";
import { CASES, loadCase } from "./fixtures/prophet/reference-cases.js";

const DAY = 86_400_000;
const iso = (d: Date): string => d.toISOString();

function series(n: number, stepMs: number, f: (i: number) => number | null, start = Date.UTC(2021, 0, 1)): SeriesInput {
  return { ds: Array.from({ length: n }, (_, i) => new Date(start + i * stepMs)), y: Array.from({ length: n }, (_, i) => f(i)) };
}

describe("configuration", () => {
  it("Prophet's defaults, explicit where augurs differs", () => {
    expect(DEFAULT_PROPHET_CONFIG).toEqual({
      growth: "linear",
      nChangepoints: 25,
      changepointRange: 0.8,
      changepointPriorScale: 0.05,
      seasonalityPriorScale: 10,
      holidaysPriorScale: 10,
      seasonalityMode: "additive",
      yearlySeasonality: "auto",
      weeklySeasonality: "auto",
      dailySeasonality: "auto",
      holidays: "none",
      intervalWidth: 0.8,
      uncertaintySamples: 1000,
      iter: 10000,
      seed: 1,
    });
    expect(Object.isFrozen(DEFAULT_PROPHET_CONFIG)).toBe(true);
    expect(resolveProphetConfig({ seasonalityMode: "multiplicative", seed: undefined })).toEqual({ ...DEFAULT_PROPHET_CONFIG, seasonalityMode: "multiplicative" });
  });

  it("rejects bad options with the option's name", () => {
    expect(() => resolveProphetConfig({ nChangepoints: -1 })).toThrow(/nChangepoints/);
    expect(() => resolveProphetConfig({ changepointRange: 1.5 })).toThrow(/changepointRange/);
    expect(() => resolveProphetConfig({ changepointPriorScale: 0 })).toThrow(/changepointPriorScale/);
    expect(() => resolveProphetConfig({ intervalWidth: 1 })).toThrow(/intervalWidth/);
    expect(() => resolveProphetConfig({ yearlySeasonality: 2.5 })).toThrow(/yearlySeasonality/);
    expect(() => resolveProphetConfig({ growth: "logistic" as "linear" })).toThrow(/growth/);
    expect(() => resolveProphetConfig({ holidays: "US" as "BR" })).toThrow(/holidays/);
    expect(() => resolveProphetConfig({ seed: 1.5 })).toThrow(/seed/);
    expect(() => resolveProphetConfig({ nChangepoint: 3 } as never)).toThrow(/unknown Prophet option 'nChangepoint'/);
  });
});

describe("Prophet's setup rules", () => {
  it("auto seasonalities: yearly from 730 days (Prophet's boundary; augurs would want 730.5), weekly below 7-day spacing, daily below 1-day", () => {
    const cfg = resolveProphetConfig();
    const days = (n: number): number[] => Array.from({ length: n }, (_, i) => i * DAY);
    expect(decideSeasonalities(days(731), cfg).map((s) => s.name)).toEqual(["yearly", "weekly"]); // exactly 730 days
    expect(decideSeasonalities(days(730), cfg).map((s) => s.name)).toEqual(["weekly"]);
    expect(decideSeasonalities(days(14), cfg).map((s) => s.name)).toEqual([]);
    expect(decideSeasonalities(days(15), cfg).map((s) => s.name)).toEqual(["weekly"]);
    const monthly = Array.from({ length: 40 }, (_, i) => Date.UTC(2000, i, 1));
    expect(decideSeasonalities(monthly, cfg).map((s) => [s.name, s.fourierOrder])).toEqual([["yearly", 10]]);
    const hourly = Array.from({ length: 72 }, (_, i) => i * 3_600_000);
    expect(decideSeasonalities(hourly, cfg).map((s) => [s.name, s.fourierOrder])).toEqual([["daily", 4]]);
    const manual = resolveProphetConfig({ yearlySeasonality: 5, weeklySeasonality: false, dailySeasonality: true, seasonalityMode: "multiplicative" });
    expect(decideSeasonalities(days(100), manual)).toEqual([
      { name: "yearly", period: 365.25, fourierOrder: 5, mode: "multiplicative" },
      { name: "daily", period: 1, fourierOrder: 4, mode: "multiplicative" },
    ]);
  });

  it("changepoints: R's grid on every reference case, fewer when the history is short", () => {
    for (const name of CASES) {
      const c = loadCase(name);
      const ms = c.history.ds.map((d) => d.getTime()).sort((a, b) => a - b);
      const grid = changepointGrid(ms, 25, 0.8).map((v) => iso(new Date(v)).slice(0, 19).replace("T", " "));
      expect(grid, name).toEqual(c.params.changepoints);
    }
    const ms = Array.from({ length: 20 }, (_, i) => i * DAY);
    expect(changepointGrid(ms, 25, 0.8)).toHaveLength(15); // hist_size 16 → n = 15
    expect(changepointGrid(ms.slice(0, 2), 25, 0.8)).toEqual([]);
    expect(changepointGrid(ms, 0, 0.8)).toEqual([]);
  });
});

describe("future dates", () => {
  it("D, H, 5min and MS after the last date; the frequency is inferred from the history", () => {
    const daily = series(10, DAY, (i) => i).ds;
    expect(inferFrequency(daily)).toBe("D");
    expect(makeFutureDates(daily, 2).map(iso)).toEqual(["2021-01-11T00:00:00.000Z", "2021-01-12T00:00:00.000Z"]);
    expect(makeFutureDates(daily, 2, "H").map(iso)).toEqual(["2021-01-10T01:00:00.000Z", "2021-01-10T02:00:00.000Z"]);
    const fiveMin = series(20, 300_000, (i) => i).ds;
    expect(inferFrequency(fiveMin)).toBe("5min");
    expect(makeFutureDates(fiveMin, 1).map(iso)).toEqual(["2021-01-01T01:40:00.000Z"]);
    expect(inferFrequency(series(30, 3_600_000, (i) => i).ds)).toBe("H");
    const monthly = Array.from({ length: 14 }, (_, i) => new Date(Date.UTC(2015, 11 + i, 1)));
    expect(inferFrequency(monthly)).toBe("MS");
    expect(makeFutureDates(monthly, 3).map(iso)).toEqual(["2017-02-01T00:00:00.000Z", "2017-03-01T00:00:00.000Z", "2017-04-01T00:00:00.000Z"]);
    expect(makeFutureDates([new Date(Date.UTC(2020, 0, 15))], 1, "MS").map(iso)).toEqual(["2020-02-01T00:00:00.000Z"]);
    // Missing days do not change the inferred step; duplicates are ignored; history can be prepended.
    const gappy = [daily[0]!, daily[1]!, daily[1]!, daily[4]!, daily[5]!, daily[6]!];
    expect(inferFrequency(gappy)).toBe("D");
    expect(makeFutureDates(gappy, 1, "D", { includeHistory: true }).map(iso).slice(-2)).toEqual(["2021-01-07T00:00:00.000Z", "2021-01-08T00:00:00.000Z"]);
    expect(makeFutureDates(gappy, 1, "D", { includeHistory: true })).toHaveLength(6);
  });

  it("R's future dates for the reference cases (day and month)", () => {
    for (const name of CASES) {
      const c = loadCase(name);
      const expected = c.forecast.ds.slice(c.forecast.ds.length - c.params.periods).map(iso);
      expect(makeFutureDates(c.history.ds, c.params.periods).map(iso), name).toEqual(expected);
    }
  });

  it("rejects unknown frequencies and bad periods", () => {
    expect(parseFrequency("2H")).toEqual({ kind: "fixed", stepMs: 7_200_000 });
    expect(parseFrequency("MS")).toEqual({ kind: "month-start", months: 1 });
    expect(() => parseFrequency("fortnight")).toThrow(/unknown frequency/);
    expect(() => makeFutureDates([new Date(0)], -1, "D")).toThrow(/periods/);
    expect(() => inferFrequency([new Date(0)])).toThrow(/two distinct dates/);
    expect(frequencyOfStep(90_000)).toBe("90S");
  });
});

describe("fitProphet", () => {
  it("is deterministic: the same fit twice gives identical parameters and forecasts (augurs' hash order does not leak)", async () => {
    const c = loadCase("revenue_mult_log_holidays");
    const a = await fitProphet(c.history, { ...c.config, uncertaintySamples: 200 });
    const b = await fitProphet(c.history, { ...c.config, uncertaintySamples: 200 });
    expect(b.params).toEqual(a.params);
    const ds = [...c.history.ds.slice(-30), ...a.futureDates(10)];
    expect(b.predict(ds)).toEqual(a.predict(ds));
  });

  it("drops missing y like Prophet, keeps all dates for the future; params are plain JSON", async () => {
    const h = series(120, DAY, (i) => (i % 9 === 0 ? null : 10 + 0.05 * i + Math.sin((2 * Math.PI * i) / 7)));
    const fitted = await fitProphet(h, { uncertaintySamples: 100 });
    expect(fitted.seasonalities.map((s) => s.name)).toEqual(["weekly"]);
    expect(fitted.params.changepoints).toHaveLength(25);
    expect(fitted.params.betaNames).toEqual(["weekly_delim_1", "weekly_delim_2", "weekly_delim_3", "weekly_delim_4", "weekly_delim_5", "weekly_delim_6"]);
    const back = JSON.parse(JSON.stringify(fitted.params)) as Record<string, unknown>;
    expect(back["k"]).toBe(fitted.params.k);
    expect(fitted.futureDates(1).map(iso)).toEqual(["2021-05-01T00:00:00.000Z"]);
    const f = fitted.predict([new Date(Date.UTC(2021, 4, 1))]);
    expect(Object.keys(f.components)).toEqual(["weekly"]);
    expect(f.yhat[0]).toBeCloseTo(f.trend[0]! + f.additive_terms[0]!, 9);
    expect(fitted.history.y[0]).toBeNull();
  });

  it("handles Prophet's corner cases: constant y, two rows, flat growth, no changepoints, hourly data", async () => {
    const constant = await fitProphet(series(50, DAY, () => 5), { uncertaintySamples: 50 });
    expect(constant.params.sigmaObs).toBe(1e-9);
    expect(constant.predict(constant.futureDates(2)).yhat.map((v) => Number(v.toFixed(9)))).toEqual([5, 5]);
    const zeros = await fitProphet(series(50, DAY, () => 0), { uncertaintySamples: 50 });
    expect(zeros.predict(zeros.futureDates(1)).yhat[0]).toBe(0);
    const two = await fitProphet(series(2, DAY, (i) => i + 1), { uncertaintySamples: 50 });
    expect(two.predict(two.futureDates(1)).yhat[0]).toBeCloseTo(3, 6);
    const h = series(200, DAY, (i) => 10 + 0.01 * i + Math.sin(i));
    const flat = await fitProphet(h, { growth: "flat", uncertaintySamples: 50 });
    const ft = flat.predict(flat.futureDates(30));
    expect(new Set(ft.trend.map((v) => v.toFixed(12))).size).toBe(1);
    const noCp = await fitProphet(h, { nChangepoints: 0, uncertaintySamples: 50 });
    expect(noCp.params.changepoints).toEqual([]);
    expect(noCp.params.changepointsT).toEqual([0]);
    expect(noCp.params.delta).toEqual([0]);
    const hourly = await fitProphet(series(24 * 21, 3_600_000, (i) => 10 + Math.sin((2 * Math.PI * i) / 24) + 0.3 * Math.sin(i)), { uncertaintySamples: 50 });
    expect(hourly.seasonalities.map((s) => s.name)).toEqual(["weekly", "daily"]);
    expect(hourly.futureDates(1).map(iso)).toEqual(["2021-01-22T00:00:00.000Z"]);
  });

  it("prints nothing, even when Stan's L-BFGS gives up and BFGS takes over", async () => {
    const out = vi.spyOn(process.stdout, "write");
    const err = vi.spyOn(process.stderr, "write");
    try {
      await fitProphet(series(2, DAY, (i) => i + 1), { uncertaintySamples: 10 });
      expect(out).not.toHaveBeenCalled();
      expect(err).not.toHaveBeenCalled();
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });

  it("rejects unusable histories with DataValidationError naming row and column", async () => {
    const bad = async (h: SeriesInput): Promise<DataValidationError> => {
      try {
        await fitProphet(h);
      } catch (e) {
        if (e instanceof DataValidationError) return e;
        throw e;
      }
      throw new Error("expected an error");
    };
    expect((await bad({ ds: [new Date(0)], y: [1, 2] })).problem).toMatch(/ds has 1 values but y has 2/);
    let e = await bad({ ds: [new Date(0), new Date(NaN)], y: [1, 2] });
    expect([e.row, e.column]).toEqual([2, "ds"]);
    e = await bad({ ds: [new Date(0), new Date(DAY)], y: [1, Infinity] });
    expect([e.row, e.column]).toEqual([2, "y"]);
    expect((await bad({ ds: [new Date(0), new Date(DAY)], y: [1, null] })).problem).toMatch(/1 non-missing/);
    expect((await bad({ ds: [new Date(0), new Date(0)], y: [1, 2] })).problem).toMatch(/every date is the same/);
    const fitted = await fitProphet(series(30, DAY, (i) => i), { uncertaintySamples: 10 });
    expect(() => fitted.predict([new Date(NaN)])).toThrow(/ds\[0\]/);
    expect(fitted.predict([]).yhat).toEqual([]);
  });

  it("loads the runtime once and reports the package versions", async () => {
    const a = await loadProphetRuntime();
    const b = await loadProphetRuntime();
    expect(a).toBe(b);
    expect(a.versions).toEqual({ augurs: "0.10.2", wasmstan: "0.2.0" });
  });
});
