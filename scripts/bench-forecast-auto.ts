// `auto` on the last 364 days of a processed sample's daily revenue (part of `npm run bench`; alone:
// `npx tsx scripts/bench-forecast-auto.ts PROCESSED_DIR`): the zoo's backtest at 6 origins inside the
// window and the chosen model's fit, as `forecast --model auto --log --periods 30 --holidays BR-retail` runs it;
// each candidate's backtest time beside it.
import { fitAuto } from "../src/forecast/auto.js";
import { trimTrailingTail } from "../src/forecast/series-window.js";
import { forecastZoo } from "../src/forecast/zoo.js";
import { readDailyRevenue } from "../src/pipeline/notebook-support.js";

const processed = process.argv[2];
if (!processed) throw new Error("usage: tsx scripts/bench-forecast-auto.ts PROCESSED_DIR");
const series = trimTrailingTail(await readDailyRevenue(processed));
const last = series.ds.length;
const history = { ds: series.ds.slice(last - 364), y: series.y.slice(last - 364) };
const zoo = forecastZoo({ prophet: { seasonalityMode: "multiplicative" }, holidays: "BR-retail", log: true, stepMs: 86_400_000 });
const seconds: Record<string, number> = {};
let started = performance.now();
let current = "";
const start = performance.now();
const fit = await fitAuto(history, {
  candidates: Object.values(zoo),
  horizonDays: 30,
  origins: 6,
  onCandidate: (name) => {
    if (current) seconds[current] = (performance.now() - started) / 1000;
    current = name;
    started = performance.now();
  },
});
const total = (performance.now() - start) / 1000;
seconds[`${current} and the final fit`] = (performance.now() - started) / 1000; // the last candidate's backtest runs into the chosen model's fit
console.log(`  auto on 364 days: ${total.toFixed(2)} s (target <= 3 s); chose ${fit.choice.chosen}: ${fit.choice.reason}`);
console.log(`  backtest per candidate (6 fits each): ${Object.entries(seconds).map(([name, s]) => `${name} ${s.toFixed(2)} s`).join(", ")}`);
