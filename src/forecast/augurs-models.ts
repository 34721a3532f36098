/**
 * AutoETS and MSTL from augurs (`@bsull/augurs/ets`, `@bsull/augurs/mstl`, Rust compiled to
 * WebAssembly) as ForecastModels.
 *
 * Both need a regular series without gaps: the history is laid on its own grid (the most common step
 * between dates) from its first to its last date, and missing values (null y, or dates absent from the
 * grid) are filled by linear interpolation between the nearest observations (the first and last
 * observed values outwards). A forecast date after the history is h steps ahead on that grid;
 * MSTL also answers history dates (its in-sample fit); AutoETS has no in-sample output, so its history
 * dates get NaN. Intervals are augurs' own at the requested width (default 0.8, as Prophet's).
 *
 * augurs' AutoETS fits non-seasonal models only (error/trend/damping chosen by AICc); MSTL removes
 * the seasonal periods (default: weekly for daily data) and forecasts the rest with AutoETS.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { FittedForecastModel, ForecastModel, PointForecast, SeriesHistory } from "./cross-validation.js";

interface AugursForecast {
  point: number[];
  intervals?: { lower: number[]; upper: number[] };
}
interface AugursModel {
  fit(y: number[] | Float64Array): void;
  predict(horizon: number, level?: number | null): AugursForecast;
  predictInSample?(level?: number | null): AugursForecast;
  free(): void;
}
interface AugursRuntime {
  autoEts(seasonLength: number): AugursModel;
  mstl(periods: number[]): AugursModel;
}

let loading: Promise<AugursRuntime> | undefined;

/** Loads the two wasm modules once per process (from the installed package's files, as prophet-runtime does). */
export function augursRuntime(): Promise<AugursRuntime> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve("@bsull/augurs/ets"));
    const ets = await import("@bsull/augurs/ets");
    await ets.default({ module_or_path: readFileSync(join(dir, "ets_bg.wasm")) });
    const mstl = await import("@bsull/augurs/mstl");
    await mstl.default({ module_or_path: readFileSync(join(dir, "mstl_bg.wasm")) });
    return {
      autoEts: (seasonLength) => new ets.AutoETS(seasonLength, "ZZZ") as unknown as AugursModel,
      mstl: (periods) => mstl.MSTL.ets(periods) as unknown as AugursModel,
    };
  })();
  return loading;
}

/** The history on a regular grid (its most common step), gaps and nulls linearly interpolated. */
export function regularGrid(history: SeriesHistory, model: string): { start: number; step: number; values: Float64Array } {
  const points = history.ds.map((d, i) => ({ t: d.getTime(), y: history.y[i] })).filter((p): p is { t: number; y: number } => p.y !== null && p.y !== undefined && Number.isFinite(p.y));
  points.sort((a, b) => a.t - b.t);
  if (points.length < 2) throw new RangeError(`${model}: needs at least two observed values`);
  const steps = new Map<number, number>();
  const times = [...new Set(history.ds.map((d) => d.getTime()))].sort((a, b) => a - b);
  for (let i = 1; i < times.length; i++) steps.set(times[i]! - times[i - 1]!, (steps.get(times[i]! - times[i - 1]!) ?? 0) + 1);
  const step = [...steps.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
  const start = times[0]!;
  const length = Math.round((times[times.length - 1]! - start) / step) + 1;
  const values = new Float64Array(length);
  let k = 0; // the last observation at or before grid point i
  for (let i = 0; i < length; i++) {
    const t = start + i * step;
    while (k + 1 < points.length && points[k + 1]!.t <= t) k++;
    const before = points[k]!;
    const after = points[Math.min(k + 1, points.length - 1)]!;
    if (t <= before.t || after.t === before.t) values[i] = before.y;
    else if (t >= after.t) values[i] = after.y;
    else values[i] = before.y + ((after.y - before.y) * (t - before.t)) / (after.t - before.t);
  }
  return { start, step, values };
}

function augursModel(name: string, make: (runtime: AugursRuntime) => AugursModel, intervalWidth: number): ForecastModel {
  return {
    name,
    async fit(history: SeriesHistory): Promise<FittedForecastModel> {
      const runtime = await augursRuntime();
      const { start, step, values } = regularGrid(history, name);
      const model = make(runtime);
      try {
        model.fit(values);
      } catch (error) {
        model.free();
        throw new Error(`${name}: augurs could not fit the series (${String((error as Error)?.message ?? error)})`);
      }
      const last = start + (values.length - 1) * step;
      const inSample = model.predictInSample?.(intervalWidth);
      const cache = new Map<number, AugursForecast>();
      return {
        predict(ds: readonly Date[]): PointForecast {
          const leads = ds.map((d) => Math.round((d.getTime() - last) / step));
          const horizon = Math.max(0, ...leads);
          let ahead = cache.get(horizon);
          if (ahead === undefined && horizon > 0) cache.set(horizon, (ahead = model.predict(horizon, intervalWidth)));
          const pick = (lead: number, of: (f: AugursForecast, i: number) => number | undefined): number => {
            if (lead > 0) return of(ahead!, lead - 1) ?? Number.NaN;
            const i = values.length - 1 + lead;
            return inSample && i >= 0 ? (of(inSample, i) ?? Number.NaN) : Number.NaN;
          };
          return {
            ds: [...ds],
            yhat: leads.map((lead) => pick(lead, (f, i) => f.point[i])),
            yhat_lower: leads.map((lead) => pick(lead, (f, i) => f.intervals?.lower[i])),
            yhat_upper: leads.map((lead) => pick(lead, (f, i) => f.intervals?.upper[i])),
          };
        },
      };
    },
  };
}

/** augurs' AutoETS (non-seasonal ETS, the model chosen by AICc). */
export function etsModel(intervalWidth = 0.8): ForecastModel {
  return augursModel("ets", (r) => r.autoEts(1), intervalWidth);
}

/** augurs' MSTL: seasonal periods (in steps; default weekly for daily data) removed, the rest forecast by AutoETS. */
export function mstlModel(periods: readonly number[] = [7], intervalWidth = 0.8): ForecastModel {
  return augursModel("mstl", (r) => r.mstl([...periods]), intervalWidth);
}
