import type { TopLevelSpec } from "vega-lite";
import {
  BRL_AXIS_FORMAT,
  BRL_FORMAT,
  CHART_HEIGHT,
  CHART_WIDTH,
  COUNT_FORMAT,
  MAIN_COLOR,
  MUTED_COLOR,
  NUMBER_FORMAT,
  REPORT_CONFIG,
  SHARE_FORMAT,
  VEGA_LITE_SCHEMA,
  barChartHeight,
} from "./chart-style.js";
import {
  dailyTotals,
  shares,
  toIsoDate,
  toJsonRows,
  topNWithOther,
  trailingMean,
  weeklyTotals,
  type DateLike,
  type JsonRow,
} from "./series.js";

/**
 * vega-lite specs for the reports, one small function per chart kind (in the style of vega-lite's own
 * examples): data inline as `values` (JSON only, dates as `YYYY-MM-DD`), `$schema`, a title, a fixed size
 * and number formats on axes and tooltips. Temporal axes use a UTC scale so a date shows as the same
 * day whatever the machine's time zone.
 */

/** Rows of chart data; `Date` values are serialised by the builders. */
export type ChartRows = readonly Record<string, unknown>[];

interface Common {
  readonly title: string;
  readonly subtitle?: string;
  readonly width?: number;
  readonly height?: number;
}

function titleOf(c: Common): { text: string; subtitle?: string } {
  return c.subtitle === undefined ? { text: c.title } : { text: c.title, subtitle: c.subtitle };
}

/**
 * A field name as vega-lite reads it: `.`, `[`, `]`, quotes and backslashes escaped, so a column named
 * "table.column" is that column and not a nested access path.
 */
export function fieldRef(name: string): string {
  return name.replace(/[\\.[\]'"]/g, "\\$&");
}

/** A vega expression string literal for `value` (JSON string syntax is valid there). */
function exprString(value: string): string {
  return JSON.stringify(value);
}

export interface LineChartOptions extends Common {
  readonly data: ChartRows;
  /** Field on the x axis. */
  readonly x: string;
  /** Field on the y axis. */
  readonly y: string;
  /** "temporal" (default; values are dates) or "quantitative". */
  readonly xType?: "temporal" | "quantitative";
  readonly xTitle?: string;
  readonly yTitle?: string;
  /** Field whose values split the rows into separately coloured lines (with a legend). */
  readonly color?: string;
  /** d3 format of y values (default `NUMBER_FORMAT`); e.g. `BRL_FORMAT` for revenue. */
  readonly yFormat?: string;
  /** Also draw a point per value (default: only when there are at most 60 rows). */
  readonly points?: boolean;
}

/** A line chart of `y` over `x`, optionally one line per value of `color`. */
export function lineChart(o: LineChartOptions): TopLevelSpec {
  const xType = o.xType ?? "temporal";
  const values = toJsonRows(o.data).map((row) => (xType === "temporal" ? withIsoDate(row, o.x) : row));
  const yFormat = o.yFormat ?? NUMBER_FORMAT;
  const temporal = xType === "temporal";
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleOf(o),
    width: o.width ?? CHART_WIDTH,
    height: o.height ?? CHART_HEIGHT,
    config: REPORT_CONFIG,
    data: { values },
    mark: { type: "line", point: o.points ?? values.length <= 60, strokeWidth: 1.5, ...(o.color ? {} : { color: MAIN_COLOR }) },
    encoding: {
      x: temporal
        ? { field: fieldRef(o.x), type: "temporal", title: o.xTitle ?? o.x, scale: { type: "utc" } }
        : { field: fieldRef(o.x), type: "quantitative", title: o.xTitle ?? o.x, axis: { format: NUMBER_FORMAT } },
      y: { field: fieldRef(o.y), type: "quantitative", title: o.yTitle ?? o.y, axis: { format: axisFormatFor(yFormat) } },
      ...(o.color ? { color: { field: fieldRef(o.color), type: "nominal", title: o.color, legend: { labelLimit: 320 } } } : {}),
      tooltip: [
        temporal ? { field: fieldRef(o.x), type: "nominal", title: o.xTitle ?? o.x } : { field: fieldRef(o.x), type: "quantitative", format: NUMBER_FORMAT },
        { field: fieldRef(o.y), type: "quantitative", title: o.yTitle ?? o.y, format: yFormat },
        ...(o.color ? [{ field: fieldRef(o.color), type: "nominal" as const }] : []),
      ],
    },
  };
}

/** Checks that a temporal field holds a date (YYYY-MM-DD or an ISO timestamp, kept as given); throws otherwise. */
function withIsoDate(row: JsonRow, field: string): JsonRow {
  const v = row[field];
  if (typeof v === "string") toIsoDate(v);
  return row;
}

/** Compact axis labels for currency ("R$ 1.2M"); other formats are used as they are. */
function axisFormatFor(format: string): string {
  return format.startsWith("$") ? BRL_AXIS_FORMAT : format;
}

export interface BarChartOptions extends Common {
  readonly data: ChartRows;
  /** Nominal field: one bar per value. */
  readonly category: string;
  /** Quantitative field: the bar length. */
  readonly value: string;
  /** Bars along x with categories down the y axis (default false: vertical bars). */
  readonly horizontal?: boolean;
  /** Order of the bars by value (default "descending"); "none" keeps the data order. */
  readonly sort?: "descending" | "ascending" | "none";
  /** d3 format of values in tooltips and labels (default `NUMBER_FORMAT`). */
  readonly valueFormat?: string;
  /** Axis title of the categories (default: the field name; null: none, e.g. for long labels). */
  readonly categoryTitle?: string | null;
  readonly valueTitle?: string;
  /** Print each bar's value next to it, with this d3 format, or with `labelField`'s text. */
  readonly labelFormat?: string;
  /** A field holding the label text for each bar (e.g. "1,234 (12.0%)"); wins over `labelFormat`. */
  readonly labelField?: string;
  /** Categories drawn in a muted colour (e.g. an "other" bucket). */
  readonly mutedCategories?: readonly string[];
  /** More fields shown in the tooltip. */
  readonly tooltipFields?: readonly { field: string; title?: string; format?: string }[];
}

/** One bar per category. */
export function barChart(o: BarChartOptions): TopLevelSpec {
  const values = toJsonRows(o.data);
  const horizontal = o.horizontal ?? false;
  const valueFormat = o.valueFormat ?? NUMBER_FORMAT;
  const sortOrder = o.sort ?? "descending";
  const sort = sortOrder === "none" ? null : { field: fieldRef(o.value), op: "sum" as const, order: sortOrder };
  const category = {
    field: fieldRef(o.category),
    type: "nominal",
    title: o.categoryTitle === undefined ? o.category : o.categoryTitle,
    sort,
    ...(horizontal ? {} : { axis: { labelAngle: -40, labelLimit: 120 } }),
    ...(horizontal ? { axis: { labelLimit: 320 } } : {}),
  } as const;
  const value = {
    field: fieldRef(o.value),
    type: "quantitative",
    title: o.valueTitle ?? o.value,
    axis: { format: axisFormatFor(valueFormat) },
  } as const;
  const muted = o.mutedCategories ?? [];
  const color =
    muted.length === 0
      ? { value: MAIN_COLOR }
      : {
          condition: { test: `indexof(${JSON.stringify(muted)}, datum[${exprString(o.category)}]) >= 0`, value: MUTED_COLOR },
          value: MAIN_COLOR,
        };
  const tooltip = [
    { field: fieldRef(o.category), type: "nominal" as const, title: o.categoryTitle ?? o.category },
    { field: fieldRef(o.value), type: "quantitative" as const, title: o.valueTitle ?? o.value, format: valueFormat },
    ...(o.tooltipFields ?? []).map((t) => ({ field: fieldRef(t.field), title: t.title ?? t.field, ...(t.format ? { format: t.format } : {}) })),
  ];
  const size = {
    width: o.width ?? CHART_WIDTH,
    height: o.height ?? (horizontal ? barChartHeight(new Set(values.map((r) => r[o.category])).size) : CHART_HEIGHT),
  };
  const position = horizontal ? { y: category, x: value } : { x: category, y: value };
  const base = { $schema: VEGA_LITE_SCHEMA, title: titleOf(o), ...size, config: REPORT_CONFIG, data: { values } };
  if (o.labelField === undefined && o.labelFormat === undefined) {
    return { ...base, mark: { type: "bar" }, encoding: { ...position, color, tooltip } };
  }
  const text =
    o.labelField !== undefined
      ? { field: fieldRef(o.labelField), type: "nominal" as const }
      : { field: fieldRef(o.value), type: "quantitative" as const, format: o.labelFormat ?? valueFormat };
  const labelMark = horizontal
    ? { type: "text" as const, align: "left" as const, dx: 4, fontSize: 10, color: "#333" }
    : { type: "text" as const, baseline: "bottom" as const, dy: -3, fontSize: 10, color: "#333" };
  // Position encodings on the layer parent, shared by bars and labels (one sort, one scale per channel).
  return {
    ...base,
    encoding: position,
    layer: [
      { mark: { type: "bar" }, encoding: { color, tooltip } },
      { mark: labelMark, encoding: { text } },
    ],
  };
}

export interface StackedBarChartOptions extends BarChartOptions {
  /** Nominal field: one coloured segment per value within each bar. */
  readonly stack: string;
  readonly stackTitle?: string;
  /** Stack to 100% (shares) instead of absolute values. */
  readonly normalize?: boolean;
}

/** Bars per category split into coloured segments per `stack` value. */
export function stackedBarChart(o: StackedBarChartOptions): TopLevelSpec {
  const values = toJsonRows(o.data);
  const horizontal = o.horizontal ?? false;
  const valueFormat = o.valueFormat ?? NUMBER_FORMAT;
  const sortOrder = o.sort ?? "descending";
  const sort = sortOrder === "none" ? null : { field: fieldRef(o.value), op: "sum" as const, order: sortOrder };
  const category = { field: fieldRef(o.category), type: "nominal", title: o.categoryTitle === undefined ? o.category : o.categoryTitle, sort } as const;
  const value = {
    field: fieldRef(o.value),
    type: "quantitative",
    aggregate: "sum",
    title: o.valueTitle ?? o.value,
    stack: o.normalize ? "normalize" : "zero",
    axis: { format: o.normalize ? SHARE_FORMAT : axisFormatFor(valueFormat) },
  } as const;
  const encoding = horizontal ? { y: category, x: value } : { x: category, y: value };
  const categories = new Set(values.map((r) => r[o.category])).size;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleOf(o),
    width: o.width ?? CHART_WIDTH,
    height: o.height ?? (horizontal ? barChartHeight(categories) : CHART_HEIGHT),
    config: REPORT_CONFIG,
    data: { values },
    mark: { type: "bar" },
    encoding: {
      ...encoding,
      color: { field: fieldRef(o.stack), type: "nominal", title: o.stackTitle ?? o.stack },
      tooltip: [
        { field: fieldRef(o.category), type: "nominal", title: o.categoryTitle ?? o.category },
        { field: fieldRef(o.stack), type: "nominal", title: o.stackTitle ?? o.stack },
        { field: fieldRef(o.value), type: "quantitative", aggregate: "sum", title: o.valueTitle ?? o.value, format: valueFormat },
      ],
    },
  };
}

export interface HistogramOptions extends Common {
  readonly data: ChartRows;
  /** Quantitative field to bin. */
  readonly field: string;
  /** Upper bound on the number of bins (default 40); vega-lite picks "nice" bin edges. */
  readonly maxbins?: number;
  readonly xTitle?: string;
  /** d3 format of the binned values (default `NUMBER_FORMAT`). */
  readonly format?: string;
  /**
   * Field holding how many rows each data row stands for (pre-aggregated value counts), so a histogram of a
   * large table needs one data row per distinct value instead of one per table row.
   */
  readonly weight?: string;
}

const countOf = (weight: string | undefined) =>
  weight === undefined ? ({ aggregate: "count" } as const) : ({ aggregate: "sum", field: fieldRef(weight) } as const);

/** Counts of `field` values in bins (summed `weight` when given). Rows whose value is missing are not counted. */
export function histogram(o: HistogramOptions): TopLevelSpec {
  const format = o.format ?? NUMBER_FORMAT;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleOf(o),
    width: o.width ?? CHART_WIDTH,
    height: o.height ?? CHART_HEIGHT,
    config: REPORT_CONFIG,
    // Only the binned field goes into the spec (a histogram often covers every row of a table).
    data: {
      values: toJsonRows(o.data.map((row) => (o.weight === undefined ? { [o.field]: row[o.field] } : { [o.field]: row[o.field], [o.weight]: row[o.weight] }))),
    },
    transform: [{ filter: `isValid(datum[${exprString(o.field)}]) && isFinite(datum[${exprString(o.field)}])` }],
    mark: { type: "bar", color: MAIN_COLOR, binSpacing: 1 },
    encoding: {
      x: { field: fieldRef(o.field), type: "quantitative", bin: { maxbins: o.maxbins ?? 40 }, title: o.xTitle ?? o.field, axis: { format: axisFormatFor(format) } },
      y: { ...countOf(o.weight), type: "quantitative", title: "count", axis: { format: COUNT_FORMAT } },
      tooltip: [
        { field: fieldRef(o.field), type: "quantitative", bin: { maxbins: o.maxbins ?? 40 }, title: o.xTitle ?? o.field, format },
        { ...countOf(o.weight), type: "quantitative", title: "count", format: COUNT_FORMAT },
      ],
    },
  };
}

// ---- domain charts used by notebooks 01 and 02 ---------------------------------------------------------

/** A day's order count, as in the daily revenue table (`ds`, `orders`). */
export interface DailyOrders {
  readonly ds: DateLike;
  readonly orders: number;
}

/** Label of the daily series and of its moving average in {@link ordersPerDayChart}'s legend. */
export const DAILY_SERIES = "orders per day";
export const MOVING_AVERAGE_SERIES = "7-day mean";

/**
 * Orders per day (thin, muted) with the trailing 7-day mean layered on top (bold); see `trailingMean`
 * for the average (days absent from `rows` count as 0 orders; several rows on one day are added).
 */
export function ordersPerDayChart(rows: readonly DailyOrders[]): TopLevelSpec {
  const daily = dailyTotals(rows, (r) => r.ds, (r) => r.orders);
  const mean = trailingMean(daily, 7);
  const values = [
    ...daily.map((p) => ({ ds: p.ds, series: DAILY_SERIES, orders: p.value })),
    ...mean.map((p) => ({ ds: p.ds, series: MOVING_AVERAGE_SERIES, orders: p.value })),
  ];
  const x = { field: "ds", type: "temporal", title: "purchase date", scale: { type: "utc" } } as const;
  const color = {
    field: "series",
    type: "nominal",
    title: null,
    scale: { domain: [DAILY_SERIES, MOVING_AVERAGE_SERIES], range: [MUTED_COLOR, MAIN_COLOR] },
    legend: { orient: "top", direction: "horizontal" },
  } as const;
  const tooltip = [
    { field: "ds", type: "nominal", title: "date" },
    { field: "series", type: "nominal" },
    { field: "orders", type: "quantitative", format: NUMBER_FORMAT },
  ] as const;
  const layerFor = (series: string, strokeWidth: number) => ({
    transform: [{ filter: `datum.series === ${exprString(series)}` }],
    mark: { type: "line" as const, strokeWidth },
    encoding: { x, y: { field: "orders", type: "quantitative" as const, title: "orders", axis: { format: COUNT_FORMAT } }, color, tooltip: [...tooltip] },
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: "Orders per day", subtitle: `${MOVING_AVERAGE_SERIES}: trailing mean over 7 calendar days` },
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    config: REPORT_CONFIG,
    data: { values },
    layer: [layerFor(DAILY_SERIES, 1), layerFor(MOVING_AVERAGE_SERIES, 2.5)],
  };
}

/** Orders of one week, as `ordersPerWeek` in src/features/summaries.ts gives them (`week` = its Monday). */
export interface WeeklyOrders {
  readonly week: DateLike;
  readonly orders: number;
}

function isWeekly(rows: readonly (DailyOrders | WeeklyOrders)[]): rows is readonly WeeklyOrders[] {
  return rows.length > 0 && rows.every((r) => "week" in r);
}

/**
 * Orders per ISO week (Monday to Sunday), one bar spanning each week. Takes daily rows (`ds`, summed
 * into weeks) or weekly rows (`week`, the week's Monday or any day in it). From daily rows a partial first
 * or last week (fewer than 7 days in the data) is drawn faded, so a short week is not read as a drop.
 */
export function ordersPerWeekChart(rows: readonly (DailyOrders | WeeklyOrders)[]): TopLevelSpec {
  const weeks = isWeekly(rows)
    ? weeklyTotals(dailyTotals(rows, (r) => r.week, (r) => r.orders)).map((w) => ({ ...w, days: null }))
    : weeklyTotals(dailyTotals(rows as readonly DailyOrders[], (r) => r.ds, (r) => r.orders));
  const partial = weeks.some((w) => w.days !== null && w.days < 7);
  const values = weeks.map((w) => ({ week: w.weekStart, weekEnd: w.weekEnd, orders: w.value, days: w.days }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: partial
      ? { text: "Orders per week", subtitle: "ISO weeks (Monday to Sunday); faded bars are partial weeks at the ends of the data" }
      : { text: "Orders per week", subtitle: "ISO weeks (Monday to Sunday)" },
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    config: REPORT_CONFIG,
    data: { values },
    mark: { type: "bar", orient: "vertical", color: MAIN_COLOR, stroke: "white", strokeWidth: 0.5 },
    encoding: {
      x: { field: "week", type: "temporal", title: "week", scale: { type: "utc" } },
      x2: { field: "weekEnd" },
      y: { field: "orders", type: "quantitative", title: "orders", axis: { format: COUNT_FORMAT } },
      opacity: { condition: { test: "isValid(datum.days) && datum.days < 7", value: 0.4 }, value: 1 },
      tooltip: [
        { field: "week", type: "nominal", title: "week starting" },
        { field: "orders", type: "quantitative", format: COUNT_FORMAT },
        ...(isWeekly(rows) ? [] : [{ field: "days", type: "quantitative" as const, title: "days with data" }]),
      ],
    },
  };
}

/** Revenue of one product category. */
export interface CategoryRevenue {
  readonly category: string;
  readonly revenue: number;
}

/** Label of the bucket that sums every category outside the top N. */
export const OTHER_CATEGORY = "other";

/**
 * Revenue by category as horizontal bars, largest first: the `top` categories and, when there are more,
 * one muted bar "other" with the sum of the rest (so the bars add up to the total revenue). Values are
 * reais; labels print them compactly ("R$ 1.2M"), tooltips in full ("R$ 1,234,568").
 */
export function revenueByCategoryChart(rows: readonly CategoryRevenue[], top = 15): TopLevelSpec {
  const labelled = rows.map((r) => ({ label: r.category === "" ? "(no category)" : r.category, value: r.revenue }));
  const bars = topNWithOther(labelled, top, OTHER_CATEGORY);
  const categories = new Set(labelled.map((r) => r.label)).size;
  const total = bars.reduce((s, b) => s + b.value, 0);
  const shareOf = shares(bars.map((b) => b.value));
  const hasOther = categories > top;
  return barChart({
    title: "Revenue by product category",
    subtitle: hasOther
      ? `Top ${top} of ${categories} categories; the other ${categories - top} are summed in "${OTHER_CATEGORY}"`
      : `All ${categories} categories`,
    data: bars.map((b, i) => ({ category: b.label, revenue: b.value, share: shareOf[i] ?? 0 })),
    category: "category",
    categoryTitle: null,
    value: "revenue",
    horizontal: true,
    sort: "none",
    valueFormat: BRL_FORMAT,
    valueTitle: total > 0 ? "revenue (R$)" : "revenue",
    labelFormat: BRL_AXIS_FORMAT,
    mutedCategories: hasOther ? [OTHER_CATEGORY] : [],
    tooltipFields: [{ field: "share", title: "share of revenue", format: SHARE_FORMAT }],
  });
}

/** Orders with one status. */
export interface StatusOrders {
  readonly status: string;
  readonly orders: number;
}

/** Orders by status as horizontal bars, most frequent first, each labelled "count (share)". */
export function statusMixChart(rows: readonly StatusOrders[]): TopLevelSpec {
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.status, (totals.get(r.status) ?? 0) + r.orders);
  const entries = [...totals.entries()].sort((a, b) => b[1] - a[1]);
  const shareOf = shares(entries.map(([, n]) => n));
  const count = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
  const data = entries.map(([status, orders], i) => {
    const share = shareOf[i] ?? 0;
    return { status, orders, share, label: `${count.format(orders)} (${(100 * share).toFixed(share < 0.001 && share > 0 ? 2 : 1)}%)` };
  });
  const total = entries.reduce((s, [, n]) => s + n, 0);
  return barChart({
    title: "Orders by status",
    subtitle: `${count.format(total)} orders`,
    data,
    category: "status",
    categoryTitle: null,
    value: "orders",
    horizontal: true,
    sort: "none",
    valueFormat: COUNT_FORMAT,
    labelField: "label",
    tooltipFields: [{ field: "share", title: "share of orders", format: SHARE_FORMAT }],
  });
}

/** Share of missing values in one column, in percent (0..100), as the data-quality report gives it. */
export interface ColumnMissing {
  readonly table: string;
  readonly column: string;
  readonly missingPct: number;
}

/**
 * Data-quality summary: one horizontal bar per column with missing values (missingPct > 0), largest
 * first, labelled `table.column`. When no column has missing values the chart says so in text.
 */
export function missingValuesChart(rows: readonly ColumnMissing[]): TopLevelSpec {
  const missing = rows
    .filter((r) => Number.isFinite(r.missingPct) && r.missingPct > 0)
    .sort((a, b) => b.missingPct - a.missingPct)
    .map((r) => ({ column: `${r.table}.${r.column}`, table: r.table, missingPct: r.missingPct, label: `${formatPct(r.missingPct)}%` }));
  const title = "Missing values by column";
  if (missing.length === 0) {
    return {
      $schema: VEGA_LITE_SCHEMA,
      title: { text: title, subtitle: `${rows.length} columns checked` },
      width: CHART_WIDTH,
      height: 60,
      config: REPORT_CONFIG,
      data: { values: [{ text: "No missing values in any column" }] },
      mark: { type: "text", fontSize: 13, color: "#333" },
      encoding: { text: { field: "text", type: "nominal" } },
    };
  }
  return barChart({
    title,
    subtitle: `${missing.length} of ${rows.length} columns have missing values (columns without any are not shown)`,
    data: missing,
    category: "column",
    value: "missingPct",
    horizontal: true,
    sort: "none",
    valueFormat: ",.2~f",
    categoryTitle: null,
    valueTitle: "missing (% of rows)",
    labelField: "label",
    tooltipFields: [{ field: "table" }],
  });
}

function formatPct(pct: number): string {
  return pct >= 10 ? pct.toFixed(1) : pct >= 0.1 ? pct.toFixed(2) : pct.toPrecision(2);
}


export interface ScatterChartOptions extends Common {
  readonly data: ChartRows;
  readonly x: string;
  readonly y: string;
  readonly color?: string;
  readonly xTitle?: string;
  readonly yTitle?: string;
  /** Extra fields shown in the tooltip. */
  readonly tooltip?: readonly string[];
}

/** Points of `y` against `x`, optionally coloured by a nominal field. */
export function scatterChart(o: ScatterChartOptions): TopLevelSpec {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleOf(o),
    width: o.width ?? CHART_WIDTH,
    height: o.height ?? CHART_WIDTH * 0.75,
    config: REPORT_CONFIG,
    data: { values: toJsonRows(o.data) },
    mark: { type: "circle", size: 18, opacity: 0.7, ...(o.color ? {} : { color: MAIN_COLOR }) },
    encoding: {
      x: { field: fieldRef(o.x), type: "quantitative", title: o.xTitle ?? o.x, axis: { format: NUMBER_FORMAT } },
      y: { field: fieldRef(o.y), type: "quantitative", title: o.yTitle ?? o.y, axis: { format: NUMBER_FORMAT } },
      ...(o.color ? { color: { field: fieldRef(o.color), type: "nominal", title: o.color } } : {}),
      tooltip: [
        ...(o.tooltip ?? []).map((f) => ({ field: fieldRef(f), type: "nominal" as const })),
        ...(o.color ? [{ field: fieldRef(o.color), type: "nominal" as const }] : []),
      ],
    },
  };
}
