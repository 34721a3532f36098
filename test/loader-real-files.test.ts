import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTable } from "../src/data/load-table.js";
import { tableSpec, type TableName } from "../src/data/olist-schema.js";

// Four of the nine real Olist files live outside the repository (never committed); use them when present.
const REAL_DIR = join(import.meta.dirname, "..", "..", "shared", "olist");
const haveReal = existsSync(join(REAL_DIR, "olist_products_dataset.csv.gz"));

describe.skipIf(!haveReal)("loader on the real Olist files", () => {
  const cases: [TableName, number][] = [
    ["order_payments", 103_886],
    ["products", 32_951],
    ["sellers", 3_095],
    ["category_translation", 71],
  ];
  for (const [name, rows] of cases) {
    it(`reads ${name} with the known row count and every column typed`, () => {
      const table = loadTable(REAL_DIR, tableSpec(name));
      expect(table.frame.height).toBe(rows);
      expect(table.spec.realRowCount).toBe(rows);
      expect(table.frame.columns).toEqual(tableSpec(name).columns.map((c) => c.name));
      // No real file has multi-line records: the last row sits on line rows + 1.
      expect(table.rowLines[rows - 1]).toBe(rows + 1);
    });
  }

  it("handles the translation file's BOM, CRLF and missing final newline", () => {
    const table = loadTable(REAL_DIR, tableSpec("category_translation"));
    expect(table.frame.columns[0]).toBe("product_category_name");
    const english = table.frame.getColumn("product_category_name_english").toArray() as string[];
    expect(english.every((e) => !e.endsWith("\r"))).toBe(true);
    expect(english).toContain("security_and_services");
  });

  it("unquotes mixed-quoted values, including seller cities that contain commas", () => {
    const sellers = loadTable(REAL_DIR, tableSpec("sellers")).frame;
    const zips = sellers.getColumn("seller_zip_code_prefix").toArray() as string[];
    expect(zips).toContain("04195");
    const cities = sellers.getColumn("seller_city").toArray() as string[];
    expect(cities.some((c) => c.includes(","))).toBe(true);
    expect(cities.some((c) => c.startsWith('"'))).toBe(false);
  });

  it("keeps the real quirks that the schema allows: 0 instalments, empty categories", () => {
    const payments = loadTable(REAL_DIR, tableSpec("order_payments")).frame;
    expect(payments.getColumn("payment_installments").min()).toBe(0);
    const products = loadTable(REAL_DIR, tableSpec("products")).frame;
    expect(products.getColumn("product_category_name").nullCount()).toBe(610);
  });
});
