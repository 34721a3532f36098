import type { TopLevelSpec } from "vega-lite";
import { ACCENT_COLOR, BRL_AXIS_FORMAT, BRL_FORMAT, CHART_HEIGHT, CHART_WIDTH, MAIN_COLOR, REPORT_CONFIG, VEGA_LITE_SCHEMA } from "./chart-style.js";
import { toIsoDate, type DateLike } from "./series.js";

/** One day of a forecast chart: the actual value when known, the forecast and its interval when made. */
export interface ForecastPoint {
  readonly ds: DateLike;
  readonly y?: number | null;
  readonly yhat?: number | null;
  readonly yhat_lower?: number | null;
  readonly yhat_upper?: number | null;
}

const number = (x: number | null | undefined): number | null => (x === undefined || x === null || !Number.isFinite(x) ? null : x);

/**
 * Actuals (points), the forecast (line) and its interval (band), with a rule at the forecast origin.
 * `intervalWidth` labels the band (e.g. 0.8 -> "80% interval").
 */
export function forecastChart(o: {
  readonly title: string;
  readonly subtitle?: string;
  readonly points: readonly ForecastPoint[];
  readonly origin?: DateLike;
  readonly intervalWidth?: number;
  readonly yTitle?: string;
}): TopLevelSpec {
  const values = o.points.map((p) => ({
    ds: toIsoDate(p.ds),
    y: number(p.y),
    yhat: number(p.yhat),
    lower: number(p.yhat_lower),
    upper: number(p.yhat_upper),
  }));
  const x = { field: "ds", type: "temporal" as const, title: "date" };
  const band = `${Math.round(100 * (o.intervalWidth ?? 0.8))}% interval`;
  const layers: NonNullable<Extract<TopLevelSpec, { layer: unknown }>["layer"]> = [
    {
      transform: [{ filter: "isValid(datum.lower) && isValid(datum.upper)" }],
      mark: { type: "area", opacity: 0.25, color: MAIN_COLOR },
      encoding: { x, y: { field: "lower", type: "quantitative" }, y2: { field: "upper" }, tooltip: [{ field: "ds", type: "temporal" }, { field: "lower", title: `${band} from`, format: BRL_FORMAT }, { field: "upper", title: "to", format: BRL_FORMAT }] },
    },
    {
      transform: [{ filter: "isValid(datum.yhat)" }],
      mark: { type: "line", color: MAIN_COLOR, strokeWidth: 1.5 },
      encoding: { x, y: { field: "yhat", type: "quantitative", title: o.yTitle ?? "revenue (R$)", axis: { format: BRL_AXIS_FORMAT } }, tooltip: [{ field: "ds", type: "temporal" }, { field: "yhat", title: "forecast", format: BRL_FORMAT }] },
    },
    {
      transform: [{ filter: "isValid(datum.y)" }],
      mark: { type: "point", filled: true, size: 12, color: "#222", opacity: 0.7 },
      encoding: { x, y: { field: "y", type: "quantitative" }, tooltip: [{ field: "ds", type: "temporal" }, { field: "y", title: "actual", format: BRL_FORMAT }] },
    },
  ];
  if (o.origin !== undefined) {
    layers.push({
      data: { values: [{ origin: toIsoDate(o.origin) }] },
      mark: { type: "rule", color: ACCENT_COLOR, strokeDash: [4, 3] },
      encoding: { x: { field: "origin", type: "temporal" } },
    });
  }
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: o.title, subtitle: o.subtitle ?? `points: actual; line: forecast; band: ${band}` },
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    config: REPORT_CONFIG,
    data: { values },
    layer: layers,
  };
}

/**
 * One small panel per seasonal or holiday component (weekly, yearly, holidays, ...) against the date, as
 * Prophet's plot_components does; pass the trend separately (it is in the series' units, the components
 * of a multiplicative model are relative). `relative` components are shown as percentages.
 */
export function componentsChart(o: {
  readonly title: string;
  readonly ds: readonly DateLike[];
  readonly components: Readonly<Record<string, readonly number[]>>;
  readonly relative?: boolean;
}): TopLevelSpec {
  const values = Object.entries(o.components).flatMap(([component, series]) =>
    series.map((value, i) => ({ component, ds: toIsoDate(o.ds[i]!), value: Number.isFinite(value) ? value : null })),
  );
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: o.title, subtitle: o.relative ? "seasonal and holiday effects relative to the trend (multiplicative)" : "additive effects" },
    config: REPORT_CONFIG,
    data: { values },
    facet: { row: { field: "component", type: "nominal", title: null, sort: Object.keys(o.components) } },
    resolve: { scale: { y: "independent" } },
    spec: {
      width: CHART_WIDTH,
      height: Math.round(CHART_HEIGHT / 2),
      mark: { type: "line", color: MAIN_COLOR, strokeWidth: 1.2 },
      encoding: {
        x: { field: "ds", type: "temporal", title: "date" },
        y: { field: "value", type: "quantitative", title: null, axis: { format: o.relative ? ".0%" : "~s" } },
      },
    },
  };
}
