import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import {
  barChart,
  compileSpec,
  histogram,
  loadVega,
  missingValuesChart,
  ordersPerDayChart,
  ordersPerWeekChart,
  renderSvg,
  revenueByCategoryChart,
  statusMixChart,
} from "../src/report/index.js";

const count = (svg: string, pattern: RegExp): number => (svg.match(pattern) ?? []).length;
const BAR = /aria-roledescription="bar"/g;
const LINE = /aria-roledescription="line mark"/g;

describe("loadVega", () => {
  it("loads vega and vega-lite once, with this module's own import() outside tslab", async () => {
    const first = await loadVega();
    const second = await loadVega();
    expect(second).toBe(first);
    expect(first.loadedWith).toBe("import");
    expect(typeof first.vega.View).toBe("function");
    expect(typeof first.vegaLite.compile).toBe("function");
  });

  it("esm-import.cjs imports the ESM-only packages from CommonJS (the tslab route)", async () => {
    const require = createRequire(import.meta.url);
    const importEsm = require("../src/report/esm-import.cjs") as (s: string) => Promise<{ version: string }>;
    const vegaLite = await importEsm("vega-lite");
    expect(vegaLite.version).toBe((await loadVega()).vegaLite.version);
  });

  it("falls back to esm-import.cjs when compiled to CommonJS the way tslab compiles (import() becomes require())", async () => {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
    const dir = mkdtempSync(join(tmpdir(), "report-cjs-"));
    try {
      // TypeScript with module CommonJS (as tslab does) rewrites `await import("vega")` to a require(),
      // which fails on vega's top-level await (ERR_REQUIRE_ASYNC_MODULE) and triggers the fallback.
      const source = readFileSync(join(root, "src", "report", "render.ts"), "utf8");
      const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
      expect(js).toContain('require("vega")');
      writeFileSync(join(dir, "render.cjs"), js);
      copyFileSync(join(root, "src", "report", "esm-import.cjs"), join(dir, "esm-import.cjs"));
      symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
      const cjs = createRequire(join(dir, "index.cjs"))("./render.cjs") as typeof import("../src/report/render.js");
      const loaded = await cjs.loadVega();
      expect(loaded.loadedWith).toBe("esm-import.cjs");
      const svg = await cjs.renderSvg(barChart({ title: "cjs", data: [{ c: "a", v: 1 }], category: "c", value: "v" }));
      expect(count(svg, BAR)).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("renderSvg", () => {
  it("renders one bar per category, the title and the axis titles", async () => {
    const spec = barChart({
      title: "Sales <by> shop",
      data: [
        { shop: "north", sales: 3 },
        { shop: "south", sales: 5 },
        { shop: "east", sales: 1 },
      ],
      category: "shop",
      value: "sales",
    });
    const svg = await renderSvg(spec);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain(">Sales &lt;by&gt; shop</text>");
    expect(count(svg, BAR)).toBe(3);
    for (const shop of ["north", "south", "east"]) expect(svg).toContain(`>${shop}</text>`);
  });

  it("ordersPerDayChart draws two lines (daily and 7-day mean) with a legend", async () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ ds: new Date(Date.UTC(2017, 0, 1 + i)), orders: 10 + (i % 7) }));
    const svg = await renderSvg(ordersPerDayChart(rows));
    expect(count(svg, LINE)).toBe(2);
    expect(svg).toContain(">Orders per day</text>");
    expect(svg).toContain(">7-day mean</text>");
  });

  it("ordersPerWeekChart draws one bar per ISO week", async () => {
    const rows = Array.from({ length: 14 }, (_, i) => ({ ds: `2018-01-${String(1 + i).padStart(2, "0")}`, orders: 1 }));
    const svg = await renderSvg(ordersPerWeekChart(rows)); // 2018-01-01 is a Monday: exactly two weeks
    expect(count(svg, BAR)).toBe(2);
  });

  it("revenueByCategoryChart draws top N + 'other' bars with R$ labels", async () => {
    const rows = Array.from({ length: 8 }, (_, i) => ({ category: `c${i}`, revenue: 1_000_000 * (i + 1) }));
    const svg = await renderSvg(revenueByCategoryChart(rows, 3));
    expect(count(svg, BAR)).toBe(4);
    expect(svg).toContain(">other</text>");
    expect(svg).toContain(">R$ 8M</text>"); // the largest category's label
    expect(svg).toContain(">R$ 15M</text>"); // other = 1M + ... + 5M
    expect(svg).toContain('fill="#9aa5b1"'); // the "other" bar is muted
  });

  it("statusMixChart, missingValuesChart and histogram render without warnings", async () => {
    const warnings: string[] = [];
    const onWarning = (m: string) => warnings.push(m);
    const status = await renderSvg(statusMixChart([{ status: "delivered", orders: 90 }, { status: "canceled", orders: 10 }]), { onWarning });
    expect(count(status, BAR)).toBe(2);
    expect(status).toContain(">90 (90.0%)</text>");
    const missing = await renderSvg(missingValuesChart([{ table: "t", column: "c", missingPct: 2.5 }, { table: "t", column: "d", missingPct: 0 }]), { onWarning });
    expect(count(missing, BAR)).toBe(1);
    expect(missing).toContain(">t.c</text>");
    const none = await renderSvg(missingValuesChart([]), { onWarning });
    expect(none).toContain(">No missing values in any column</text>");
    const hist = await renderSvg(histogram({ title: "H", data: [1, 1, 2, 3, 3, 3].map((v) => ({ v })), field: "v", maxbins: 3 }), { onWarning });
    expect(count(hist, BAR)).toBeGreaterThanOrEqual(2);
    expect(warnings).toEqual([]);
  });

  it("passes vega-lite warnings to onWarning (e.g. an encoding without a field)", async () => {
    const warnings: string[] = [];
    await compileSpec({ data: { values: [{ a: 1 }] }, mark: "bar", encoding: { x: { type: "quantitative" } } } as never, { onWarning: (m) => warnings.push(m) });
    expect(warnings.length).toBeGreaterThan(0);
  });
});
