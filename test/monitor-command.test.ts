import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { monitorCommand } from "../src/cli/commands/monitor.js";
import { generateOlistSample } from "../src/data/sample/index.js";

const ORDERS = "olist_orders_dataset.csv";
const ITEMS = "olist_order_items_dataset.csv";

let dir: string;
let files: Map<string, string>;


function write(name: string, edit?: (files: Map<string, string>) => void): string {
  const copy = new Map(files);
  edit?.(copy);
  const out = mkdtempSync(join(dir, `${name}-`));
  for (const [file, text] of copy) writeFileSync(join(out, file), text);
  return out;
}

async function runMonitor(args: Record<string, string>): Promise<{ code: number; out: string }> {
  let out = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    const code = await monitorCommand.run({ "as-of": "data-end", ...args }, []);
    return { code, out };
  } finally {
    spy.mockRestore();
    err.mockRestore();
  }
}

const failRows = (out: string): string[] => out.split("\n").filter((l) => l.startsWith("FAIL "));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "monitor-"));
  files = generateOlistSample({ orders: 3000, seed: "monitor-test" });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("retail-intel monitor", () => {
  it("exits 0 or 1 consistently with its table (data end and a mid-history date)", async () => {
    const raw = write("clean");
    for (const asOf of ["data-end", "2018-08-31"]) {
      const { code, out } = await runMonitor({ raw, "as-of": asOf });
      expect(out).toContain("duplicate order_ids");
      expect(out).toContain("drift monthly: price");
      expect(out).toContain("excluded (empty by design): review_comment_title, review_comment_message");
      expect(code).toBe(failRows(out).length > 0 ? 1 : 0);
      expect(out).toContain(`Overall: ${code === 1 ? "FAIL" : out.includes("\nWARN ") ? "WARN" : "PASS"}`);
    }
  });

  it("a clean sample as of 2018-08-31 has no price drift fail; prices x10 in August fail it", async () => {
    const clean = await runMonitor({ raw: write("clean2"), "as-of": "2018-08-31" });
    expect(clean.out).toMatch(/^(PASS|WARN) +drift monthly: price /m);

    const raw = write("prices", (f) => {
      const august = new Set(
        f
          .get(ORDERS)!
          .split("\n")
          .slice(1)
          .filter((l) => l.includes(",2018-08-"))
          .map((l) => l.split(",")[0]!.replaceAll('"', "")),
      );
      expect(august.size).toBeGreaterThan(100);
      const lines = f.get(ITEMS)!.split("\n");
      const header = lines[0]!.split(",");
      const priceAt = header.findIndex((h) => h.replaceAll('"', "") === "price");
      f.set(
        ITEMS,
        lines
          .map((l, i) => {
            const cells = l.split(",");
            if (i === 0 || l === "" || !august.has(cells[0]!.replaceAll('"', ""))) return l;
            cells[priceAt] = (Number(cells[priceAt]) * 10).toFixed(2);
            return cells.join(",");
          })
          .join("\n"),
      );
    });
    const { code, out } = await runMonitor({ raw, "as-of": "2018-08-31" });
    expect(out).toMatch(/^FAIL +drift monthly: price /m);
    expect(code).toBe(1);
  });

  it("duplicated order rows make it exit 1 and name the duplicate", async () => {
    const raw = write("dups", (f) => {
      const lines = f.get(ORDERS)!.trimEnd().split("\n");
      f.set(ORDERS, `${[...lines, lines[1]!, lines[2]!].join("\n")}\n`);
    });
    const { code, out } = await runMonitor({ raw });
    expect(code).toBe(1);
    expect(out).toMatch(/^FAIL +validation /m);
    expect(out).toMatch(/^FAIL +duplicate order_ids +2 /m);
  });

  it("reads processed tables too", async () => {
    const processed = mkdtempSync(join(dir, "processed-"));
    const { loadOlist } = await import("../src/data/load-olist.js");
    const { buildOrderItemFacts } = await import("../src/features/order-item-facts.js");
    const { buildOrderFacts } = await import("../src/features/order-facts.js");
    const olist = loadOlist(write("forprocessed"));
    const items = buildOrderItemFacts(olist);
    buildOrderFacts(olist, items).writeParquet(join(processed, "order_facts.parquet"));
    items.writeParquet(join(processed, "order_item_facts.parquet"));
    const { code, out } = await runMonitor({ processed, "as-of": "2018-08-31" });
    expect(out).toContain("missing values: order_facts");
    expect(code).toBe(failRows(out).length > 0 ? 1 : 0);
    expect(readFileSync(join(processed, "order_facts.parquet")).length).toBeGreaterThan(0);
  });
});
