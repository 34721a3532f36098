import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCommandArgs } from "../src/cli/command.js";
import { COMMANDS } from "../src/cli/main.js";
import { writeOlistSample } from "../src/data/sample/index.js";
import { filesUnder, runMain, spawnCli } from "./support/cli-process.js";
import { escapeRegExp } from "./support/regexp.js";

// Every error of the command line is one line naming what is wrong and where, exit 1 for bad data and
// 2 for wrong usage, no stack trace, and nothing written.

const root = mkdtempSync(join(tmpdir(), "retail-intel-cli-errors-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The lines of stderr that start with "error:" (a usage error is followed by the command's help). */
const errorLines = (stderr: string): string[] => stderr.split("\n").filter((line) => line.startsWith("error:"));
const STACK_FRAME = /^\s+at /m;

describe("an option value that starts with '-' reaches the command's own check", () => {
  it("every string option of every command takes '-1' as its value", () => {
    for (const command of COMMANDS) {
      for (const [name, option] of Object.entries(command.options)) {
        if (option.type !== "string") continue;
        const { values } = parseCommandArgs(command, [`--${name}`, "-1"]);
        const value = values[name];
        expect(Array.isArray(value) ? value : [value], `${command.name} --${name}`).toEqual(["-1"]);
      }
    }
  });

  it("a token starting with '--' stays a flag: `--out --orders 5` is a forgotten value, exit 2", async () => {
    const result = await runMain(["sample", "--out", "--orders", "5"]);
    expect(result.code).toBe(2);
    expect(errorLines(result.stderr)).toEqual([expect.stringContaining("'--out'")]);
  });

  const out = (name: string): string => join(root, name);
  const cases: [string[], string, string | undefined][] = [
    [["forecast", "--input", "series.csv", "--out", join(out("periods"), "f.csv"), "--periods", "-5"], "--periods must be a positive integer, got '-5'", out("periods")],
    [["recommend", "--model", "model", "--user", "u", "--k", "-1"], "--k must be a positive integer, got '-1'", undefined],
    [["sample", "--out", out("orders"), "--orders", "-3"], "--orders must be a positive integer, got '-3'", out("orders")],
    [["recommend-eval", "--out", out("seeds"), "--seeds", "-1"], "--seeds must be a positive integer, got '-1'", out("seeds")],
    [["recommend-eval", "--out", out("epochs"), "--epochs", "-2"], "--epochs must be a positive integer, got '-2'", out("epochs")],
  ];
  for (const [args, message, outDir] of cases) {
    it(`${args[0]} ... ${args.slice(-2).join(" ")}: exit 2, "${message}", nothing written`, async () => {
      const result = await runMain(args);
      expect(result.code).toBe(2);
      expect(errorLines(result.stderr)).toEqual([`error: ${message}`]);
      expect(result.stderr).not.toMatch(/ambiguous/);
      if (outDir) expect(filesUnder(outDir)).toEqual([]);
    });
  }

  it("pipeline --params -x: exit 2, the parameter's own check speaks (before any notebook runs)", async () => {
    const result = await runMain(["pipeline", "--params", "-x"]);
    expect(result.code).toBe(2);
    expect(errorLines(result.stderr)).toEqual(["error: --params expects key=value, got '-x'"]);
  });

  it("forecast --periods -5 through the real entry point: exit 2, no stack trace", () => {
    const result = spawnCli(root, "forecast", "--input", "series.csv", "--out", "forecast.csv", "--periods", "-5");
    expect(result.status).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe("error: --periods must be a positive integer, got '-5'");
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(existsSync(join(root, "forecast.csv"))).toBe(false);
  });
});

describe("an output path that cannot be written says so before any work, and nothing is written", () => {
  const place = (name: string): { dir: string; file: string } => {
    const dir = mkdtempSync(join(root, `${name}-`));
    const file = join(dir, "taken");
    writeFileSync(file, "keep me");
    return { dir, file };
  };

  const folderCases: [string, (out: string) => string[]][] = [
    ["features --out", (out) => ["features", "--raw", join(root, "raw"), "--out", out]],
    ["segment --out", (out) => ["segment", "--rfm", join(root, "rfm.csv"), "--out", out]],
    ["recommend-eval --out", (out) => ["recommend-eval", "--processed", join(root, "processed"), "--seeds", "1", "--out", out]],
    ["sample --out", (out) => ["sample", "--orders", "10", "--out", out]],
  ];
  for (const [name, args] of folderCases) {
    it(`${name} FILE: exit 1, "output folder FILE is a file, not a folder"`, async () => {
      const { dir, file } = place(name.split(" ")[0]!);
      const result = await runMain(args(file));
      expect(result.code).toBe(1);
      expect(errorLines(result.stderr)).toEqual([`error: output folder ${file} is a file, not a folder`]);
      expect(readFileSync(file, "utf8")).toBe("keep me");
      expect(filesUnder(dir)).toEqual(["taken"]);
    });
  }

  it("features --out FILE/sub: the file in the way is named", async () => {
    const { dir, file } = place("features-sub");
    const result = await runMain(["features", "--raw", join(root, "raw"), "--out", join(file, "sub")]);
    expect(result.code).toBe(1);
    expect(errorLines(result.stderr)).toEqual([`error: cannot create output folder ${join(file, "sub")}: ${file} is a file, not a folder`]);
    expect(filesUnder(dir)).toEqual(["taken"]);
  });

  it("forecast --out FOLDER, --out FILE/forecast.csv and --params-out FOLDER: exit 1, naming the path", async () => {
    const { dir, file } = place("forecast");
    const input = join(dir, "series.csv");
    writeFileSync(input, "ds,y\n2024-01-01,1\n2024-01-02,2\n");
    const before = filesUnder(dir);
    const outIsFolder = await runMain(["forecast", "--input", input, "--out", dir]);
    expect(outIsFolder.code).toBe(1);
    expect(errorLines(outIsFolder.stderr)).toEqual([`error: output file ${dir} is a folder, not a file`]);
    const parentIsFile = await runMain(["forecast", "--input", input, "--out", join(file, "forecast.csv")]);
    expect(parentIsFile.code).toBe(1);
    expect(errorLines(parentIsFile.stderr)).toEqual([`error: cannot create output file ${join(file, "forecast.csv")}: ${file} is a file, not a folder`]);
    const paramsIsFolder = await runMain(["forecast", "--input", input, "--out", join(dir, "forecast.csv"), "--model", "prophet", "--params-out", dir]);
    expect(paramsIsFolder.code).toBe(1);
    expect(errorLines(paramsIsFolder.stderr)).toEqual([`error: parameters file ${dir} is a folder, not a file`]);
    expect(filesUnder(dir)).toEqual(before);
  });

  it("validate --report FOLDER: exit 1, the report path is a folder", async () => {
    const { dir } = place("validate");
    const result = await runMain(["validate", "--raw", join(root, "raw"), "--report", dir]);
    expect(result.code).toBe(1);
    expect(errorLines(result.stderr)).toEqual([`error: report file ${dir} is a folder, not a file`]);
    expect(filesUnder(dir)).toEqual(["taken"]);
  });

  it("features --out FILE through the real entry point: one line, no stack trace", () => {
    const { dir, file } = place("features-spawn");
    const result = spawnCli(root, "features", "--raw", join(root, "raw"), "--out", file);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`error: output folder ${file} is a file, not a folder\n`);
    expect(filesUnder(dir)).toEqual(["taken"]);
  });
});

describe("an input path that does not exist says so, naming it, and nothing is written", () => {
  const nowhere = (name: string): string => join(root, "no-such-place", name);

  const cases: [string, (out: string) => string[], string][] = [
    ["validate --raw", (out) => ["validate", "--raw", nowhere("raw"), "--report", join(out, "quality.json")], `raw data folder ${nowhere("raw")} does not exist`],
    ["features --raw", (out) => ["features", "--raw", nowhere("raw"), "--out", out], `raw data folder ${nowhere("raw")} does not exist`],
    ["monitor --raw", () => ["monitor", "--raw", nowhere("raw")], `raw data folder ${nowhere("raw")} does not exist`],
    ["monitor --processed", () => ["monitor", "--processed", nowhere("processed")], `processed tables folder ${nowhere("processed")} does not exist`],
    ["segment --processed", (out) => ["segment", "--processed", nowhere("processed"), "--out", out], `processed tables folder ${nowhere("processed")} does not exist`],
    ["segment --rfm", (out) => ["segment", "--rfm", nowhere("rfm.csv"), "--out", out], `RFM file ${nowhere("rfm.csv")} does not exist`],
    ["recommend-eval --processed", (out) => ["recommend-eval", "--processed", nowhere("processed"), "--seeds", "1", "--out", out], `processed tables folder ${nowhere("processed")} does not exist`],
    ["forecast --input", (out) => ["forecast", "--input", nowhere("series.csv"), "--out", join(out, "forecast.csv")], `input file ${nowhere("series.csv")} does not exist`],
    ["recommend --model", () => ["recommend", "--model", nowhere("model"), "--user", "u"], `model folder ${nowhere("model")} does not exist`],
    ["experiment FILE", () => ["experiment", nowhere("plan.json")], `experiment file ${nowhere("plan.json")} does not exist`],
  ];
  for (const [name, args, message] of cases) {
    it(`${name}: exit 1, "${message}"`, async () => {
      const out = mkdtempSync(join(root, "out-"));
      const result = await runMain(args(out));
      expect(result.code).toBe(1);
      const lines = errorLines(result.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^error: ${escapeRegExp(message)}($|; )`));
      expect(filesUnder(out)).toEqual([]);
      expect(existsSync(join(root, "no-such-place"))).toBe(false);
    });
  }

  it("validate --raw FILE: the raw data folder is a file", async () => {
    const file = join(root, "raw-is-a-file");
    writeFileSync(file, "");
    const result = await runMain(["validate", "--raw", file, "--report", join(root, "q.json")]);
    expect(result.code).toBe(1);
    expect(errorLines(result.stderr)).toEqual([`error: raw data folder ${file} is a file, not a folder`]);
    expect(existsSync(join(root, "q.json"))).toBe(false);
  });

  it("validate --raw MISSING through the real entry point: one line with what to do, no stack trace, no report", () => {
    const result = spawnCli(root, "validate", "--raw", "no-such-raw", "--report", "quality.json");
    expect(result.status).toBe(1);
    // the step's progress line, then the error
    expect(result.stderr).toBe("validate no-such-raw ...\nerror: raw data folder no-such-raw does not exist; put the nine Olist CSV files there, or run `npx retail-intel sample --out no-such-raw`\n");
    expect(existsSync(join(root, "quality.json"))).toBe(false);
  });
});

describe("a damaged input file is named, with what is wrong and how to rebuild it", () => {
  let processed: string;

  beforeAll(async () => {
    const raw = join(root, "damaged-raw");
    await writeOlistSample(raw, { orders: 600, seed: "cli-errors" });
    processed = join(root, "damaged-processed");
    const features = await runMain(["features", "--raw", raw, "--out", processed]);
    expect(features.code, features.stderr).toBe(0);
  });

  /** A copy of the processed tables with order_facts.parquet cut in half. */
  function halfProcessed(name: string): string {
    const dir = join(root, name);
    cpSync(processed, dir, { recursive: true });
    const table = join(dir, "order_facts.parquet");
    truncateSync(table, Math.floor(statSync(table).size / 2));
    return dir;
  }

  const commands: [string, (dir: string, out: string) => string[]][] = [
    ["segment", (dir, out) => ["segment", "--processed", dir, "--out", out]],
    ["monitor", (dir) => ["monitor", "--processed", dir]],
    ["recommend-eval", (dir, out) => ["recommend-eval", "--processed", dir, "--seeds", "1", "--epochs", "1", "--out", out]],
  ];
  for (const [name, args] of commands) {
    it(`${name} --processed with order_facts.parquet cut in half: exit 1, "processed tables folder DIR is damaged", nothing written`, async () => {
      const dir = halfProcessed(`half-${name}`);
      const out = join(root, `half-${name}-out`);
      const result = await runMain(args(dir, out));
      expect(result.code).toBe(1);
      expect(errorLines(result.stderr)).toEqual([
        expect.stringMatching(
          new RegExp(`^error: processed tables folder ${escapeRegExp(dir)} is damaged: order_facts\\.parquet is not a readable Parquet file \\(.+\\); re-run \`npx retail-intel features --out ${escapeRegExp(dir)}\` to rebuild it$`),
        ),
      ]);
      expect(filesUnder(out)).toEqual([]);
    });
  }

  it("segment --rfm with a non-UTF-8 byte names the file, row and column", async () => {
    const file = join(root, "latin1-rfm.csv");
    writeFileSync(file, Buffer.concat([Buffer.from("customer_unique_id,recency,frequency,monetary\nc1,3,1,10\n\"c2\",4,1,"), Buffer.from([0xe3]), Buffer.from("\n")]));
    const out = join(root, "latin1-rfm-out");
    const result = await runMain(["segment", "--rfm", file, "--out", out]);
    expect(result.code).toBe(1);
    expect(errorLines(result.stderr)).toEqual([expect.stringMatching(new RegExp(`^error: invalid input data: ${escapeRegExp(file)}, row 3, column 'monetary': byte 0xe3 at offset \\d+ is not valid UTF-8`))]);
    expect(filesUnder(out)).toEqual([]);
  });

  it("segment --rfm FILE.parquet that is not Parquet: the RFM file is named", async () => {
    const file = join(root, "not-parquet.parquet");
    writeFileSync(file, "customer_unique_id,recency\n");
    const out = join(root, "not-parquet-out");
    const result = await runMain(["segment", "--rfm", file, "--out", out]);
    expect(result.code).toBe(1);
    expect(errorLines(result.stderr)).toEqual([expect.stringMatching(new RegExp(`^error: RFM file ${escapeRegExp(file)} is not a readable Parquet file \\(.+\\)$`))]);
    expect(filesUnder(out)).toEqual([]);
  });

  it("experiment FILE cut short: the experiment file is not valid JSON, at which position", async () => {
    const file = join(root, "plan.json");
    writeFileSync(file, '{ "notebook": "02", "parameters": [ { "sampleOrders": 1');
    const result = await runMain(["experiment", file]);
    expect(result.code).toBe(1);
    expect(errorLines(result.stderr)).toEqual([expect.stringMatching(new RegExp(`^error: experiment file ${escapeRegExp(file)} is not valid JSON \\(.*position \\d+.*\\)$`))]);
  });
});
