import { readFileSync, writeFileSync } from "node:fs";
import { fitAuto, type AutoChoice } from "../../forecast/auto.js";
import { predictWhereDefined, type FittedForecastModel } from "../../forecast/cross-validation.js";
import { fillDateGaps } from "../../forecast/date-gaps.js";
import { formatForecastCsv } from "../../forecast/forecast-csv.js";
import { inferFrequency, makeFutureDates, parseFrequency } from "../../forecast/future-dates.js";
import { ENSEMBLE_MODELS, forecastZoo, SINGLE_MODELS } from "../../forecast/zoo.js";
import { MS_PER_DAY } from "../../io/time.js";
import { forecastAhead } from "../../forecast/forecast-ahead.js";
import { parseHolidaysCsv } from "../../forecast/holidays.js";
import type { ProphetConfig } from "../../forecast/prophet.js";
import { parseSeriesCsv } from "../../forecast/series-input.js";
import { writeFilesAtomically } from "../../io/atomic-write.js";
import { checkOutputFile } from "../../io/path-checks.js";
import { readFileNamed } from "../../io/read-file.js";
import { positiveInteger, stringOption, UsageError, type Command } from "../command.js";
import { timed } from "../progress.js";

const FREQS = ["D", "H", "MS", "5min", "auto"] as const;
const MODELS = ["auto", ...SINGLE_MODELS, ...ENSEMBLE_MODELS] as const;

function holidaysOption(value: string): ProphetConfig["holidays"] {
  if (value === "none" || value === "BR" || value === "BR-retail") return value;
  let text: string;
  try {
    text = readFileSync(value, "utf8");
  } catch {
    throw new UsageError(`--holidays must be none, BR, BR-retail or a holidays CSV file; cannot read '${value}'`);
  }
  return parseHolidaysCsv(text, value);
}

export const forecastCommand: Command = {
  name: "forecast",
  brief: "forecast a ds,y CSV with the model (or ensemble) that wins a backtest inside its history, or a named one",
  usage:
    "forecast --input FILE.csv --out FORECAST.csv [--model auto|prophet|ets|mstl|seasonal-naive|moving-average|ridge|ensemble-mean|ensemble-median|ensemble-weighted] [--backtest-origins 6] [--periods 30] [--freq D|H|MS|5min|auto] [--mode additive|multiplicative] [--holidays none|BR|BR-retail|HOLIDAYS.csv] [--log] [--seed 1] [--params-out PARAMS.json]",
  summary:
    "Forecast a CSV with columns ds,y (an empty, NA or NaN y is a missing observation, and so is a date missing inside a regular series: models fit without them and still forecast their dates). --model auto (the default) backtests Prophet, AutoETS, MSTL, seasonal naive, moving average, a ridge regression and their ensembles at --backtest-origins rolling origins inside the history, --periods ahead each, and forecasts with the one with the lowest error (MAPE, or MAE when some y <= 0); the choice and every candidate's score go to FORECAST.csv.json. Writes every history row plus --periods future rows with Prophet's column names (yhat, yhat_lower, yhat_upper; --model prophet also trend and components, and --params-out its parameters). Prophet's intervals come from a seeded simulation (--seed); other models' are their own or the quantiles of their backtest errors. --log fits every model on log1p(y) and writes y-scale columns back with expm1.",
  options: {
    model: { type: "string", valueName: "MODEL", description: `${MODELS.join(", ")}`, default: "auto" },
    "backtest-origins": { type: "string", valueName: "N", description: "rolling origins of auto's backtest inside the history (and of an ensemble's)", default: "6" },
    input: { type: "string", valueName: "FILE.csv", description: "the series: columns ds (date or timestamp, UTC) and y" },
    out: { type: "string", valueName: "FORECAST.csv", description: "where to write the forecast" },
    periods: { type: "string", valueName: "N", description: "future rows", default: "30" },
    freq: { type: "string", valueName: "FREQ", description: "spacing of future rows: D, H, MS (month start), 5min or auto (from the history)", default: "auto" },
    mode: { type: "string", valueName: "MODE", description: "seasonality mode: additive or multiplicative", default: "additive" },
    holidays: { type: "string", valueName: "H", description: "none, BR (Prophet's list), BR-retail (adds Carnival, Good Friday, Corpus Christi, Black Friday, Mother's Day) or a CSV ds,holiday,lower_window,upper_window", default: "none" },
    log: { type: "boolean", description: "fit on log1p(y); y-scale outputs are transformed back with expm1" },
    seed: { type: "string", valueName: "S", description: "seed of the uncertainty simulation", default: "1" },
    "params-out": { type: "string", valueName: "PARAMS.json", description: "also write the configuration and the fitted parameters as JSON" },
  },
  async run(values) {
    const input = stringOption(values["input"], "input");
    const out = stringOption(values["out"], "out");
    const periods = positiveInteger(values["periods"], "periods");
    const freq = stringOption(values["freq"], "freq");
    if (!(FREQS as readonly string[]).includes(freq)) throw new UsageError(`--freq must be one of ${FREQS.join(", ")}, got '${freq}'`);
    const mode = stringOption(values["mode"], "mode");
    if (mode !== "additive" && mode !== "multiplicative") throw new UsageError(`--mode must be additive or multiplicative, got '${mode}'`);
    const seedText = stringOption(values["seed"], "seed");
    if (!/^-?\d+$/.test(seedText)) throw new UsageError(`--seed must be an integer, got '${seedText}'`);
    const log = values["log"] === true;
    const holidays = holidaysOption(stringOption(values["holidays"], "holidays"));
    const paramsOut = typeof values["params-out"] === "string" ? values["params-out"] : undefined;

    const model = stringOption(values["model"], "model");
    if (!(MODELS as readonly string[]).includes(model)) throw new UsageError(`--model must be one of ${MODELS.join(", ")}, got '${model}'`);
    const origins = positiveInteger(values["backtest-origins"] ?? "6", "backtest-origins");
    if (paramsOut && model !== "prophet") throw new UsageError("--params-out writes Prophet's parameters: use it with --model prophet");

    const text = readFileNamed(input, "input file").toString("utf8");
    checkOutputFile(out);
    if (paramsOut) checkOutputFile(paramsOut, "parameters file");
    const parsed = parseSeriesCsv(text, input, { log });
    const filled = fillDateGaps(parsed, freq === "auto" ? undefined : freq);
    const series = { ds: filled.ds, y: filled.y };
    const missing = { values: series.y.filter((v) => v === null).length, datesAdded: filled.added };
    const config: Partial<ProphetConfig> = { seasonalityMode: mode, holidays, seed: Number(seedText) };
    const files: { path: string; write: (temp: string) => void }[] = [];
    let future: Date[];
    let rows: number;
    let choice: Pick<AutoChoice, "chosen" | "reason"> & Partial<AutoChoice>;
    if (model === "prophet") {
      const ahead = await forecastAhead(series, config, { periods, freq: freq === "auto" ? undefined : freq, log, runStep: timed });
      future = [...ahead.future];
      rows = ahead.forecast.ds.length;
      files.push({ path: out, write: (temp: string) => writeFileSync(temp, formatForecastCsv(ahead.forecast)) });
      if (paramsOut) {
        const document = { config: ahead.fitted.config, log, params: ahead.fitted.params, seasonalities: ahead.fitted.seasonalities, input, periods, freq };
        files.push({ path: paramsOut, write: (temp: string) => writeFileSync(temp, `${JSON.stringify(document, null, 2)}\n`) });
      }
      choice = { chosen: "prophet", reason: "prophet as asked (--model prophet)" };
    } else {
      const frequency = freq === "auto" ? inferFrequency(series.ds) : freq;
      const parsedFreq = parseFrequency(frequency);
      const stepMs = parsedFreq.kind === "fixed" ? parsedFreq.stepMs : parsedFreq.months * 30.4375 * MS_PER_DAY;
      const zoo = forecastZoo({ prophet: config, holidays, log, stepMs });
      let fitted: FittedForecastModel;
      if ((SINGLE_MODELS as readonly string[]).includes(model)) {
        const single = zoo[model as keyof typeof zoo];
        fitted = await timed(`fit ${model} on ${series.ds.length.toLocaleString("en-US")} rows`, () => single.fit(series));
        choice = { chosen: single.name, reason: `${single.name} as asked (--model ${model})` };
      } else {
        const auto = await timed(`backtest ${Object.keys(zoo).length} models and 3 ensembles at ${origins} origins`, () =>
          fitAuto(series, { candidates: Object.values(zoo), horizonDays: (periods * stepMs) / MS_PER_DAY, origins, ...(model === "auto" ? {} : { only: model }) }),
        );
        fitted = auto;
        choice = auto.choice;
      }
      future = makeFutureDates(series.ds, periods, frequency);
      const forecast = predictWhereDefined(fitted, [...series.ds, ...future]); // history rows a model has no forecast for: NaN
      rows = forecast.ds.length;
      const nan = forecast.ds.map(() => Number.NaN);
      files.push({ path: out, write: (temp: string) => writeFileSync(temp, formatForecastCsv({ ds: forecast.ds, yhat: forecast.yhat, yhat_lower: forecast.yhat_lower ?? nan, yhat_upper: forecast.yhat_upper ?? nan })) });
    }
    const report = { requested: model, model: choice.chosen, reason: choice.reason, metric: choice.metric ?? null, backtestCutoffs: choice.cutoffs?.map((c) => c.toISOString()) ?? [], candidates: choice.candidates ?? [], weights: choice.weights ?? null, input, periods, freq, log, missing };
    files.push({ path: `${out}.json`, write: (temp: string) => writeFileSync(temp, `${JSON.stringify(report, null, 2)}\n`) });
    writeFilesAtomically(files);
    process.stdout.write(`model: ${choice.reason}\n`);
    if (missing.values > 0) process.stdout.write(`missing observations: ${missing.values} (${missing.datesAdded} of them dates absent from the file), fitted without and forecast\n`);
    process.stdout.write(`${out}: ${rows} rows (${series.ds.length} history + ${future.length} future); the choice and the candidates' scores in ${out}.json${paramsOut ? `; parameters in ${paramsOut}` : ""}\n`);
    return 0;
  },
};
