import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseCommandArgs } from "../src/cli/command.js";
import { COMMANDS } from "../src/cli/main.js";
import { filesUnder, runMain, spawnCli } from "./support/cli-process.js";

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
