import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pl from "nodejs-polars";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dateExtent } from "../src/data/frame-dates.js";
import { generateOlistSample } from "../src/data/sample/index.js";
import { buildFeatureTables, type FeatureTables } from "../src/features/build-features.js";
import { profileOlist } from "../src/features/olist-profile.js";
import { ordersPerWeek, revenueByCategory, statusMix } from "../src/features/summaries.js";
import { MS_PER_DAY, NON_REVENUE_STATUSES } from "../src/features/revenue.js";
import { validateRaw, writeFeatures, type ValidationResult } from "../src/pipeline/data-steps.js";

let root: string;
let validation: ValidationResult;
let tables: FeatureTables;

const sum = (frame: pl.DataFrame, column: string): number => Number(frame.getColumn(column).sum());
const close = (a: number, b: number): void => expect(Math.abs(a - b)).toBeLessThan(1e-6 * Math.max(1, Math.abs(b)));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "retail-intel-features-"));
  for (const [file, text] of generateOlistSample({ orders: 3000, seed: "features-test" })) {
    writeFileSync(join(root, file), text);
  }
  validation = validateRaw(root, undefined);
  tables = await buildFeatureTables(validation.olist);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("feature tables reconcile with the raw tables", () => {
  it("order-item facts: one row per item, same price and freight totals", () => {
    const items = validation.olist.tables.order_items.frame;
    expect(tables.order_item_facts.height).toBe(items.height);
    close(sum(tables.order_item_facts, "price"), sum(items, "price"));
    close(sum(tables.order_item_facts, "freight_value"), sum(items, "freight_value"));
    expect(tables.order_item_facts.getColumn("category").nullCount()).toBe(0);
    expect(tables.order_item_facts.getColumn("customer_unique_id").nullCount()).toBe(0);
  });

  it("order facts: one row per order; revenue = payments of revenue-bearing orders", () => {
    const orders = validation.olist.tables.orders.frame;
    const payments = validation.olist.tables.order_payments.frame;
    expect(tables.order_facts.height).toBe(orders.height);
    const revenueOrders = orders.filter(pl.col("order_status").isIn([...NON_REVENUE_STATUSES]).not()).select("order_id");
    const expected = sum(payments.join(revenueOrders, { on: "order_id", how: "semi" }), "payment_value");
    close(sum(tables.order_facts, "revenue"), expected);
    close(sum(tables.order_facts, "items_price"), sum(validation.olist.tables.order_items.frame, "price"));
    expect(sum(tables.order_facts, "n_items")).toBe(validation.olist.tables.order_items.frame.height);
  });

  it("daily revenue: totals equal the fact table, one row per calendar day", () => {
    const daily = tables.daily_revenue;
    close(sum(daily, "y"), sum(tables.order_facts, "revenue"));
    const revenueOrders = tables.order_facts.filter(pl.col("order_status").isIn([...NON_REVENUE_STATUSES]).not()).height;
    expect(sum(daily, "orders")).toBe(revenueOrders);
    const days = (daily.getColumn("ds").toArray() as unknown as Date[]).map((d) => d.getTime());
    for (let i = 1; i < days.length; i++) expect(days[i]! - days[i - 1]!).toBe(MS_PER_DAY);
    expect(daily.columns).toEqual(["ds", "y", "orders"]);
  });

  it("RFM base: one row per person with delivered orders; frequency and monetary add up", () => {
    const rfm = tables.rfm_base;
    const delivered = tables.order_facts.filter(pl.col("order_status").eq(pl.lit("delivered")));
    expect(rfm.height).toBe(delivered.getColumn("customer_unique_id").nUnique());
    expect(sum(rfm, "frequency")).toBe(delivered.height);
    close(sum(rfm, "monetary"), sum(delivered, "revenue"));
    expect(Number(rfm.getColumn("recency_days").min())).toBeGreaterThanOrEqual(0);
    // Recency by hand for the person with the most orders.
    const top = rfm.sort("frequency", true).head(1).toRecords()[0]!;
    const theirs = delivered.filter(pl.col("customer_unique_id").eq(pl.lit(top["customer_unique_id"] as string)));
    const last = dateExtent(theirs, "order_purchase_timestamp").max.getTime();
    const reference = (top["reference_date"] as unknown as Date).getTime();
    expect(top["recency_days"]).toBe(Math.floor((reference - last) / MS_PER_DAY));
    expect(top["frequency"]).toBe(theirs.height);
    // The reference date is the day after the last purchase, at midnight.
    const lastPurchase = dateExtent(tables.order_facts, "order_purchase_timestamp").max.getTime();
    expect(reference).toBe(Math.floor(lastPurchase / MS_PER_DAY) * MS_PER_DAY + MS_PER_DAY);
  });

  it("user and item features cover every person and every product", () => {
    expect(tables.user_features.height).toBe(tables.rfm_base.height);
    expect(tables.item_features.height).toBe(validation.olist.tables.products.frame.height);
    const deliveredItems = tables.order_item_facts.filter(pl.col("order_status").eq(pl.lit("delivered"))).height;
    expect(sum(tables.item_features, "n_sold")).toBe(deliveredItems);
    const shares = tables.user_features.select(
      pl.sumHorizontal(["share_credit_card", "share_boleto", "share_voucher", "share_debit_card"]).alias("s"),
    );
    expect(Number(shares.getColumn("s").max())).toBeLessThanOrEqual(1 + 1e-9);
  });
});

describe("chart summaries add up", () => {
  it("revenue by category, orders per week and the status mix reconcile with the fact tables", () => {
    const total = sum(tables.daily_revenue, "y");
    close(revenueByCategory(tables.order_facts, tables.order_item_facts).reduce((s, r) => s + r.revenue, 0), total);
    const weeks = ordersPerWeek(tables.daily_revenue);
    expect(weeks.reduce((s, w) => s + w.orders, 0)).toBe(sum(tables.daily_revenue, "orders"));
    expect(weeks.every((w) => new Date(`${w.week}T00:00:00Z`).getUTCDay() === 1)).toBe(true);
    expect(statusMix(tables.order_facts).reduce((s, r) => s + r.orders, 0)).toBe(tables.order_facts.height);
  });
});

describe("the Olist profile", () => {
  it("counts repeat buyers and basket sizes as the raw tables do", () => {
    const profile = profileOlist(tables);
    const customers = validation.olist.tables.customers.frame;
    const ordersPerPerson = new Map<string, number>();
    for (const person of customers.getColumn("customer_unique_id").toArray() as string[]) {
      ordersPerPerson.set(person, (ordersPerPerson.get(person) ?? 0) + 1);
    }
    expect(profile.people).toBe(ordersPerPerson.size);
    expect(profile.repeatPeople).toBe([...ordersPerPerson.values()].filter((n) => n > 1).length);
    const items = validation.olist.tables.order_items.frame;
    const ordersWithItems = items.getColumn("order_id").nUnique();
    close(profile.itemsPerOrder, items.height / ordersWithItems);
    close(Object.values(profile.statusShares).reduce((a, b) => a + b, 0), 1);
    expect(profile.sameCategoryReturnShare).toBeGreaterThan(0);
    expect(profile.sameCategoryReturnShare).toBeLessThan(1);
  });
});

describe("writing the processed tables", () => {
  it("writes every table as Parquet that reads back, and leaves no temporary file", async () => {
    const out = join(root, "processed");
    const manifest = await writeFeatures(validation, out);
    const files = readdirSync(out).sort();
    expect(files).toEqual([...Object.keys(tables).map((t) => `${t}.parquet`), "features.json"].sort());
    for (const [name, entry] of Object.entries(manifest.tables)) {
      const back = pl.readParquet(join(out, entry.file));
      expect(back.height).toBe(tables[name as keyof FeatureTables].height);
    }
    expect(manifest.origin.kind).toBe("olist-format");
  });
});
