import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { main } from "../src/cli/main.js";
import { CASES, FIXTURES, loadCase, maxAbsDiff, range, type CaseName } from "./fixtures/prophet/reference-cases.js";

const dir = mkdtempSync(join(tmpdir(), "retail-intel-forecast-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The CLI flags that reproduce each reference case's R settings. */
const FLAGS: Record<CaseName, string[]> = {
  peyton_manning: ["--periods", "365", "--freq", "D"],
  retail_sales: ["--periods", "12", "--freq", "MS", "--mode", "multiplicative"],
  revenue_additive_holidays: ["--periods", "30", "--holidays", "BR"],
  revenue_mult_log_holidays: ["--periods", "30", "--holidays", "BR", "--mode", "multiplicative", "--log"],
};

async function cli(...args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  let stderr = "";
  let stdout = "";
  const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  try {
    return { code: await main(args), stderr, stdout };
  } finally {
    spy.mockRestore();
    out.mockRestore();
  }
}

function readForecast(path: string): { header: string[]; column: (name: string) => number[]; rows: number; ds: string[] } {
  const lines = readFileSync(path, "utf8").trimEnd().split("\n");
  const header = lines[0]!.split(",");
  const rows = lines.slice(1).map((l) => l.split(","));
  return { header, rows: rows.length, ds: rows.map((r) => r[0]!), column: (name) => rows.map((r) => Number(r[header.indexOf(name)])) };
}

describe("npx retail-intel forecast on every reference input", () => {
  for (const name of CASES) {
    it(`${name}: history + future rows with Prophet's columns, yhat as R's within 0.5% of the range`, async () => {
      const reference = loadCase(name);
      const out = join(dir, `${name}.csv`);
      const result = await cli("forecast", "--input", join(FIXTURES, `${name}.input.csv`), "--out", out, "--model", "prophet", ...FLAGS[name]);
      expect(result.code, result.stderr).toBe(0);
      const ours = readForecast(out);
      // dates missing inside the history are missing observations: the CLI forecasts them too, R's forecast has R's rows only
      const rDates = new Set(reference.forecast.ds.map((d) => (d.getTime() % 86_400_000 === 0 ? d.toISOString().slice(0, 10) : d.toISOString().replace("T", " ").slice(0, 19))));
      const keep = ours.ds.map((d) => rDates.has(d));
      expect(keep.filter(Boolean)).toHaveLength(reference.forecast.ds.length);
      expect(ours.header.slice(0, 4)).toEqual(["ds", "trend", "yhat_lower", "yhat_upper"]);
      expect(ours.header.at(-1)).toBe("yhat");
      // R's reference for the log case is in log1p space; the CLI writes revenue back with expm1.
      const written = ours.column("yhat").filter((_, i) => keep[i]);
      const yhat = reference.params.log ? written.map(Math.log1p) : written;
      const r = reference.forecast.columns["yhat"]!;
      const seriesRange = range(reference.history.y.filter((v): v is number => v !== null)); // the yardstick: the input series
      expect(maxAbsDiff(yhat, r) / seriesRange).toBeLessThan(0.005);
    });
  }
});

describe("forecast input errors: one clear message, exit 1, no output", () => {
  const cases: [string, string, string[], RegExp][] = [
    ["a missing y column", "ds,value\n2020-01-01,1\n2020-01-02,2\n", [], /column 'y'/],
    ["an unparsable ds", "ds,y\n2020-01-01,1\n2020-13-45,2\n2020-01-03,3\n", [], /row 3, column 'ds'/],
    ["a duplicate ds", "ds,y\n2020-01-01,1\n2020-01-02,2\n2020-01-02,3\n", [], /row 4, column 'ds'.*row 3/],
    ["a non-finite y", "ds,y\n2020-01-01,1\n2020-01-02,inf\n2020-01-03,3\n", [], /row 3, column 'y'/],
    ["fewer than 2 values", "ds,y\n2020-01-01,1\n2020-01-02,\n", [], /at least 2/],
    ["a negative y with --log", "ds,y\n2020-01-01,1\n2020-01-02,-5\n2020-01-03,3\n", ["--log"], /row 3, column 'y'/],
  ];
  for (const [what, text, flags, message] of cases) {
    it(what, async () => {
      const input = join(dir, "bad.csv");
      const out = join(dir, "bad-forecast.csv");
      writeFileSync(input, text);
      rmSync(out, { force: true });
      const result = await cli("forecast", "--input", input, "--out", out, ...flags);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/bad\.csv/);
      expect(result.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
    });
  }
});

describe("seeded intervals through the CLI", () => {
  it("the same seed gives the same file; another seed other intervals but the same yhat", async () => {
    const input = join(FIXTURES, "retail_sales.input.csv");
    const [a, b, c] = ["a", "b", "c"].map((n) => join(dir, `seed-${n}.csv`)) as [string, string, string];
    const params = join(dir, "params.json");
    const prophet = ["--model", "prophet", "--freq", "MS", "--periods", "6"];
    expect((await cli("forecast", "--input", input, "--out", a, ...prophet, "--seed", "7", "--params-out", params)).code).toBe(0);
    expect((await cli("forecast", "--input", input, "--out", b, ...prophet, "--seed", "7")).code).toBe(0);
    expect((await cli("forecast", "--input", input, "--out", c, ...prophet, "--seed", "8")).code).toBe(0);
    expect(readFileSync(a, "utf8")).toBe(readFileSync(b, "utf8"));
    expect(readForecast(c).column("yhat")).toEqual(readForecast(a).column("yhat"));
    expect(readForecast(c).column("yhat_upper")).not.toEqual(readForecast(a).column("yhat_upper"));
    const saved = JSON.parse(readFileSync(params, "utf8")) as { params: { k: number; delta: number[] }; config: { seed: number } };
    expect(saved.config.seed).toBe(7);
    expect(saved.params.delta).toHaveLength(25);
  });
});

describe("--model auto (the default), ensembles and missing observations", () => {
  /** 180 days of a weekly pattern with noise; `gaps`: rows written as NA, `absent`: rows left out of the file. */
  function weeklyCsv(gaps: number[] = [], absent: number[] = []): string {
    const lines = ["ds,y"];
    for (let i = 0; i < 180; i++) {
      if (absent.includes(i)) continue;
      const ds = new Date(Date.UTC(2021, 0, 4 + i)).toISOString().slice(0, 10);
      lines.push(`${ds},${gaps.includes(i) ? "NA" : (100 + [0, 10, 12, 14, 16, 30, -20][i % 7]! + ((i * 7919) % 13) / 4).toFixed(2)}`);
    }
    return `${lines.join("\n")}\n`;
  }

  it("backtests the zoo inside the history, forecasts with the winner, prints why and writes every candidate's score beside the forecast", async () => {
    const input = join(dir, "weekly.csv");
    const out = join(dir, "weekly-forecast.csv");
    writeFileSync(input, weeklyCsv());
    const result = await cli("forecast", "--input", input, "--out", out, "--periods", "14", "--backtest-origins", "3");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^model: \S+ has the lowest backtest MAPE inside the history \(\d+\.\d% over 3 origins of 14 days\)/m);
    const forecast = readForecast(out);
    expect(forecast.rows).toBe(180 + 14);
    expect(forecast.header).toEqual(["ds", "yhat_lower", "yhat_upper", "yhat"]);
    expect(forecast.column("yhat").slice(-14).every(Number.isFinite)).toBe(true);
    const report = JSON.parse(readFileSync(`${out}.json`, "utf8")) as { requested: string; model: string; metric: string; candidates: { name: string; error: number }[]; backtestCutoffs: string[] };
    expect(report.requested).toBe("auto");
    expect(report.metric).toBe("mape");
    expect(report.backtestCutoffs).toHaveLength(3);
    expect(report.candidates.map((c) => c.name)).toEqual(["prophet", "ets", "mstl", "seasonal_naive_7", "moving_average_7", "ridge", "ensemble-mean", "ensemble-median", "ensemble-weighted"]);
    expect(report.candidates.find((c) => c.name === report.model)!.error).toBe(Math.min(...report.candidates.map((c) => c.error)));
  });

  it("an ensemble by name: forced, still scored beside the others", async () => {
    const input = join(dir, "weekly.csv");
    const out = join(dir, "weekly-median.csv");
    writeFileSync(input, weeklyCsv());
    const result = await cli("forecast", "--input", input, "--out", out, "--periods", "7", "--backtest-origins", "2", "--model", "ensemble-median");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^model: ensemble-median as asked; its backtest MAPE inside the history/m);
    expect(JSON.parse(readFileSync(`${out}.json`, "utf8")).model).toBe("ensemble-median");
  });

  it("fits without NA values and dates absent from the file, and forecasts those dates too", async () => {
    const input = join(dir, "gappy.csv");
    const out = join(dir, "gappy-forecast.csv");
    writeFileSync(input, weeklyCsv([30, 31, 100], [60]));
    for (const model of ["auto", "prophet", "mstl"]) {
      const result = await cli("forecast", "--input", input, "--out", out, "--periods", "7", "--backtest-origins", "2", "--model", model);
      expect(result.code, `${model}: ${result.stderr}`).toBe(0);
      expect(result.stdout).toContain("missing observations: 4 (1 of them dates absent from the file), fitted without and forecast");
      const forecast = readForecast(out);
      expect(forecast.rows, model).toBe(180 + 7);
      for (const i of [30, 31, 60, 100]) expect(Number.isFinite(forecast.column("yhat")[i]!), `${model} row ${i}`).toBe(true);
    }
  });

  it("refuses an unknown --model and --params-out without Prophet (exit 2)", async () => {
    const input = join(dir, "weekly.csv");
    writeFileSync(input, weeklyCsv());
    const unknown = await cli("forecast", "--input", input, "--out", join(dir, "x.csv"), "--model", "xgboost");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--model must be one of auto, prophet, ets, mstl/);
    const params = await cli("forecast", "--input", input, "--out", join(dir, "x.csv"), "--model", "ets", "--params-out", join(dir, "p.json"));
    expect(params.code).toBe(2);
  });
});
