import { readFileSync, writeFileSync } from "node:fs";
import { formatForecastCsv } from "../../forecast/forecast-csv.js";
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
  brief: "fit Prophet (augurs) to a ds,y CSV and write the forecast",
  usage:
    "forecast --input FILE.csv --out FORECAST.csv [--periods 30] [--freq D|H|MS|5min|auto] [--mode additive|multiplicative] [--holidays none|BR|BR-retail|HOLIDAYS.csv] [--log] [--seed 1] [--params-out PARAMS.json]",
  summary:
    "Fit Prophet's model (its Stan model via augurs, Prophet's defaults) to a CSV with columns ds,y and write every history row plus --periods future rows with Prophet's column names (yhat, yhat_lower, yhat_upper, trend, components). Intervals come from a seeded simulation: the same --seed gives the same intervals. --log fits on log1p(y) and writes y-scale columns back with expm1.",
  options: {
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

    const text = readFileNamed(input, "input file").toString("utf8");
    checkOutputFile(out);
    if (paramsOut) checkOutputFile(paramsOut, "parameters file");
    const series = parseSeriesCsv(text, input, { log });
    const config: Partial<ProphetConfig> = { seasonalityMode: mode, holidays, seed: Number(seedText) };
    const { fitted, forecast: onScale, future } = await forecastAhead(series, config, { periods, freq: freq === "auto" ? undefined : freq, log, runStep: timed });
    const files = [{ path: out, write: (temp: string) => writeFileSync(temp, formatForecastCsv(onScale)) }];
    if (paramsOut) {
      const document = { config: fitted.config, log, params: fitted.params, seasonalities: fitted.seasonalities, input, periods, freq };
      files.push({ path: paramsOut, write: (temp: string) => writeFileSync(temp, `${JSON.stringify(document, null, 2)}\n`) });
    }
    writeFilesAtomically(files);
    process.stdout.write(`${out}: ${onScale.ds.length} rows (${series.ds.length} history + ${future.length} future)${paramsOut ? `; parameters in ${paramsOut}` : ""}\n`);
    return 0;
  },
};
