import type { Config } from "vega-lite";

/**
 * The look shared by every report chart: schema, size, number formats and a config block. Formats are
 * d3-format patterns (https://github.com/d3/d3-format); the `$` in a pattern prints the locale's currency,
 * which the config below sets to Brazilian reais, so `BRL_FORMAT` renders 1234567.8 as "R$ 1,234,568".
 */

/**
 * vega-lite v5 schema: JupyterLab renders the `application/vnd.vegalite.v5+json` MIME type with its own
 * vega-lite 5, and vega-embed warns when a spec names another major version. Every spec built here uses
 * only features common to vega-lite 5 and 6 and is compiled by the installed vega-lite 6 in tests.
 */
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** Default plot size in pixels (the data rectangle; axes and title add to it). */
export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 240;

/** Pixels per bar in horizontal bar charts, and the height limits they stay within. */
export const BAR_STEP = 20;
export const MIN_BAR_CHART_HEIGHT = 120;
export const MAX_BAR_CHART_HEIGHT = 520;

/** Reais with thousands separators and no cents: "R$ 1,234,568". */
export const BRL_FORMAT = "$,.0f";
/** Reais with cents: "R$ 1,234.57". */
export const BRL_CENTS_FORMAT = "$,.2f";
/** Compact reais for axes: "R$ 1.2M". */
export const BRL_AXIS_FORMAT = "$.2~s";
/** Counts: "12,345". */
export const COUNT_FORMAT = ",d";
/** A rounded quantity with separators: "12,345.7". */
export const NUMBER_FORMAT = ",.1~f";
/** A 0..1 share as percent: "12.3%". */
export const SHARE_FORMAT = ".1%";

/** Number locale: English separators (the reports are in English) with the real as currency. */
export const REPORT_LOCALE = {
  number: { decimal: ".", thousands: ",", grouping: [3], currency: ["R$ ", ""] as [string, string] },
};

/** The config block every report spec carries. */
export const REPORT_CONFIG: Config = {
  locale: REPORT_LOCALE,
  font: "Helvetica, Arial, sans-serif",
  title: { anchor: "start", fontSize: 14, subtitleFontSize: 11, subtitleColor: "#555" },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: "normal", gridColor: "#eee" },
  legend: { labelFontSize: 11, titleFontSize: 11 },
  view: { stroke: null },
};

/** Line and bar colours: one main colour, a contrasting one for a second layer. */
export const MAIN_COLOR = "#4c78a8";
export const ACCENT_COLOR = "#e45756";
export const MUTED_COLOR = "#9aa5b1";

/** Height of a horizontal bar chart with `bars` bars. */
export function barChartHeight(bars: number): number {
  return Math.min(MAX_BAR_CHART_HEIGHT, Math.max(MIN_BAR_CHART_HEIGHT, bars * BAR_STEP));
}
