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

async function cli(...args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = "";
  const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  try {
    return { code: await main(args), stderr };
  } finally {
    spy.mockRestore();
    out.mockRestore();
  }
}

function readForecast(path: string): { header: string[]; column: (name: string) => number[]; rows: number } {
  const lines = readFileSync(path, "utf8").trimEnd().split("\n");
  const header = lines[0]!.split(",");
  const rows = lines.slice(1).map((l) => l.split(","));
  return { header, rows: rows.length, column: (name) => rows.map((r) => Number(r[header.indexOf(name)])) };
}

describe("npx retail-intel forecast on every reference input", () => {
  for (const name of CASES) {
    it(`${name}: history + future rows with Prophet's columns, yhat as R's within 0.5% of the range`, async () => {
      const reference = loadCase(name);
      const out = join(dir, `${name}.csv`);
      const result = await cli("forecast", "--input", join(FIXTURES, `${name}.input.csv`), "--out", out, ...FLAGS[name]);
      expect(result.code, result.stderr).toBe(0);
      const ours = readForecast(out);
      expect(ours.rows).toBe(reference.forecast.ds.length);
      expect(ours.header.slice(0, 4)).toEqual(["ds", "trend", "yhat_lower", "yhat_upper"]);
      expect(ours.header.at(-1)).toBe("yhat");
      // R's reference for the log case is in log1p space; the CLI writes revenue back with expm1.
      const yhat = reference.params.log ? ours.column("yhat").map(Math.log1p) : ours.column("yhat");
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
    expect((await cli("forecast", "--input", input, "--out", a, "--freq", "MS", "--periods", "6", "--seed", "7", "--params-out", params)).code).toBe(0);
    expect((await cli("forecast", "--input", input, "--out", b, "--freq", "MS", "--periods", "6", "--seed", "7")).code).toBe(0);
    expect((await cli("forecast", "--input", input, "--out", c, "--freq", "MS", "--periods", "6", "--seed", "8")).code).toBe(0);
    expect(readFileSync(a, "utf8")).toBe(readFileSync(b, "utf8"));
    expect(readForecast(c).column("yhat")).toEqual(readForecast(a).column("yhat"));
    expect(readForecast(c).column("yhat_upper")).not.toEqual(readForecast(a).column("yhat_upper"));
    const saved = JSON.parse(readFileSync(params, "utf8")) as { params: { k: number; delta: number[] }; config: { seed: number } };
    expect(saved.config.seed).toBe(7);
    expect(saved.params.delta).toHaveLength(25);
  });
});
