import { readdirSync, readFileSync } from "node:fs";
import { join, posix, relative, sep } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The layers of src/ (DESIGN.md), lowest first. A file may import from its own layer entry (folder or
 * root file) and from entries on lower rows; entries on one row are side by side and import none of
 * each other. A new folder or root file must be placed here before its imports pass.
 */
const LAYERS: readonly (readonly string[])[] = [
  ["io", "stats"], // foundations: import nothing of ours
  ["data"],
  ["features"],
  ["forecast", "segment", "recommend", "monitor"], // the models
  ["tracking", "report", "store"],
  ["pipeline"],
  ["serve"], // the HTTP API over the models the pipeline wrote or registered
  ["notebook-api.ts"], // what the notebooks load
  ["cli"],
];

const SRC = join(import.meta.dirname, "..", "src");
const SOURCE = /\.(ts|cts|mts|js|cjs|mjs)$/;

function rankOf(entry: string): number | undefined {
  const rank = LAYERS.findIndex((row) => row.includes(entry));
  return rank === -1 ? undefined : rank;
}

/** The layer entry of a path relative to src/ (posix): its first folder, or the file name at the root. */
function entryOf(srcPath: string): string {
  return srcPath.split("/")[0]!;
}

/**
 * Why the import `specifier` in the src file `from` (relative to src/, posix) breaks the layering,
 * or undefined when it does not. Only relative specifiers that land inside src/ are ours.
 */
function arrowViolation(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const target = posix.normalize(posix.join(posix.dirname(from), specifier));
  if (target.startsWith("../")) return undefined;
  const own = entryOf(from);
  const other = entryOf(target);
  if (own === other) return undefined;
  const ownRank = rankOf(own);
  const otherRank = rankOf(other);
  if (ownRank === undefined) return `src/${from}: '${own}' has no place in the layers of test/layers.test.ts`;
  if (otherRank === undefined) return `src/${from} imports '${specifier}': '${other}' has no place in the layers of test/layers.test.ts`;
  if (otherRank < ownRank) return undefined;
  const how = otherRank === ownRank ? "a layer beside it" : "a higher layer";
  return `src/${from} imports '${specifier}' from ${how} (${own} -> ${other})`;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts") && !entry.name.endsWith(".d.cts") ? [path] : [];
  });
}

/** Import, export-from, dynamic import() and require() specifiers, comments and strings aside. */
function specifiersOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles.map((f) => f.fileName);
}

describe("layers point one way", () => {
  it("flags an arrow that runs up or sideways, and lets one run down", () => {
    expect(arrowViolation("io/csv-records.ts", "../data/errors.js")).toBe("src/io/csv-records.ts imports '../data/errors.js' from a higher layer (io -> data)");
    expect(arrowViolation("notebook-api.ts", "./cli/commands/recommend-eval.js")).toMatch(/from a higher layer \(notebook-api.ts -> cli\)/);
    expect(arrowViolation("forecast/metrics.ts", "../monitor/psi.js")).toMatch(/from a layer beside it \(forecast -> monitor\)/);
    expect(arrowViolation("forecast/metrics.ts", "../stats/descriptive.js")).toBeUndefined();
    expect(arrowViolation("cli/commands/forecast.ts", "../../forecast/prophet.js")).toBeUndefined();
    expect(arrowViolation("forecast/metrics.ts", "./baselines.js")).toBeUndefined();
    expect(arrowViolation("forecast/metrics.ts", "simple-statistics")).toBeUndefined();
    expect(arrowViolation("newfolder/x.ts", "../io/time.js")).toMatch(/'newfolder' has no place in the layers/);
  });

  it("reads the specifiers of imports, re-exports, import() and require(), not of comments", () => {
    const source = [
      'import { a } from "../data/a.js";',
      'export { b } from "./b.js";',
      'import type {\n  C,\n} from "../c.js";',
      'const d = await import("../d.js");',
      'const e = require("../e.cjs");',
      '// import { f } from "../f.js";',
    ].join("\n");
    expect(ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName)).toEqual(["../data/a.js", "./b.js", "../c.js", "../d.js", "../e.cjs"]);
  });

  it("no file in src/ imports from a higher layer or a layer beside it", () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(100);
    const violations = files.flatMap((file) => {
      const from = relative(SRC, file).split(sep).join("/");
      return specifiersOf(file).flatMap((specifier) => arrowViolation(from, specifier) ?? []);
    });
    expect(violations).toEqual([]);
  });
});
