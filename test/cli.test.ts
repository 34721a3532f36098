import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../src/cli/main.js";
import type { QualityReport } from "../src/data/quality-report.js";
import type { FeaturesManifest } from "../src/features/write-features.js";
import { spawnCli, type CliResult } from "./support/cli-process.js";

const root = mkdtempSync(join(tmpdir(), "retail-intel-cli-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cli = (...args: string[]): CliResult => spawnCli(root, ...args);

describe("npx retail-intel", () => {
  it("has --help on every command, exit 0", () => {
    const top = cli("--help");
    expect(top.status).toBe(0);
    for (const command of COMMANDS) {
      expect(top.stdout).toContain(command.name);
      const help = cli(command.name, "--help");
      expect(help.status).toBe(0);
      expect(help.stdout).toContain(`Usage: npx retail-intel ${command.name}`);
      for (const flag of Object.keys(command.options)) expect(help.stdout).toContain(`--${flag}`);
    }
  });

  it("sample -> validate -> features on a small set, through the real entry point", () => {
    const raw = join(root, "raw");
    const sample = cli("sample", "--out", raw, "--orders", "1500", "--seed", "cli");
    expect(sample.status).toBe(0);
    expect(readdirSync(raw)).toHaveLength(10); // nine tables + manifest

    const reportPath = join(root, "quality.json");
    const validate = cli("validate", "--raw", raw, "--report", reportPath);
    expect(validate.status).toBe(0);
    expect(validate.stdout).toMatch(/generated Olist-like sample \(seed "cli", 1,500 orders/);
    const report = JSON.parse(readFileSync(reportPath, "utf8")) as QualityReport;
    expect(report.origin.kind).toBe("generated-sample");
    expect(report.tables.find((t) => t.table === "orders")?.rows).toBe(1500);
    expect(report.referentialIntegrity.every((fk) => fk.orphans === 0)).toBe(true);

    const out = join(root, "processed");
    const features = cli("features", "--raw", raw, "--out", out);
    expect(features.status).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, "features.json"), "utf8")) as FeaturesManifest;
    expect(manifest.tables["order_facts"]?.rows).toBe(1500);
    expect(readdirSync(out).filter((f) => f.endsWith(".parquet"))).toHaveLength(6);
  });

  it("same seed through the CLI gives byte-identical files", () => {
    const a = join(root, "a");
    const b = join(root, "b");
    expect(cli("sample", "--out", a, "--orders", "300", "--seed", "same").status).toBe(0);
    expect(cli("sample", "--out", b, "--orders", "300", "--seed", "same").status).toBe(0);
    for (const file of readdirSync(a)) expect(readFileSync(join(b, file)).equals(readFileSync(join(a, file)))).toBe(true);
  });

  it("fails with exit 1 and a message naming the missing file when the folder is empty", () => {
    const empty = mkdtempSync(join(root, "empty-"));
    const result = cli("validate", "--raw", empty, "--report", join(empty, "q.json"));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/olist_customers_dataset\.csv: file not found/);
    expect(existsSync(join(empty, "q.json"))).toBe(false);
  });

  it("rejects wrong usage with exit 2 and the command's help", () => {
    const result = cli("sample", "--orders", "abc", "--out", join(root, "x"));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--orders must be a positive integer/);
    expect(result.stderr).toMatch(/Usage: npx retail-intel sample/);
    expect(cli("sample").status).toBe(2); // --out is required
  });
});
