/**
 * Prophet's fitted parameters, captured from the optimiser.
 *
 * augurs does not expose the MAP estimate, but it hands the Stan data and the initial values to an
 * optimiser object `{ optimize(init, data, opts) }` of our choosing. Wrapping Stan's optimiser lets us keep
 * what went in (the data, as Prophet's Stan model sees it) and what came out (k, m, delta, beta, sigma_obs).
 *
 * Everything is in Prophet's scaled space (as in `forecaster.py` and the reference `params.json`):
 *   t = (ds - start) / t_scale ∈ [0, 1] over the history,   y_scaled = y / y_scale (y_scale = max |y|),
 *   trend(t) = (k + Σ_{s_j ≤ t} δ_j) t + (m - Σ_{s_j ≤ t} δ_j s_j),
 *   y_scaled ~ Normal(trend(t) · (1 + X β_m) + X β_a, sigma_obs).
 */
import type { ProphetOptimizer } from "./prophet-runtime.js";

/** Prophet's MAP parameters and the scales that give them meaning (see the module comment). */
export interface FittedParams {
  /** Base growth rate. */
  k: number;
  /** Offset. */
  m: number;
  /** Rate changes at the changepoints (length = changepointsT.length). */
  delta: number[];
  /** Coefficients of the feature columns (seasonality Fourier terms, holiday indicators). */
  beta: number[];
  /** Observation noise, in scaled units (multiply by yScale for units of y). */
  sigmaObs: number;
  /** Potential changepoints as dates (empty when none were used). */
  changepoints: Date[];
  /** Changepoints in scaled time; Prophet's dummy `[0]` when there are none. */
  changepointsT: number[];
  yScale: number;
  /** First history date (t = 0). */
  start: Date;
  /** Seconds from the first to the last history date (t = 1 at the last). */
  tScaleSeconds: number;
  /** Prophet's feature column name of each beta (`weekly_delim_1`, `Christmas_delim_+0`, ...). */
  betaNames?: string[];
}

/** The Stan data of Prophet's model (`prophet.stan`), as augurs serialises it. */
export interface StanData {
  T: number;
  K: number;
  S: number;
  y: number[];
  t: number[];
  cap: number[];
  t_change: number[];
  trend_indicator: number;
  s_a: number[];
  s_m: number[];
  /** T rows of K features. */
  X: number[][];
  sigmas: number[];
  tau: number;
}

/** One call of the optimiser: its inputs and the MAP estimate it returned (columns in Prophet's order when named). */
export interface OptimizerCall {
  readonly data: StanData;
  readonly init: { k: number; m: number; delta: number[]; beta: number[]; sigmaObs: number };
  readonly opts: Record<string, unknown>;
  readonly params: { k: number; m: number; delta: number[]; beta: number[]; sigmaObs: number };
  /** Feature column name of each beta, when the columns could be named (see CaptureOptions.features). */
  readonly betaNames: string[] | undefined;
  /** Stan's log lines (info level), e.g. the convergence reason. */
  readonly log: string;
}

export interface CapturingOptimizer {
  /** Hand this to augurs' `Prophet` as `optimizer`. */
  readonly optimizer: ProphetOptimizer;
  /** Every call so far, oldest first. */
  readonly calls: readonly OptimizerCall[];
  /** The most recent call; throws if the optimiser was never called. */
  last(): OptimizerCall;
}

export interface CaptureOptions {
  /**
   * The feature columns the model should have, by Prophet's column name, in Prophet's order
   * (seasonalities yearly, weekly, daily, then holiday columns sorted by name). When given, Stan's X
   * columns are named by matching (nameFeatureColumns) and the optimiser is run with the columns in this
   * order; the betas are put back in augurs' order for augurs.
   *
   * Why: augurs orders the feature columns by a Rust HashMap whose hash keys change with every map the
   * process creates, so the same fit twice in one process hands Stan differently ordered columns. L-BFGS
   * is order-independent only in exact arithmetic; on Prophet's flat ridges (k against the early deltas)
   * the rounding differences move the stopping point (k of the revenue case varied by 2%). A fixed order
   * makes the fit a function of the data and the options alone.
   */
  readonly features?: ReadonlyMap<string, ArrayLike<number>>;
}

function toNumbers(values: ArrayLike<number> | undefined): number[] {
  return values === undefined ? [] : Array.from(values);
}

type OptimizeArgs = Parameters<ProphetOptimizer["optimize"]>;
type OptimizeResult = ReturnType<ProphetOptimizer["optimize"]>;

function permuted<T>(values: readonly T[], order: readonly number[]): T[] {
  return order.map((j) => values[j]!);
}

/** Wraps an optimiser so that each call's data, initial values and result are kept (and columns put in a fixed order). */
export function captureOptimizer(inner: ProphetOptimizer, options: CaptureOptions = {}): CapturingOptimizer {
  const calls: OptimizerCall[] = [];
  const optimizer: ProphetOptimizer = {
    optimize(init: OptimizeArgs[0], data: OptimizeArgs[1], opts: OptimizeArgs[2]): OptimizeResult {
      const augursData = (typeof data === "string" ? JSON.parse(data) : data) as StanData;
      const names = options.features ? nameFeatureColumns(augursData.X, options.features) : undefined;
      // order[c] = augurs' column index of the c-th column in Prophet's order.
      let order: number[] | undefined;
      let betaNames: string[] | undefined;
      if (names !== undefined && options.features !== undefined) {
        const canonical = [...options.features.keys()].filter((n) => names.includes(n));
        order = canonical.map((n) => names.indexOf(n));
        betaNames = canonical;
      }
      let stanData = augursData;
      let stanInit = init;
      if (order !== undefined) {
        const o = order;
        stanData = {
          ...augursData,
          X: augursData.X.map((row) => permuted(row, o)),
          sigmas: permuted(augursData.sigmas, o),
          s_a: permuted(augursData.s_a, o),
          s_m: permuted(augursData.s_m, o),
        };
        stanInit = { ...init, beta: Float64Array.from(permuted(toNumbers(init.beta), o)) };
      }
      const output = constantSeries(stanData)
        ? prophetConstantFit(stanInit, stanData)
        : quietly(() => inner.optimize(stanInit, order === undefined ? data : JSON.stringify(stanData), opts));
      const p = output.params;
      const beta = toNumbers(p.beta);
      calls.push({
        data: stanData,
        init: { k: stanInit.k, m: stanInit.m, delta: toNumbers(stanInit.delta), beta: toNumbers(stanInit.beta), sigmaObs: stanInit.sigmaObs },
        opts: { ...(opts as object) },
        params: { k: p.k, m: p.m, delta: toNumbers(p.delta), beta, sigmaObs: p.sigmaObs },
        betaNames,
        log: [output.logs?.info ?? "", output.logs?.warn ?? "", output.logs?.error ?? "", (output as { printed?: string }).printed ?? ""].filter((x) => x !== "").join("\n"),
      });
      if (order === undefined) return output;
      const augursBeta = new Float64Array(beta.length);
      order.forEach((augursIndex, c) => (augursBeta[augursIndex] = beta[c]!));
      return { ...output, params: { ...p, beta: augursBeta } };
    },
  };
  return {
    optimizer,
    calls,
    last() {
      const call = calls[calls.length - 1];
      if (call === undefined) throw new Error("the Prophet optimiser was not called (was the model fitted?)");
      return call;
    },
  };
}

/**
 * Prophet skips Stan when y is constant (and growth is linear or flat): the parameters are the initial
 * values (flat line through the data) with sigma_obs = 1e-9 (forecaster.py `fit`). Stan cannot fit such
 * data (sigma_obs → 0; an all-zero series traps the wasm build), so we do the same.
 */
function constantSeries(data: StanData): boolean {
  if (data.trend_indicator !== 0 && data.trend_indicator !== 2) return false;
  return data.y.every((v) => v === data.y[0]);
}

function prophetConstantFit(init: OptimizeArgs[0], data: StanData): OptimizeResult {
  const trend = Float64Array.from(data.t, (t) => init.k * t + init.m);
  const logs = { debug: "", info: "y is constant: Prophet's initial values, sigma_obs = 1e-9 (no optimisation)", warn: "", error: "", fatal: "" };
  return { logs, params: { k: init.k, m: init.m, delta: Float64Array.from(init.delta), beta: Float64Array.from(init.beta), sigmaObs: 1e-9, trend } } as OptimizeResult;
}

/**
 * Runs a synchronous call with process.stdout/stderr writes captured: Stan in WebAssembly prints through
 * WASI (e.g. "optimization failed: 70" before augurs reports the error), and models here print nothing.
 * What was printed is attached to the result as `printed` (kept in the call's log).
 */
function quietly(run: () => OptimizeResult): OptimizeResult {
  if (typeof process === "undefined" || !process.stdout || !process.stderr) return run();
  const printed: string[] = [];
  const out = process.stdout.write;
  const err = process.stderr.write;
  const collect = ((chunk: unknown): boolean => {
    printed.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"));
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = collect;
  process.stderr.write = collect;
  try {
    const result = run();
    return printed.length > 0 ? Object.assign(result, { printed: printed.join("") }) : result;
  } catch (error) {
    if (printed.length > 0 && error instanceof Error) error.message += ` (Stan printed: ${printed.join("").trim()})`;
    throw error;
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** The scales Prophet derives from the history (`initialize_scales`), computed by the wrapper. */
export interface HistoryScales {
  yScale: number;
  start: Date;
  tScaleSeconds: number;
  changepoints: Date[];
}

/**
 * FittedParams from an optimiser call. When no changepoints were used Prophet folds the dummy
 * changepoint's delta into k and zeroes delta (`fit` in forecaster.py); we do the same.
 */
export function fittedParamsFromCall(call: OptimizerCall, scales: HistoryScales): FittedParams {
  let { k } = call.params;
  let delta = [...call.params.delta];
  if (scales.changepoints.length === 0) {
    k += delta.reduce((a, b) => a + b, 0);
    delta = delta.map(() => 0);
  }
  const params: FittedParams = {
    k,
    m: call.params.m,
    delta,
    beta: [...call.params.beta],
    sigmaObs: call.params.sigmaObs,
    changepoints: scales.changepoints.map((d) => new Date(d.getTime())),
    changepointsT: [...call.data.t_change],
    yScale: scales.yScale,
    start: new Date(scales.start.getTime()),
    tScaleSeconds: scales.tScaleSeconds,
  };
  if (call.betaNames !== undefined) params.betaNames = [...call.betaNames];
  return params;
}

/**
 * Names the columns of Stan's X matrix by matching each against candidate feature columns we compute
 * ourselves (Prophet's names: `<seasonality>_delim_<i>`, `<holiday>_delim_<±offset>`). augurs orders
 * holiday columns by its own hash map, so order alone cannot tell them apart. Columns that several
 * candidates match equally (e.g. holidays with no day in the history: all zeros, whose beta stays 0 at
 * the prior's mode) take those candidates in order. Returns undefined when a column matches nothing.
 */
export function nameFeatureColumns(X: readonly (readonly number[])[], candidates: ReadonlyMap<string, ArrayLike<number>>, tolerance = 1e-6): string[] | undefined {
  const K = X[0]?.length ?? 0;
  const names: string[] = [];
  const used = new Set<string>();
  for (let j = 0; j < K; j++) {
    let found: string | undefined;
    for (const [name, column] of candidates) {
      if (used.has(name)) continue;
      let ok = column.length === X.length;
      for (let i = 0; ok && i < X.length; i++) {
        if (Math.abs((X[i]![j] ?? NaN) - column[i]!) > tolerance) ok = false;
      }
      if (ok) {
        found = name;
        break;
      }
    }
    if (found === undefined) return undefined;
    used.add(found);
    names.push(found);
  }
  return names;
}
