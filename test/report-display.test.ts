import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import {
  barChart,
  canDisplay,
  formatCell,
  renderTableHtml,
  renderTableText,
  setDisplaySink,
  showChart,
  showMarkdown,
  showTable,
  slugify,
  svgMarkdownImage,
  VEGA_LITE_MIME,
  type MimeBundle,
} from "../src/report/index.js";

const spec = barChart({ title: "Orders [by] state", data: [{ s: "SP", n: 3 }, { s: "RJ", n: 2 }], category: "s", value: "n" });

let dirs: string[] = [];
afterEach(() => {
  setDisplaySink(undefined);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function recorder(): MimeBundle[] {
  const shown: MimeBundle[] = [];
  setDisplaySink((data) => shown.push(data));
  return shown;
}

describe("outside a kernel", () => {
  it("has no display sink; showChart returns the SVG and shows nothing", async () => {
    expect(canDisplay()).toBe(false);
    const result = await showChart(spec);
    expect(result.svg.startsWith("<svg")).toBe(true);
    expect(result.svgPath).toBeUndefined();
  });

  it("writes saveDir/<name>.svg atomically (no temporary file left), name defaulting to the title slug", async () => {
    const dir = mkdtempSync(join(tmpdir(), "report-display-"));
    dirs.push(dir);
    const named = await showChart(spec, { saveDir: join(dir, "charts"), name: "orders by state" });
    expect(named.svgPath).toBe(join(dir, "charts", "orders-by-state.svg"));
    expect(readFileSync(named.svgPath!, "utf8")).toBe(named.svg);
    const untitled = await showChart(spec, { saveDir: dir });
    expect(untitled.svgPath).toBe(join(dir, "orders-by-state.svg"));
    expect(readdirSync(join(dir, "charts"))).toEqual(["orders-by-state.svg"]);
    expect(existsSync(untitled.svgPath!)).toBe(true);
  });

  it("prints a one-line summary instead of the SVG when a cell ends with the result", async () => {
    const result = await showChart(spec);
    expect(inspect(result)).toMatch(/^\[chart "Orders \[by\] state": SVG [\d,]+ chars\]$/);
    expect(Object.keys(result)).toEqual(["svg"]);
  });
});

describe("display bundles", () => {
  it("showChart sends ONE bundle: vega-lite spec, Markdown image, SVG and title", async () => {
    const shown = recorder();
    const { svg } = await showChart(spec);
    expect(shown).toHaveLength(1);
    const bundle = shown[0]!;
    expect(Object.keys(bundle).sort()).toEqual([VEGA_LITE_MIME, "image/svg+xml", "text/markdown", "text/plain"].sort());
    expect(bundle[VEGA_LITE_MIME]).toBe(spec);
    expect(bundle["image/svg+xml"]).toBe(svg);
    expect(bundle["text/plain"]).toBe("Orders [by] state");
    const markdown = String(bundle["text/markdown"]);
    expect(markdown.startsWith("![Orders \\[by\\] state](data:image/svg+xml;base64,")).toBe(true);
    const base64 = /base64,([A-Za-z0-9+/=]+)\)$/.exec(markdown)![1]!;
    expect(Buffer.from(base64, "base64").toString("utf8")).toBe(svg);
  });

  it("svgMarkdownImage flattens whitespace in the alt text", () => {
    expect(svgMarkdownImage("<svg/>", "a\nb")).toBe(`![a b](data:image/svg+xml;base64,${Buffer.from("<svg/>").toString("base64")})`);
  });

  it("showTable sends escaped HTML and text; showMarkdown sends Markdown; both return nothing", () => {
    const shown = recorder();
    expect(showTable([{ name: "<script>alert(1)</script>", revenue: 1234567.891 }], { title: "Top & more" })).toBeUndefined();
    expect(showMarkdown("**hi**")).toBeUndefined();
    expect(shown).toHaveLength(2);
    const html = String(shown[0]!["text/html"]);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>");
    expect(html).toContain(">1,234,567.89<");
    expect(html).toContain("Top &amp; more");
    expect(shown[0]!["text/plain"]).toContain("1,234,567.89");
    expect(shown[1]).toEqual({ "text/markdown": "**hi**", "text/plain": "**hi**" });
  });
});

describe("tables", () => {
  it("formatCell: thousands separators, small numbers to 3 significant digits, dates as ISO, missing as a dash", () => {
    expect(formatCell(1234567)).toBe("1,234,567");
    expect(formatCell(-1234.5678)).toBe("-1,234.57");
    expect(formatCell(0.012345)).toBe("0.0123");
    expect(formatCell(12n)).toBe("12");
    expect(formatCell(Number.NaN)).toBe("NaN");
    expect(formatCell(new Date(Date.UTC(2018, 7, 1)))).toBe("2018-08-01");
    expect(formatCell(new Date(Date.UTC(2018, 7, 1, 9, 30)))).toBe("2018-08-01 09:30:00Z");
    expect(formatCell(null)).toBe("—");
    expect(formatCell(undefined)).toBe("—");
    expect(formatCell({ a: 1 })).toBe('{"a":1}');
  });

  it("uses the union of keys as columns, right-aligns numeric columns and notes omitted rows", () => {
    const rows = Array.from({ length: 5 }, (_, i) => ({ id: `r${i}`, n: i * 1000, ...(i === 4 ? { extra: true } : {}) }));
    const html = renderTableHtml(rows, { maxRows: 2 });
    expect(html).toContain('<th style="text-align:left">id</th><th style="text-align:right">n</th><th style="text-align:left">extra</th>');
    expect(html).toContain('<td style="text-align:right">1,000</td>');
    expect(html).toContain("showing 2 of 5 rows");
    expect(renderTableText(rows, { maxRows: 2 })).toBe(["id      n  extra", "--  -----  -----", "r0      0  —", "r1  1,000  —", "(showing 2 of 5 rows)"].join("\n"));
  });

  it("says so for no rows", () => {
    expect(renderTableHtml([])).toContain("(no rows)");
    expect(renderTableText([], { title: "t" })).toBe("t\n\n\n(no rows)");
  });
});

describe("slugify", () => {
  it("makes file-name-safe names", () => {
    expect(slugify("Orders per day (7-day)")).toBe("orders-per-day-7-day");
    expect(slugify("Receita por Região/Estado")).toBe("receita-por-regiao-estado");
    expect(slugify("../../etc/passwd")).toBe("etc-passwd");
    expect(slugify("")).toBe("chart");
  });
});

describe("showCharts", () => {
  it("saves each chart under its name and returns nothing", async () => {
    const { showCharts, barChart } = await import("../src/report/index.js");
    const { mkdtempSync, readdirSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join: joinPath } = await import("node:path");
    const out = mkdtempSync(joinPath(tmpdir(), "charts-"));
    const spec = barChart({ title: "t", data: [{ c: "a", v: 1 }], category: "c", value: "v" });
    expect(await showCharts(out, { first: spec, second: spec })).toBeUndefined();
    expect(readdirSync(out).sort()).toEqual(["first.svg", "second.svg"]);
  });
});
