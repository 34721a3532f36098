/**
 * Bench: Prophet fit and predict seconds per reference case (test/fixtures/prophet), ours beside R Prophet's
 * when R and its prophet package are installed (Debian: r-cran-prophet), run on the same inputs in this run.
 *
 *   npx tsx scripts/bench-forecast.ts [--runs 3]
 *
 * fit = fitProphet (ours) / prophet() + add_country_holidays() + fit.prophet() (R);
 * predict = predict on history + future dates including 1000 uncertainty paths (both).
 * "first" is the first run in the process (ours includes loading the wasm; R's includes its warm-up),
 * "min" the fastest of the runs. The ratio is ours / R on min(fit) + min(predict). Prints figures only.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fitProphet } from "../src/forecast/prophet.js";
import { CASES, FIXTURES, loadCase, type CaseName } from "../test/fixtures/prophet/reference-cases.js";

interface Timing {
  fitFirst: number;
  fitMin: number;
  predictFirst: number;
  predictMin: number;
}

function argRuns(): number {
  const i = process.argv.indexOf("--runs");
  const n = i >= 0 ? Number(process.argv[i + 1]) : 3;
  return Number.isInteger(n) && n > 0 ? n : 3;
}

async function benchOurs(name: CaseName, runs: number): Promise<Timing> {
  const c = loadCase(name);
  const fits: number[] = [];
  const predicts: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const fitted = await fitProphet(c.history, c.config);
    const t1 = performance.now();
    fitted.predict([...c.history.ds, ...fitted.futureDates(c.params.periods)]);
    const t2 = performance.now();
    fits.push((t1 - t0) / 1000);
    predicts.push((t2 - t1) / 1000);
  }
  return { fitFirst: fits[0]!, fitMin: Math.min(...fits), predictFirst: predicts[0]!, predictMin: Math.min(...predicts) };
}

const R_SCRIPT = String.raw`
suppressMessages(library(prophet))
args <- commandArgs(trailingOnly = TRUE)
input <- args[1]; periods <- as.integer(args[2]); freq <- args[3]; mode <- args[4]
holidays <- args[5]; use_log <- args[6] == "log"; runs <- as.integer(args[7])
df <- read.csv(input, stringsAsFactors = FALSE)
if (use_log) df$y <- log1p(df$y)
fits <- c(); predicts <- c()
for (r in seq_len(runs)) {
  t0 <- Sys.time()
  m <- prophet(seasonality.mode = mode, fit = FALSE)
  if (holidays == "BR") m <- add_country_holidays(m, "BR")
  m <- suppressMessages(fit.prophet(m, df, seed = 1))
  t1 <- Sys.time()
  future <- make_future_dataframe(m, periods = periods, freq = freq)
  set.seed(1)
  fc <- predict(m, future)
  t2 <- Sys.time()
  fits <- c(fits, as.numeric(difftime(t1, t0, units = "secs")))
  predicts <- c(predicts, as.numeric(difftime(t2, t1, units = "secs")))
}
cat(sprintf("%.6f %.6f %.6f %.6f\n", fits[1], min(fits), predicts[1], min(predicts)))
`;

function rAvailable(): string | undefined {
  const probe = spawnSync("Rscript", ["-e", "suppressMessages(library(prophet))"], { encoding: "utf8" });
  if (probe.error) return `Rscript not found (${probe.error.message})`;
  if (probe.status !== 0) return `Rscript cannot load the prophet package: ${probe.stderr.trim().split("\n").pop()}`;
  return undefined;
}

function benchR(dir: string, name: CaseName, runs: number): Timing | string {
  const c = loadCase(name);
  const script = join(dir, "bench.R");
  const args = [
    script,
    join(FIXTURES, `${name}.input.csv`),
    String(c.params.periods),
    c.params.freq,
    c.params.seasonality_mode,
    c.params.holidays,
    c.params.log ? "log" : "none",
    String(runs),
  ];
  const run = spawnSync("Rscript", args, { encoding: "utf8", env: { ...process.env, TZ: "UTC" }, timeout: 600_000 });
  if (run.status !== 0) return `R failed: ${run.stderr.trim().split("\n").slice(-2).join(" ")}`;
  const [fitFirst, fitMin, predictFirst, predictMin] = run.stdout.trim().split(/\s+/).map(Number) as [number, number, number, number];
  return { fitFirst, fitMin, predictFirst, predictMin };
}

const s = (x: number): string => x.toFixed(3).padStart(7);

async function main(): Promise<void> {
  const runs = argRuns();
  const rMissing = rAvailable();
  const dir = mkdtempSync(join(tmpdir(), "bench-forecast-"));
  writeFileSync(join(dir, "bench.R"), R_SCRIPT);
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  console.log(`Prophet bench: ${runs} run(s) per case; Node ${process.version}; ${cpus().length} x ${cpu}`);
  console.log(rMissing ? `R Prophet: absent (${rMissing}); ours only.` : `R Prophet: ${spawnSync("Rscript", ["-e", 'cat(as.character(packageVersion("prophet")))'], { encoding: "utf8" }).stdout.trim()} (Rscript, same inputs, same run)`);
  console.log("");
  const header = ["case".padEnd(26), "ours fit first/min", "ours predict first/min", "R fit first/min", "R predict first/min", "ours/R (min fit+predict)"];
  console.log(header.join(" | "));
  try {
    for (const name of CASES) {
      const ours = await benchOurs(name, runs);
      const r = rMissing ? undefined : benchR(dir, name, runs);
      const cells = [name.padEnd(26), `${s(ours.fitFirst)} /${s(ours.fitMin)}`, `${s(ours.predictFirst)} /${s(ours.predictMin)}`];
      if (r === undefined) cells.push("      -", "      -", "      -");
      else if (typeof r === "string") cells.push(r, "", "");
      else {
        const ratio = (ours.fitMin + ours.predictMin) / (r.fitMin + r.predictMin);
        cells.push(`${s(r.fitFirst)} /${s(r.fitMin)}`, `${s(r.predictFirst)} /${s(r.predictMin)}`, ratio.toFixed(3));
      }
      console.log(cells.join(" | "));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log("\nseconds; predict = history + future rows with 1000 uncertainty paths.");
}

await main();
