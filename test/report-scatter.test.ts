import type { TopLevelSpec } from "vega-lite";
import { describe, expect, it } from "vitest";
import { VEGA_LITE_SCHEMA, compileSpec, renderSvg, scatterChart, specTitle } from "../src/report/index.js";

type Row = Record<string, unknown>;
const asRecord = (x: unknown): Record<string, unknown> => x as Record<string, unknown>;
const valuesOf = (spec: TopLevelSpec): Row[] => (spec as { data: { values: Row[] } }).data.values;
const encodingOf = (spec: TopLevelSpec): Record<string, Record<string, unknown>> => asRecord(spec)["encoding"] as Record<string, Record<string, unknown>>;

/** Compiles with the installed vega-lite through the report's own helper; any warning fails, errors throw. */
async function compileStrict(spec: TopLevelSpec): Promise<void> {
  const warnings: string[] = [];
  await compileSpec(spec, { onWarning: (message) => warnings.push(message) });
  expect(warnings).toEqual([]);
}

const points = [
  { x: -1.5, y: 0.25, category: "toys", productId: "p1", sales: 12 },
  { x: 0, y: -2, category: "books", productId: "p2", sales: 7 },
  { x: 2.75, y: 1, category: "other", productId: "p3", sales: 3 },
];

describe("scatterChart", () => {
  it("plots y against x as circles, coloured by a nominal field when given", async () => {
    const spec = scatterChart({ title: "Item map", subtitle: "two-tower embeddings", data: points, x: "x", y: "y", color: "category", tooltip: ["productId", "sales"], xTitle: "PC 1", yTitle: "PC 2" });
    expect(spec.$schema).toBe(VEGA_LITE_SCHEMA);
    expect(specTitle(spec)).toBe("Item map");
    expect(asRecord(asRecord(spec)["mark"])["type"]).toBe("circle");
    const enc = encodingOf(spec);
    expect(enc["x"]).toMatchObject({ field: "x", type: "quantitative", title: "PC 1" });
    expect(enc["y"]).toMatchObject({ field: "y", type: "quantitative", title: "PC 2" });
    expect(enc["color"]).toMatchObject({ field: "category", type: "nominal" });
    const tooltipFields = (enc["tooltip"] as unknown as { field: string }[]).map((t) => t.field);
    expect(tooltipFields).toEqual(expect.arrayContaining(["productId", "sales", "category"]));
    expect(valuesOf(spec)).toEqual(points);
    await compileStrict(spec);
  });

  it("has no colour channel (one fixed mark colour) without `color`", async () => {
    const spec = scatterChart({ title: "Plain", data: points, x: "x", y: "y" });
    const enc = encodingOf(spec);
    expect(enc["color"]).toBeUndefined();
    expect(typeof asRecord(asRecord(spec)["mark"])["color"]).toBe("string");
    expect(enc["x"]).toMatchObject({ field: "x", title: "x" });
    expect(valuesOf(spec)).toEqual(points);
    await compileStrict(spec);
  });

  it("reads field names with dots literally", async () => {
    const rows = points.map((p) => ({ "pc.1": p.x, "pc.2": p.y, "item.category": p.category }));
    const spec = scatterChart({ title: "Dotted", data: rows, x: "pc.1", y: "pc.2", color: "item.category" });
    expect(encodingOf(spec)["x"]!["field"]).toBe("pc\\.1");
    expect(valuesOf(spec)).toEqual(rows);
    await compileStrict(spec);
  });

  it("renders one symbol per data row", async () => {
    const spec = scatterChart({ title: "Rendered", data: points, x: "x", y: "y", color: "category" });
    const warnings: string[] = [];
    const svg = await renderSvg(spec, { onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
    const symbols = svg.match(/<g class="mark-symbol role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/);
    expect(symbols).not.toBeNull();
    expect((symbols![1]!.match(/<path /g) ?? []).length).toBe(points.length);
  });
});
