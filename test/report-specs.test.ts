import { compile, type TopLevelSpec } from "vega-lite";
import { describe, expect, it } from "vitest";
import {
  BRL_FORMAT,
  DAILY_SERIES,
  MOVING_AVERAGE_SERIES,
  OTHER_CATEGORY,
  VEGA_LITE_SCHEMA,
  barChart,
  histogram,
  lineChart,
  missingValuesChart,
  ordersPerDayChart,
  ordersPerWeekChart,
  revenueByCategoryChart,
  specTitle,
  stackedBarChart,
  statusMixChart,
} from "../src/report/index.js";

type Row = Record<string, unknown>;

/** Compiles with the installed vega-lite; any warning or error fails the test. */
function compileStrict(spec: TopLevelSpec): void {
  const problems: string[] = [];
  const record = (kind: string) => (...args: unknown[]) => {
    problems.push(`${kind}: ${args.map(String).join(" ")}`);
    return logger;
  };
  const logger = {
    level: () => logger,
    warn: record("warn"),
    error: record("error"),
    info: () => logger,
    debug: () => logger,
  };
  compile(spec, { logger: logger as never });
  expect(problems).toEqual([]);
}

const valuesOf = (spec: TopLevelSpec): Row[] => {
  const data = (spec as { data?: { values?: Row[] } }).data;
  if (!data?.values) throw new Error("spec has no inline values");
  return data.values;
};
const asRecord = (x: unknown): Record<string, unknown> => x as Record<string, unknown>;
const encodingOf = (spec: TopLevelSpec, layer?: number): Record<string, Record<string, unknown>> => {
  const s = asRecord(spec);
  const unit = layer === undefined ? s : asRecord((s["layer"] as unknown[])[layer]);
  return unit["encoding"] as Record<string, Record<string, unknown>>;
};

const day = (i: number): Date => new Date(Date.UTC(2017, 10, 1 + i)); // 2017-11-01 is a Wednesday
const dailyRows = Array.from({ length: 21 }, (_, i) => ({ ds: day(i), orders: i + 1 }));

function expectReportBasics(spec: TopLevelSpec, title: string): void {
  expect(spec.$schema).toBe(VEGA_LITE_SCHEMA);
  expect(specTitle(spec)).toBe(title);
  const s = asRecord(spec);
  expect(typeof s["width"]).toBe("number");
  expect(typeof s["height"]).toBe("number");
  // Valid JSON: serialising and parsing gives the same object (a Date would not survive).
  expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  compileStrict(spec);
}

describe("generic builders", () => {
  it("lineChart: temporal x on a UTC scale, dates serialised as YYYY-MM-DD, formats on y", () => {
    const spec = lineChart({ title: "Revenue", data: dailyRows.map((r) => ({ ds: r.ds, y: r.orders * 10.5 })), x: "ds", y: "y", yFormat: BRL_FORMAT, yTitle: "revenue" });
    expectReportBasics(spec, "Revenue");
    expect(valuesOf(spec)[0]).toEqual({ ds: "2017-11-01", y: 10.5 });
    const enc = encodingOf(spec);
    expect(enc["x"]).toMatchObject({ field: "ds", type: "temporal", scale: { type: "utc" } });
    expect(enc["y"]).toMatchObject({ field: "y", type: "quantitative", title: "revenue" });
    expect(enc["tooltip"]).toContainEqual(expect.objectContaining({ field: "y", format: BRL_FORMAT }));
  });

  it("lineChart: quantitative x and a colour field make one line per series", () => {
    const data = [
      { k: 1, v: 2, s: "a" },
      { k: 2, v: 3, s: "b" },
    ];
    const spec = lineChart({ title: "L", data, x: "k", y: "v", xType: "quantitative", color: "s" });
    expectReportBasics(spec, "L");
    expect(encodingOf(spec)["x"]).toMatchObject({ field: "k", type: "quantitative" });
    expect(encodingOf(spec)["color"]).toMatchObject({ field: "s", type: "nominal" });
  });

  it("lineChart rejects a string that is not a date on a temporal axis", () => {
    expect(() => lineChart({ title: "x", data: [{ d: "yesterday", v: 1 }], x: "d", y: "v" })).toThrow(/not a date: "yesterday"/);
  });

  it("barChart: vertical by default, sorted descending by value; ascending and none map to vega-lite sorts", () => {
    const data = [
      { c: "a", v: 1 },
      { c: "b", v: 3 },
    ];
    const vertical = barChart({ title: "B", data, category: "c", value: "v" });
    expectReportBasics(vertical, "B");
    expect(encodingOf(vertical)["x"]).toMatchObject({ field: "c", type: "nominal", sort: { field: "v", op: "sum", order: "descending" } });
    expect(encodingOf(vertical)["y"]).toMatchObject({ field: "v", type: "quantitative" });
    const horizontal = barChart({ title: "H", data, category: "c", value: "v", horizontal: true, sort: "ascending" });
    expectReportBasics(horizontal, "H");
    expect(encodingOf(horizontal)["y"]).toMatchObject({ field: "c", sort: { field: "v", order: "ascending" } });
    expect(encodingOf(horizontal)["x"]).toMatchObject({ field: "v" });
    expect(encodingOf(barChart({ title: "N", data, category: "c", value: "v", sort: "none" }))["x"]).toMatchObject({ sort: null });
  });

  it("barChart with labels layers a text mark over the bars", () => {
    const spec = barChart({ title: "B", data: [{ c: "a", v: 1234.5 }], category: "c", value: "v", horizontal: true, labelFormat: BRL_FORMAT });
    expectReportBasics(spec, "B");
    const layers = asRecord(spec)["layer"] as Row[];
    expect(layers.map((l) => asRecord(l["mark"])["type"])).toEqual(["bar", "text"]);
    expect(encodingOf(spec, 1)["text"]).toMatchObject({ field: "v", format: BRL_FORMAT });
  });

  it("stackedBarChart stacks a nominal field (absolute or normalised)", () => {
    const data = [
      { c: "a", s: "x", v: 1 },
      { c: "a", s: "y", v: 2 },
      { c: "b", s: "x", v: 3 },
    ];
    const spec = stackedBarChart({ title: "S", data, category: "c", value: "v", stack: "s" });
    expectReportBasics(spec, "S");
    expect(encodingOf(spec)["color"]).toMatchObject({ field: "s" });
    expect(encodingOf(spec)["y"]).toMatchObject({ aggregate: "sum", stack: "zero" });
    const normalized = stackedBarChart({ title: "S2", data, category: "c", value: "v", stack: "s", normalize: true, horizontal: true });
    expectReportBasics(normalized, "S2");
    expect(encodingOf(normalized)["x"]).toMatchObject({ stack: "normalize" });
  });

  it("histogram bins the field with maxbins and counts rows", () => {
    const spec = histogram({ title: "Prices", data: [{ p: 1 }, { p: 2.5 }, { p: null }], field: "p", maxbins: 12 });
    expectReportBasics(spec, "Prices");
    expect(encodingOf(spec)["x"]).toMatchObject({ field: "p", bin: { maxbins: 12 } });
    expect(encodingOf(spec)["y"]).toMatchObject({ aggregate: "count" });
  });

  it("a field name with quotes stays a valid expression in filters", () => {
    const spec = histogram({ title: "Q", data: [{ 'a"b': 1 }], field: 'a"b' });
    expectReportBasics(spec, "Q");
  });
});

describe("domain charts", () => {
  it("ordersPerDayChart: daily series plus a 7-day trailing mean layer, ISO dates", () => {
    const spec = ordersPerDayChart(dailyRows);
    expectReportBasics(spec, "Orders per day");
    const values = valuesOf(spec);
    const daily = values.filter((v) => v["series"] === DAILY_SERIES);
    const mean = values.filter((v) => v["series"] === MOVING_AVERAGE_SERIES);
    expect(daily).toHaveLength(21);
    expect(daily[0]).toEqual({ ds: "2017-11-01", series: DAILY_SERIES, orders: 1 });
    // The first mean is on the 7th day: (1 + ... + 7) / 7 = 4; the last: (15 + ... + 21) / 7 = 18.
    expect(mean).toHaveLength(15);
    expect(mean[0]).toEqual({ ds: "2017-11-07", series: MOVING_AVERAGE_SERIES, orders: 4 });
    expect(mean.at(-1)).toEqual({ ds: "2017-11-21", series: MOVING_AVERAGE_SERIES, orders: 18 });
    expect((asRecord(spec)["layer"] as unknown[]).length).toBe(2);
    expect(encodingOf(spec, 1)["x"]).toMatchObject({ field: "ds", type: "temporal" });
  });

  it("ordersPerDayChart accepts ISO strings and counts a missing day as 0 in the mean", () => {
    const rows = [
      { ds: "2017-01-01", orders: 7 },
      { ds: "2017-01-07T10:00:00Z", orders: 7 },
    ];
    const values = valuesOf(ordersPerDayChart(rows));
    expect(values.filter((v) => v["series"] === MOVING_AVERAGE_SERIES)).toEqual([{ ds: "2017-01-07", series: MOVING_AVERAGE_SERIES, orders: 2 }]);
  });

  it("ordersPerWeekChart: ISO weeks from Monday, x..x2 spanning the week, partial weeks flagged", () => {
    const spec = ordersPerWeekChart(dailyRows);
    expectReportBasics(spec, "Orders per week");
    // 2017-11-01 (Wed) .. 2017-11-21 (Tue): weeks of Oct 30 (5 days), Nov 6, Nov 13, Nov 20 (2 days).
    expect(valuesOf(spec)).toEqual([
      { week: "2017-10-30", weekEnd: "2017-11-06", orders: 1 + 2 + 3 + 4 + 5, days: 5 },
      { week: "2017-11-06", weekEnd: "2017-11-13", orders: 6 + 7 + 8 + 9 + 10 + 11 + 12, days: 7 },
      { week: "2017-11-13", weekEnd: "2017-11-20", orders: 13 + 14 + 15 + 16 + 17 + 18 + 19, days: 7 },
      { week: "2017-11-20", weekEnd: "2017-11-27", orders: 20 + 21, days: 2 },
    ]);
    expect(encodingOf(spec)["x2"]).toEqual({ field: "weekEnd" });
  });

  it("ordersPerWeekChart also takes weekly rows (week = Monday, as ordersPerWeek gives them)", () => {
    const spec = ordersPerWeekChart([
      { week: "2017-11-06", orders: 70 },
      { week: new Date(Date.UTC(2017, 10, 13)), orders: 80 },
    ]);
    expectReportBasics(spec, "Orders per week");
    expect(valuesOf(spec)).toEqual([
      { week: "2017-11-06", weekEnd: "2017-11-13", orders: 70, days: null },
      { week: "2017-11-13", weekEnd: "2017-11-20", orders: 80, days: null },
    ]);
    expect(asRecord(spec.title)["subtitle"]).toBe("ISO weeks (Monday to Sunday)");
  });

  it("revenueByCategoryChart keeps the top N largest and sums the rest into 'other' (total preserved)", () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ category: `cat_${String(i).padStart(2, "0")}`, revenue: 100 * (i + 1) }));
    const spec = revenueByCategoryChart(rows, 5);
    expectReportBasics(spec, "Revenue by product category");
    const values = valuesOf(spec);
    expect(values.map((v) => v["category"])).toEqual(["cat_19", "cat_18", "cat_17", "cat_16", "cat_15", OTHER_CATEGORY]);
    // The other 15 categories: 100 * (1 + ... + 15) = 12,000.
    expect(values.at(-1)).toMatchObject({ category: OTHER_CATEGORY, revenue: 12_000 });
    const total = rows.reduce((s, r) => s + r.revenue, 0);
    expect(values.reduce((s, v) => s + Number(v["revenue"]), 0)).toBe(total);
    expect(values.reduce((s, v) => s + Number(v["share"]), 0)).toBeCloseTo(1, 12);
    expect(encodingOf(spec)["y"]).toMatchObject({ field: "category", sort: null });
    const enc = encodingOf(spec, 0);
    expect(enc["tooltip"]).toContainEqual(expect.objectContaining({ field: "revenue", format: BRL_FORMAT }));
    expect(JSON.stringify(enc["color"])).toContain(OTHER_CATEGORY);
  });

  it("revenueByCategoryChart: default top 15, no 'other' bar when there are at most N categories; duplicates summed", () => {
    const rows = [
      { category: "a", revenue: 1 },
      { category: "b", revenue: 5 },
      { category: "a", revenue: 10 },
    ];
    const values = valuesOf(revenueByCategoryChart(rows));
    expect(values.map((v) => [v["category"], v["revenue"]])).toEqual([
      ["a", 11],
      ["b", 5],
    ]);
    expect(valuesOf(revenueByCategoryChart(Array.from({ length: 16 }, (_, i) => ({ category: `c${i}`, revenue: i + 1 })))).at(-1)).toMatchObject({
      category: OTHER_CATEGORY,
      revenue: 1,
    });
  });

  it("statusMixChart: sorted by orders with count and share labels", () => {
    const spec = statusMixChart([
      { status: "canceled", orders: 25 },
      { status: "delivered", orders: 9_950 },
      { status: "shipped", orders: 25 },
    ]);
    expectReportBasics(spec, "Orders by status");
    expect(valuesOf(spec).map((v) => [v["status"], v["label"]])).toEqual([
      ["delivered", "9,950 (99.5%)"],
      ["canceled", "25 (0.3%)"],
      ["shipped", "25 (0.3%)"],
    ]);
  });

  it("missingValuesChart shows only columns with missing values, largest first", () => {
    const spec = missingValuesChart([
      { table: "orders", column: "order_approved_at", missingPct: 0.16 },
      { table: "orders", column: "order_id", missingPct: 0 },
      { table: "products", column: "product_category_name", missingPct: 1.85 },
    ]);
    expectReportBasics(spec, "Missing values by column");
    expect(valuesOf(spec).map((v) => [v["column"], v["missingPct"], v["label"]])).toEqual([
      ["products.product_category_name", 1.85, "1.85%"],
      ["orders.order_approved_at", 0.16, "0.16%"],
    ]);
  });

  it("missingValuesChart says so when no column has missing values", () => {
    const spec = missingValuesChart([{ table: "t", column: "c", missingPct: 0 }]);
    expectReportBasics(spec, "Missing values by column");
    expect(valuesOf(spec)).toEqual([{ text: "No missing values in any column" }]);
  });

  it("every spec carries the BRL currency locale", () => {
    const spec = revenueByCategoryChart([{ category: "a", revenue: 1 }]);
    expect(asRecord(asRecord(spec)["config"])["locale"]).toMatchObject({ number: { currency: ["R$ ", ""], thousands: "," } });
  });
});

describe("weighted histogram", () => {
  it("sums the weight field instead of counting rows, and keeps one data row per value", async () => {
    const { histogram, renderSvg } = await import("../src/report/index.js");
    const spec = histogram({ title: "w", data: [{ v: 1, n: 5 }, { v: 2, n: 3 }], field: "v", weight: "n" });
    const values = (spec as { data: { values: unknown[] } }).data.values;
    expect(values).toEqual([{ v: 1, n: 5 }, { v: 2, n: 3 }]);
    expect(JSON.stringify((spec as { encoding: { y: unknown } }).encoding.y)).toContain('"aggregate":"sum"');
    expect(await renderSvg(spec)).toContain("<svg");
  });
});
