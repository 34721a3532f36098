/** Charts (vega-lite specs, SVG), notebook display helpers and the HTML report index. */
export * from "./chart-style.js";
export { chartBundle, showChart, showCharts, showMarkdown, showTable, slugify, svgMarkdownImage, VEGA_LITE_MIME, type ShowChartOptions, type ShownChart } from "./display.js";
export { escapeHtml, safeHref } from "./html-escape.js";
export { formatDuration, formatRanAt, renderIndexHtml, type IndexEntry, type IndexOptions, type ReportStatus } from "./html-index.js";
export { compileSpec, loadVega, renderSvg, specTitle, type RenderOptions, type VegaModules } from "./render.js";
export * from "./series.js";
export * from "./specs.js";
export { DEFAULT_MAX_ROWS, formatCell, renderTableHtml, renderTableText, type TableOptions } from "./table-format.js";
export { canDisplay, currentDisplaySink, setDisplaySink, type DisplaySink, type MimeBundle } from "./tslab-bridge.js";
export { componentsChart, forecastChart, type ForecastPoint } from "./forecast-charts.js";
