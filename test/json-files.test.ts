import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pl from "nodejs-polars";
import { afterAll, describe, expect, it } from "vitest";
import { readSampleManifest, SAMPLE_MANIFEST_FILE } from "../src/data/sample/index.js";
import { FEATURES_MANIFEST_FILE } from "../src/features/write-features.js";
import { FileError } from "../src/io/file-error.js";
import { readJsonFile } from "../src/io/json-file.js";
import { readExperimentPlan } from "../src/pipeline/experiment-file.js";
import { readDailyRevenue } from "../src/pipeline/notebook-support.js";
import { readNotebookInfo } from "../src/pipeline/notebooks.js";
import { replayUnsent } from "../src/tracking/unsent.js";

const root = mkdtempSync(join(tmpdir(), "retail-intel-json-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A JSON document cut short, as a full disk or an interrupted copy leaves it. */
const CUT = '{\n  "seed": "x",\n  "orders": [1, 2';

function errorOf(read: () => unknown): Error {
  try {
    read();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}

describe("readJsonFile", () => {
  it("names a file that is cut short, with the parser's position, on one line", () => {
    const path = join(root, "cut.json");
    writeFileSync(path, CUT);
    const error = errorOf(() => readJsonFile(path, "settings file"));
    expect(error).toBeInstanceOf(FileError);
    expect((error as FileError).kind).toBe("invalid-json");
    expect(error.message).toMatch(new RegExp(`^settings file ${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not valid JSON \\(.*position \\d+.*\\)$`));
    expect(error.message).not.toContain("\n");
  });

  // V8 names no position when the text ends where a value must follow (after ':' or ', ' in an
  // array); a cut at such a point gave "(Unexpected end of JSON input)" alone.
  it("gives the position where a file cut after a separator ends", () => {
    const path = join(root, "cut-after-comma.json");
    const text = '{\n  "seed": "x",\n  "orders": [1, ';
    writeFileSync(path, text);
    expect(errorOf(() => readJsonFile(path)).message).toMatch(new RegExp(`\\(.*at position ${text.length}\\)$`));
  });

  it("names a missing file and a folder", () => {
    expect(() => readJsonFile(join(root, "absent.json"))).toThrow(`file ${join(root, "absent.json")} does not exist`);
    expect(() => readJsonFile(root)).toThrow(`file ${root} is a folder, not a file`);
  });

  it("reads a file that starts with a byte-order mark", () => {
    const path = join(root, "bom.json");
    writeFileSync(path, `\ufeff{"a": 1}`);
    expect(readJsonFile(path)).toEqual({ a: 1 });
  });
});

// Every JSON file the tool reads goes through readJsonFile, so each names itself when damaged.
describe("the JSON files the tool reads", () => {
  it("the sample manifest: damaged, with how to fix it", () => {
    const dir = join(root, "raw");
    mkdirSync(dir);
    writeFileSync(join(dir, SAMPLE_MANIFEST_FILE), CUT);
    expect(() => readSampleManifest(dir)).toThrow(`${join(dir, SAMPLE_MANIFEST_FILE)} is damaged: it is not valid JSON (`);
    expect(() => readSampleManifest(dir)).toThrow(`delete it, or regenerate the sample with \`npx retail-intel sample --out ${dir}\``);
  });

  it("features.json beside the processed tables", async () => {
    const dir = join(root, "processed");
    mkdirSync(dir);
    pl.DataFrame({ ds: [new Date(0)], y: [1], orders: [1] }).writeParquet(join(dir, "daily_revenue.parquet"));
    writeFileSync(join(dir, FEATURES_MANIFEST_FILE), CUT);
    await expect(readDailyRevenue(dir)).rejects.toThrow(`features manifest ${join(dir, FEATURES_MANIFEST_FILE)} is not valid JSON (`);
  });

  it("an experiment file", () => {
    const path = join(root, "plan.json");
    writeFileSync(path, CUT);
    expect(() => readExperimentPlan(path)).toThrow(`experiment file ${path} is not valid JSON (`);
  });

  it("a notebook", () => {
    const path = join(root, "09-broken.ipynb");
    writeFileSync(path, CUT);
    expect(() => readNotebookInfo(path)).toThrow(`notebook ${path} is not valid JSON (`);
  });

  it("an unsent-run-data file", async () => {
    const path = join(root, ".unsent-run.json");
    writeFileSync(path, CUT);
    await expect(replayUnsent(path)).rejects.toThrow(`unsent-run-data file ${path} is not valid JSON (`);
  });
});
