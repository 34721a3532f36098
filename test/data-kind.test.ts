import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { detectDataOrigin } from "../src/data/data-kind.js";
import { OLIST_TABLES, type TableName } from "../src/data/olist-schema.js";
import { SAMPLE_MANIFEST_FILE, sampleManifest } from "../src/data/sample/index.js";

const dir = mkdtempSync(join(tmpdir(), "retail-intel-kind-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const realCounts = Object.fromEntries(OLIST_TABLES.map((t) => [t.name, t.realRowCount])) as Record<TableName, number>;

describe("which data a folder holds", () => {
  it("recognises the full Kaggle release by its nine row counts", () => {
    expect(detectDataOrigin(dir, realCounts).kind).toBe("olist-kaggle");
  });

  it("calls other row counts Olist-format data and names the tables that differ", () => {
    const origin = detectDataOrigin(dir, { ...realCounts, orders: 5000 });
    expect(origin.kind).toBe("olist-format");
    expect(origin.description).toMatch(/orders 5,000 vs 99,441/);
    expect(origin.description).not.toMatch(/customers/);
  });

  it("recognises the generated sample by its manifest, even at the real row counts", () => {
    writeFileSync(join(dir, SAMPLE_MANIFEST_FILE), sampleManifest({ orders: 99_441, seed: "s" }));
    const origin = detectDataOrigin(dir, realCounts);
    expect(origin.kind).toBe("generated-sample");
    expect(origin.sample).toEqual({ seed: "s", orders: 99_441 });
    expect(origin.description).toMatch(/not real Olist data/);
  });
});
