import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SAMPLE_MANIFEST_FILE } from "../src/data/sample/index.js";
import { ensureRawData, metricKeyPart, rfmFrame } from "../src/pipeline/notebook-support.js";
import { PARAMS_ENV } from "../src/pipeline/params.js";

describe("notebook helpers", () => {
  it("turns segment names into MLflow-safe key parts", () => {
    expect(metricKeyPart("Can't Lose Them")).toBe("cant_lose_them");
    expect(metricKeyPart("At Risk")).toBe("at_risk");
    expect(metricKeyPart("  Loyal Customers ")).toBe("loyal_customers");
  });

  it("builds an RFM frame with one row per customer", () => {
    const frame = rfmFrame([
      { recencyDays: 3, frequency: 1, monetary: 10 },
      { recencyDays: 40, frequency: 2, monetary: 99.5 },
    ]);
    expect(frame.columns).toEqual(["recency_days", "frequency", "monetary"]);
    expect(frame.getColumn("monetary").toArray()).toEqual([10, 99.5]);
  });
});

describe("ensureRawData: sample parameters are honoured or refused, never ignored", () => {
  const dir = mkdtempSync(join(tmpdir(), "retail-intel-raw-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const manifest = (rawDir: string) => JSON.parse(readFileSync(join(rawDir, SAMPLE_MANIFEST_FILE), "utf8")) as { orders: number; seed: string };
  const params = (rawDir: string, sampleOrders: number, sampleSeed: string) => ({ rawDir, sampleOrders, sampleSeed });

  it("generates the sample into a folder without Olist files, and keeps it while the parameters match", async () => {
    const raw = join(dir, "empty");
    const first = await ensureRawData(params(raw, 300, "a"), {});
    expect(first.generated).toBe(true);
    expect(first.message).toMatch(/generated the sample there \(300 orders, seed "a"\)/);
    expect(manifest(raw)).toMatchObject({ orders: 300, seed: "a" });
    const again = await ensureRawData(params(raw, 300, "a"), {});
    expect(again).toEqual({ generated: false, message: `using the generated sample in ${raw} (300 orders, seed "a")` });
  });

  it("generates the sample again when its manifest says another size or seed", async () => {
    const raw = join(dir, "resized");
    await ensureRawData(params(raw, 300, "a"), {});
    const resized = await ensureRawData(params(raw, 200, "a"), {});
    expect(resized.generated).toBe(true);
    expect(resized.message).toMatch(/held the generated sample with 300 orders, seed "a": generated it again with 200 orders, seed "a"/);
    expect(manifest(raw)).toMatchObject({ orders: 200, seed: "a" });
    expect(readFileSync(join(raw, "olist_orders_dataset.csv"), "utf8").trim().split("\n")).toHaveLength(201);
    await ensureRawData(params(raw, 200, "b"), {});
    expect(manifest(raw).seed).toBe("b");
  });

  it("on Olist files that were not generated: uses them, and refuses a sample parameter the runner passed", async () => {
    const raw = join(dir, "real");
    await ensureRawData(params(raw, 300, "a"), {});
    rmSync(join(raw, SAMPLE_MANIFEST_FILE)); // now indistinguishable from real Olist files
    const before = readFileSync(join(raw, "olist_orders_dataset.csv"), "utf8");
    const used = await ensureRawData(params(raw, 100000, "olist"), {});
    expect(used.generated).toBe(false);
    expect(used.message).toMatch(/using the Olist files in .*sampleOrders and sampleSeed apply only to the generated sample/);
    await expect(ensureRawData(params(raw, 20000, "olist"), { [PARAMS_ENV]: '{"sampleOrders":20000}' })).rejects.toThrow(
      /parameter 'sampleOrders' cannot take effect: .* holds Olist files that were not generated/,
    );
    await expect(ensureRawData(params(raw, 100000, "x"), { [PARAMS_ENV]: '{"sampleSeed":"x","rawDir":"y"}' })).rejects.toThrow(/parameter 'sampleSeed' cannot take effect/);
    expect(readFileSync(join(raw, "olist_orders_dataset.csv"), "utf8")).toBe(before);
    expect(existsSync(join(raw, SAMPLE_MANIFEST_FILE))).toBe(false);
  });
});
