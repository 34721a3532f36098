/**
 * Forecasting: Prophet (its Stan model through augurs, Prophet's defaults and vocabulary), holidays, the
 * seeded predictive simulation, future dates, backtests, metrics and baselines. Pure: arrays in, results
 * out; the only I/O is loading Prophet's wasm once (prophet-runtime.ts).
 *
 *   const { fitProphet } = await load("src/forecast/index.ts");        // in a notebook (notebook-env.cjs)
 *   const fitted = await fitProphet({ ds, y }, { holidays: "BR", seasonalityMode: "multiplicative" });
 *   const forecast = fitted.predict([...ds, ...fitted.futureDates(30)]);
 */
export * from "./prophet.js";
export * from "./prophet-runtime.js";
export * from "./fitted-params.js";
export * from "./holidays.js";
export * from "./uncertainty.js";
export * from "./future-dates.js";

// Backtests, metrics, baselines and input/output helpers.
export * from "./series-input.js";
export * from "./log-transform.js";
export * from "./forecast-ahead.js";
export * from "./forecast-csv.js";
export * from "./cross-validation.js";
export * from "./metrics.js";
export * from "./performance-metrics.js";
export * from "./baselines.js";
