import { join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { writeFileAtomically } from "../io/atomic-write.js";
import { renderSvg, specTitle, type RenderOptions } from "./render.js";
import { renderTableHtml, renderTableText, type TableOptions } from "./table-format.js";
import { currentDisplaySink } from "./tslab-bridge.js";

/**
 * What a notebook cell calls to show results. In a tslab kernel each call emits one display_data message
 * (several MIME types, the frontend picks the richest it can render); outside a kernel nothing is
 * printed and the rendered text is returned, so the same calls work in scripts and tests.
 */

/** MIME type under which JupyterLab renders a vega-lite spec interactively (JupyterLab >= 3.6). */
export const VEGA_LITE_MIME = "application/vnd.vegalite.v5+json";

export interface ShowChartOptions extends RenderOptions {
  /** File name (without `.svg`) in `saveDir`; default: the chart title as a slug. */
  readonly name?: string;
  /** Folder to write `<name>.svg` into (created if missing; written atomically). */
  readonly saveDir?: string;
}

export interface ShownChart {
  readonly svg: string;
  /** Where the SVG was written, when `saveDir` was given. */
  readonly svgPath?: string;
}

/** A file-name-safe slug: "Orders per day (7-day)" -> "orders-per-day-7-day". */
export function slugify(text: string): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[-.]+|-+$/g, "");
  return slug === "" ? "chart" : slug.slice(0, 100);
}

/**
 * Renders `spec` to SVG; in a tslab kernel shows it as one bundle: the spec
 * (`application/vnd.vegalite.v5+json`, interactive in JupyterLab), the SVG (`image/svg+xml`, what
 * nbconvert's HTML embeds) and the title (`text/plain`). With `saveDir` also writes
 * `saveDir/<name>.svg` (e.g. for the runner to log as an MLflow artifact).
 */
export async function showChart(spec: TopLevelSpec, options: ShowChartOptions = {}): Promise<ShownChart> {
  const svg = await renderSvg(spec, options);
  let svgPath: string | undefined;
  if (options.saveDir !== undefined) {
    svgPath = join(options.saveDir, `${slugify(options.name ?? specTitle(spec))}.svg`);
    writeFileAtomically(svgPath, svg);
  }
  const title = specTitle(spec) || "chart";
  currentDisplaySink()?.(chartBundle(spec, svg, title));
  return chartResult(title, svg, svgPath);
}

/**
 * Shows several charts in order, each saved as `<saveDir>/<name>.svg`. Returns nothing, so a notebook cell
 * ending with it prints no summary line.
 */
export async function showCharts(saveDir: string, charts: Readonly<Record<string, TopLevelSpec>>): Promise<void> {
  for (const [name, spec] of Object.entries(charts)) await showChart(spec, { name, saveDir });
}

/**
 * The display bundle of a chart. Frontends pick one type each:
 * - JupyterLab: the vega-lite spec (renderer rank 57, interactive; html would be 50, markdown 60,
 *   svg 80); its svg renderer is also "unsafe" and skipped in untrusted notebooks.
 * - nbconvert's HTML export: the first of its priority list that is present, where `text/markdown`
 *   comes before `image/svg+xml`. Debian's nbconvert 6.5 passes `image/svg+xml` through lxml's
 *   `clean_html`, which strips every SVG element but `<svg>` (only the texts are left), so the chart
 *   goes in as a Markdown image with a base64 `data:` URL, which it renders as `<img>` untouched.
 * - Anything else: `image/svg+xml`, or the title as `text/plain`.
 */
export function chartBundle(spec: TopLevelSpec, svg: string, title: string): Record<string, unknown> {
  return {
    [VEGA_LITE_MIME]: spec,
    "text/markdown": svgMarkdownImage(svg, title),
    "image/svg+xml": svg,
    "text/plain": title,
  };
}

/** `![title](data:image/svg+xml;base64,...)`, the alt text with Markdown's brackets escaped. */
export function svgMarkdownImage(svg: string, title: string): string {
  const alt = title.replace(/[\\[\]]/g, "\\$&").replace(/\s+/g, " ");
  return `![${alt}](data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")})`;
}

/**
 * The result object; when it is a cell's last value tslab prints it with util.inspect, which shows one
 * short line instead of the whole SVG.
 */
function chartResult(title: string, svg: string, svgPath: string | undefined): ShownChart {
  const result: ShownChart = svgPath === undefined ? { svg } : { svg, svgPath };
  Object.defineProperty(result, Symbol.for("nodejs.util.inspect.custom"), {
    enumerable: false,
    value: () => `[chart ${JSON.stringify(title)}: SVG ${svg.length.toLocaleString("en-US")} chars${svgPath ? `, saved to ${svgPath}` : ""}]`,
  });
  return result;
}

/**
 * Shows rows as a table: HTML (escaped, numbers formatted) plus a fixed-width text version. At most
 * `maxRows` rows (default 20), with a note saying how many there were. Returns nothing, so a cell ending
 * with it prints nothing more; `renderTableHtml`/`renderTableText` give the texts.
 */
export function showTable(rows: readonly Record<string, unknown>[], options: TableOptions = {}): void {
  currentDisplaySink()?.({ "text/html": renderTableHtml(rows, options), "text/plain": renderTableText(rows, options) });
}

/** Shows Markdown text (rendered by JupyterLab and by nbconvert's HTML export). */
export function showMarkdown(markdown: string): void {
  currentDisplaySink()?.({ "text/markdown": markdown, "text/plain": markdown });
}
