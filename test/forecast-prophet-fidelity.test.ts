import { beforeAll, describe, expect, it } from "vitest";
import { brazilHolidays, expandHolidayWindows } from "../src/forecast/holidays.js";
import { featureColumns, fitProphet, type FittedProphet, type ProphetForecast } from "../src/forecast/prophet.js";
import { mapTrend, simulateIntervals } from "../src/forecast/uncertainty.js";
import { CASES, loadCase, meanWidth, range, type CaseName, type ReferenceCase } from "./fixtures/prophet/reference-cases.js";

/**
 * Fidelity to R Prophet 1.0 on the shared reference cases (test/fixtures/prophet, see its README): each case
 * is fitted with its settings and predicted on the dates R predicted (history + future).
 *
 * Tolerances: yhat, trend and every component within 0.5% of the series' range (max y − min y of the
 * fitted series) at every row; a multiplicative component c (relative) is compared by its contribution to
 * yhat, |c_ours − c_R| · |trend_R|. Mean interval width within 3% of R's (both are 1000-path simulations
 * with different random generators, so the bounds are compared on average, not row by row).
 *
 * What limits the agreement: Prophet's posterior is flat along some directions (the base rate k against
 * the early changepoint deltas, sigma against small deltas), and Stan's L-BFGS stops where the relative
 * gradient falls below its tolerance, which depends on the path. Started from R's parameters, the same
 * Stan model returns R's values; run to much tighter tolerances, both R's and our default answers are
 * 0.1-0.9% of the range from the tighter optimum. The numbers printed below show the gap per case.
 */

const YHAT_TOLERANCE = 0.005;
const WIDTH_TOLERANCE = 0.03;

interface Fitted {
  c: ReferenceCase;
  fitted: FittedProphet;
  forecast: ProphetForecast;
  seriesRange: number;
  fitSeconds: number;
  predictSeconds: number;
}

const fits = new Map<CaseName, Fitted>();

function ourColumn(f: ProphetForecast, name: string): number[] | undefined {
  if (name === "trend") return f.trend;
  if (name === "yhat") return f.yhat;
  if (name === "additive_terms") return f.additive_terms;
  if (name === "multiplicative_terms") return f.multiplicative_terms;
  return f.components[name];
}

const fmt = (x: number, digits = 6): string => (Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(3) : x.toFixed(digits));

describe.each(CASES)("R Prophet 1.0 reference: %s", (name) => {
  beforeAll(async () => {
    const c = loadCase(name);
    const t0 = performance.now();
    const fitted = await fitProphet(c.history, c.config);
    const t1 = performance.now();
    const forecast = fitted.predict(c.forecast.ds);
    const t2 = performance.now();
    const ys = c.history.y.filter((v): v is number => v !== null);
    fits.set(name, { c, fitted, forecast, seriesRange: range(ys), fitSeconds: (t1 - t0) / 1000, predictSeconds: (t2 - t1) / 1000 });
  }, 120_000);

  it("uses R's scales, changepoints, seasonalities and feature columns", () => {
    const { c, fitted } = fits.get(name)!;
    const p = fitted.params;
    expect(p.yScale).toBeCloseTo(c.params.y_scale, 9);
    expect(p.tScaleSeconds).toBe(c.params.t_scale_seconds);
    expect(p.start.toISOString().slice(0, 19).replace("T", " ")).toBe(c.params.start);
    expect(p.changepoints.map((d) => d.toISOString().slice(0, 19).replace("T", " "))).toEqual(c.params.changepoints);
    p.changepointsT.forEach((t, j) => expect(t).toBeCloseTo(c.params.changepoints_t[j]!, 12));
    expect(fitted.seasonalities).toEqual(c.params.seasonalities.map((s) => ({ name: s.name, period: s.period, fourierOrder: s.fourier_order, mode: s.mode })));
    // Prophet's column names, in Prophet's order (the optimiser sees this order; see fitted-params.ts).
    expect(p.betaNames).toEqual(c.params.beta_names);
    expect(p.beta).toHaveLength(c.params.beta.length);
    expect(p.delta).toHaveLength(c.params.delta.length);
  });

  it("yhat, trend and each component within 0.5% of the series' range at every row", () => {
    const { c, fitted, forecast, seriesRange, fitSeconds, predictSeconds } = fits.get(name)!;
    const R = c.forecast.columns;
    const multiplicative = c.params.seasonality_mode === "multiplicative";
    const lines: string[] = [];
    const failures: string[] = [];
    for (const column of Object.keys(R)) {
      if (column === "yhat_lower" || column === "yhat_upper") continue;
      const ours = ourColumn(forecast, column);
      expect(ours, `our forecast has column ${column}`).toBeDefined();
      const relative = multiplicative && !["trend", "yhat", "additive_terms"].includes(column);
      let worst = 0;
      let worstRow = 0;
      let worstRaw = 0;
      for (let i = 0; i < ours!.length; i++) {
        const raw = Math.abs(ours![i]! - R[column]![i]!);
        const err = relative ? raw * Math.abs(R["trend"]![i]!) : raw;
        if (err > worst) {
          worst = err;
          worstRow = i;
        }
        worstRaw = Math.max(worstRaw, raw);
      }
      const share = worst / seriesRange;
      lines.push(
        `  ${column.padEnd(22)} max |ours − R| / range = ${(share * 100).toFixed(3)}%` +
          (relative ? `  (relative units: max ${fmt(worstRaw)})` : "") +
          `  worst at ${c.forecast.ds[worstRow]!.toISOString().slice(0, 10)}`,
      );
      if (!(share <= YHAT_TOLERANCE)) failures.push(`${column}: ${(share * 100).toFixed(3)}%`);
    }
    const ourWidth = meanWidth(forecast.yhat_lower, forecast.yhat_upper);
    const rWidth = meanWidth(R["yhat_lower"]!, R["yhat_upper"]!);
    lines.push(`  interval width (mean yhat_upper − yhat_lower): ours ${fmt(ourWidth)}  R ${fmt(rWidth)}  ratio ${(ourWidth / rWidth).toFixed(4)}`);

    const p = fitted.params;
    const rp = c.params;
    const absSum = (xs: readonly number[]): number => xs.reduce((a, b) => a + Math.abs(b), 0);
    const rows: [string, number, number][] = [
      ["k", p.k, rp.k],
      ["m", p.m, rp.m],
      ["sigma_obs", p.sigmaObs, rp.sigma_obs],
      ["sum |delta|", absSum(p.delta), absSum(rp.delta)],
    ];
    const names = p.betaNames ?? [];
    const shown = [...names.slice(0, 3), ...names.filter((n) => n.includes("_delim_+")).slice(0, 3)];
    for (const n of shown) rows.push([`beta ${n}`, p.beta[names.indexOf(n)]!, rp.beta_by_name[n]!]);
    // In-sample fit on the fitted rows (R's in_sample_rmse is on the same rows).
    const hist = c.history;
    const index = new Map(c.forecast.ds.map((d, i) => [d.getTime(), i]));
    let sse = 0;
    let count = 0;
    hist.ds.forEach((d, i) => {
      const y = hist.y[i];
      if (y === null || y === undefined) return;
      sse += (y - forecast.yhat[index.get(d.getTime())!]!) ** 2;
      count++;
    });
    rows.push(["in-sample rmse", Math.sqrt(sse / count), (rp as unknown as { in_sample_rmse: number }).in_sample_rmse]);
    console.log(
      [
        `${name}: ${c.history.ds.length} rows, ${c.params.seasonality_mode}, holidays ${c.params.holidays}${c.params.log ? ", log1p" : ""}; fit ${fitSeconds.toFixed(2)} s, predict ${predictSeconds.toFixed(2)} s (${forecast.ds.length} rows, ${fitted.config.uncertaintySamples} paths)`,
        ...lines,
        `  ${"parameter".padEnd(40)} ${"ours".padStart(14)} ${"R".padStart(14)}`,
        ...rows.map(([label, ours, r]) => `  ${label.padEnd(40)} ${fmt(ours).padStart(14)} ${fmt(r).padStart(14)}`),
      ].join("\n"),
    );
    expect(failures, failures.join("; ")).toEqual([]);
  });

  it("mean interval width within 3% of R's", () => {
    const { c, forecast } = fits.get(name)!;
    const R = c.forecast.columns;
    const ratio = meanWidth(forecast.yhat_lower, forecast.yhat_upper) / meanWidth(R["yhat_lower"]!, R["yhat_upper"]!);
    expect(Math.abs(ratio - 1)).toBeLessThanOrEqual(WIDTH_TOLERANCE);
    // The future rows alone (trend uncertainty grows there) are within 3% too.
    const nFuture = c.params.periods;
    const from = forecast.ds.length - nFuture;
    const future = meanWidth(forecast.yhat_lower.slice(from), forecast.yhat_upper.slice(from)) / meanWidth(R["yhat_lower"]!.slice(from), R["yhat_upper"]!.slice(from));
    console.log(`${name}: future-row width ratio ours/R ${future.toFixed(4)} (${nFuture} rows)`);
    expect(Math.abs(future - 1)).toBeLessThanOrEqual(WIDTH_TOLERANCE * 2);
  });

  it("at R's own parameters, our features, trend and simulation reproduce R's forecast (the model code is Prophet's)", () => {
    const { c, fitted, seriesRange } = fits.get(name)!;
    const rp = c.params;
    const ms = c.forecast.ds.map((d) => d.getTime());
    const t = ms.map((v) => (v - Date.parse(`${rp.start.replace(" ", "T")}Z`)) / 1000 / rp.t_scale_seconds);
    const rParams = { k: rp.k, m: rp.m, delta: rp.delta, changepointsT: rp.changepoints_t, sigmaObs: rp.sigma_obs, yScale: rp.y_scale };
    const trend = mapTrend(t, rParams, "linear");
    const holidays = rp.holidays === "BR" ? expandHolidayWindows(brazilHolidays("BR", 2016, 2018)) : [];
    const features = featureColumns(ms, fitted.seasonalities, holidays);
    expect([...features.keys()]).toEqual(rp.beta_names);
    const multiplicative = rp.seasonality_mode === "multiplicative";
    const component = (select: (feature: string) => boolean): number[] =>
      ms.map((_, i) => {
        let sum = 0;
        for (const [feature, column] of features) if (select(feature)) sum += column[i]! * rp.beta_by_name[feature]!;
        return multiplicative ? sum : sum * rp.y_scale;
      });
    const seasonal = new Set(fitted.seasonalities.map((s) => s.name));
    const ours: Record<string, number[]> = { trend };
    for (const s of seasonal) ours[s] = component((f) => f.startsWith(`${s}_delim_`));
    if (holidays.length > 0) ours["holidays"] = component((f) => !seasonal.has(f.slice(0, f.indexOf("_delim_"))));
    const all = component(() => true);
    const zeros = ms.map(() => 0);
    ours["additive_terms"] = multiplicative ? zeros : all;
    ours["multiplicative_terms"] = multiplicative ? all : zeros;
    ours["yhat"] = trend.map((tr, i) => tr * (1 + ours["multiplicative_terms"]![i]!) + ours["additive_terms"]![i]!);
    const R = c.forecast.columns;
    for (const column of Object.keys(ours)) {
      let worst = 0;
      for (let i = 0; i < ms.length; i++) {
        const raw = Math.abs(ours[column]![i]! - R[column]![i]!);
        worst = Math.max(worst, multiplicative && !["trend", "yhat", "additive_terms"].includes(column) ? raw * Math.abs(R["trend"]![i]!) : raw);
      }
      expect(worst / seriesRange, column).toBeLessThan(1e-6);
    }
    const sim = simulateIntervals({
      t,
      additiveTerms: ours["additive_terms"]!,
      multiplicativeTerms: ours["multiplicative_terms"]!,
      params: rParams,
      growth: "linear",
      intervalWidth: rp.interval_width,
      samples: rp.uncertainty_samples,
      seed: 1,
    });
    const ratio = meanWidth(sim.yhat_lower, sim.yhat_upper) / meanWidth(R["yhat_lower"]!, R["yhat_upper"]!);
    console.log(`${name}: at R's parameters, our simulated interval width / R's = ${ratio.toFixed(4)}`);
    expect(Math.abs(ratio - 1)).toBeLessThanOrEqual(WIDTH_TOLERANCE);
  });
});
