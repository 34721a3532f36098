import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pl from "nodejs-polars";
import { afterAll, describe, expect, it } from "vitest";
import { runMain } from "./support/cli-process.js";

const dir = mkdtempSync(join(tmpdir(), "retail-intel-segment-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const quiet = runMain;

/** 300 customers in three behaviour groups, as a ready RFM table. */
function rfmCsv(): string {
  const lines = ["customer_unique_id,recency,frequency,monetary"];
  for (let i = 0; i < 300; i++) {
    const group = i % 3;
    const recency = group === 0 ? 10 + (i % 17) : group === 1 ? 200 + (i % 23) : 400 + (i % 29);
    const frequency = group === 0 ? 2 + (i % 3) : 1;
    const monetary = group === 2 ? 40 + (i % 11) : 150 + (i % 37) * 3;
    lines.push(`c${String(i).padStart(4, "0")},${recency},${frequency},${monetary}`);
  }
  return `${lines.join("\n")}\n`;
}

describe("npx retail-intel segment --rfm", () => {
  it("writes segments.parquet, the summary CSV with the issue's columns and the JSON details", async () => {
    const input = join(dir, "rfm.csv");
    writeFileSync(input, rfmCsv());
    const out = join(dir, "out");
    const result = await quiet(["segment", "--rfm", input, "--out", out]);
    expect(result.code, result.stderr).toBe(0);
    const segments = pl.readParquet(join(out, "segments.parquet"));
    expect(segments.height).toBe(300);
    expect(segments.columns).toEqual(expect.arrayContaining(["customer_unique_id", "r_score", "f_score", "m_score", "segment", "cluster"]));
    const csv = readFileSync(join(out, "segment_summary.csv"), "utf8").trimEnd().split("\n");
    expect(csv[0]).toBe("segment,customers,share,revenue,revenue_share,aov");
    expect(csv).toHaveLength(11); // header + the 10 rule segments
    const customers = csv.slice(1).reduce((sum, line) => sum + Number(line.split(",").at(-5)), 0);
    expect(customers).toBe(300);
    const details = JSON.parse(readFileSync(join(out, "segment_summary.json"), "utf8")) as { k: number; silhouetteCurve: { k: number }[]; stability: { bootstrapAri: { values: number[] } }; scoring: { recencyDays: number[]; monetaryEdges: number[]; frequencyMode: string } };
    expect(details.scoring.recencyDays).toHaveLength(4);
    expect(details.scoring.monetaryEdges).toHaveLength(4);
    expect(["repeat-and-spend", "quantiles"]).toContain(details.scoring.frequencyMode);
    expect(details.silhouetteCurve.map((p) => p.k)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(details.stability.bootstrapAri.values).toHaveLength(20);
  });

  it("names the row and column of a bad RFM table and writes nothing", async () => {
    const input = join(dir, "bad.csv");
    writeFileSync(input, "customer_unique_id,recency,frequency,monetary\na,1,1,10\nb,-4,1,10\n");
    const out = join(dir, "bad-out");
    const result = await quiet(["segment", "--rfm", input, "--out", out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bad\.csv, row 3, column 'recency'/);
    expect(existsSync(out)).toBe(false);
  });
});
