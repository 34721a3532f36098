import pl from "nodejs-polars";
import { MS_PER_DAY, round, worstStatus, type CheckResult, type CheckStatus } from "./checks.js";
import { ksTest } from "./ks.js";
import { psi } from "./psi.js";
import { mean, sampleStandardDeviation } from "../stats/descriptive.js";

/**
 * Drift of order features between the latest full window and a baseline window just before it.
 *
 * Windows (UTC calendar days, the last day being the as-of day):
 * - monthly: the latest full calendar month ending on or before the as-of day, against the 3 months before it;
 * - weekly: the latest full Monday–Sunday week ending on or before the as-of day, against the 8 weeks before it.
 * Per feature: PSI (10 baseline-quantile bins) and the KS statistic D; the status is the worse of the two.
 * Orders per day has only 7 or ~30 values in the latest window, too few for a stable PSI, so it is judged
 * on the change of the mean daily order count instead (PSI and D are shown for information).
 * Delivery days are known only for delivered orders, so a recent window is biased towards fast deliveries.
 * Monthly revenue: z-score of the latest full month's revenue against the 12 months before it.
 */

/** One order, as the drift checks need it (NaN where the order facts have null). */
export interface OrderObservation {
  readonly purchaseMs: number;
  /** Sum of item prices of the order. */
  readonly price: number;
  /** Sum of item freight of the order. */
  readonly freight: number;
  readonly paymentValue: number;
  /** Largest number of instalments among the order's payments. */
  readonly installments: number;
  readonly reviewScore: number;
  readonly deliveryDays: number;
  /** Revenue as REVENUE_DEFINITION (0 for canceled/unavailable). */
  readonly revenue: number;
}

export type DriftFeature = "price" | "freight" | "payment_value" | "installments" | "review_score" | "delivery_days";
export const DRIFT_FEATURES: readonly DriftFeature[] = ["price", "freight", "payment_value", "installments", "review_score", "delivery_days"];

const FEATURE_VALUE: Record<DriftFeature, (o: OrderObservation) => number> = {
  price: (o) => o.price,
  freight: (o) => o.freight,
  payment_value: (o) => o.paymentValue,
  installments: (o) => o.installments,
  review_score: (o) => o.reviewScore,
  delivery_days: (o) => o.deliveryDays,
};

export interface DriftConfig {
  readonly psi: { readonly warnAt: number; readonly failAbove: number; readonly bins: number; readonly epsilon: number };
  readonly ks: { readonly warnAt: number; readonly failAt: number };
  /** Below this many values in the latest window a feature is not judged (warn "too few"). */
  readonly minValues: number;
  readonly monthly: { readonly baselineMonths: number };
  readonly weekly: { readonly baselineWeeks: number };
  /** Change of mean orders per day, in percent (absolute): warn at, fail at. */
  readonly ordersPerDay: { readonly warnAtChangePct: number; readonly failAtChangePct: number };
  readonly revenue: { readonly historyMonths: number; readonly minHistoryMonths: number; readonly warnAbsZ: number; readonly failAbsZ: number };
}

export const DEFAULT_DRIFT_CONFIG: DriftConfig = {
  psi: { warnAt: 0.1, failAbove: 0.25, bins: 10, epsilon: 1e-4 },
  ks: { warnAt: 0.1, failAt: 0.2 },
  minValues: 100,
  monthly: { baselineMonths: 3 },
  weekly: { baselineWeeks: 8 },
  ordersPerDay: { warnAtChangePct: 25, failAtChangePct: 50 },
  revenue: { historyMonths: 12, minHistoryMonths: 3, warnAbsZ: 2, failAbsZ: 3 },
};

/** Half-open day ranges [startDay, endDay) in days since 1970-01-01 (UTC). */
export interface DayRange {
  readonly startDay: number;
  readonly endDay: number;
  readonly label: string;
}

export interface DriftWindows {
  readonly period: "monthly" | "weekly";
  readonly latest: DayRange;
  readonly baseline: DayRange;
}

const dayOf = (ms: number): number => Math.floor(ms / MS_PER_DAY);
const isoDay = (day: number): string => new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
const monthStartDay = (year: number, month: number): number => Date.UTC(year, month, 1) / MS_PER_DAY;
const monthLabel = (day: number): string => isoDay(day).slice(0, 7);

/** The latest full calendar month on or before `asOfDay`, and the `baselineMonths` before it. */
export function monthlyWindows(asOfDay: number, baselineMonths = DEFAULT_DRIFT_CONFIG.monthly.baselineMonths): DriftWindows {
  const d = new Date(asOfDay * MS_PER_DAY);
  const year = d.getUTCFullYear();
  let month = d.getUTCMonth();
  // the as-of month counts only if the as-of day is its last day
  if (monthStartDay(year, month + 1) !== asOfDay + 1) month -= 1;
  const start = monthStartDay(year, month);
  const end = monthStartDay(year, month + 1);
  const baseStart = monthStartDay(year, month - baselineMonths);
  return {
    period: "monthly",
    latest: { startDay: start, endDay: end, label: monthLabel(start) },
    baseline: { startDay: baseStart, endDay: start, label: `${monthLabel(baseStart)}..${monthLabel(start - 1)}` },
  };
}

/** The latest full Monday–Sunday week on or before `asOfDay`, and the `baselineWeeks` before it. */
export function weeklyWindows(asOfDay: number, baselineWeeks = DEFAULT_DRIFT_CONFIG.weekly.baselineWeeks): DriftWindows {
  const weekday = (new Date(asOfDay * MS_PER_DAY).getUTCDay() + 6) % 7; // Monday 0 .. Sunday 6
  const end = weekday === 6 ? asOfDay + 1 : asOfDay - weekday;
  const start = end - 7;
  const baseStart = start - 7 * baselineWeeks;
  return {
    period: "weekly",
    latest: { startDay: start, endDay: end, label: `week ${isoDay(start)}..${isoDay(end - 1)}` },
    baseline: { startDay: baseStart, endDay: start, label: `${isoDay(baseStart)}..${isoDay(start - 1)}` },
  };
}

function inRange(orders: readonly OrderObservation[], r: DayRange): OrderObservation[] {
  return orders.filter((o) => {
    const day = dayOf(o.purchaseMs);
    return day >= r.startDay && day < r.endDay;
  });
}

/** Orders per calendar day of the range, days without orders included as 0. */
export function ordersPerDay(orders: readonly OrderObservation[], r: DayRange): number[] {
  const counts = new Array<number>(Math.max(0, r.endDay - r.startDay)).fill(0);
  for (const o of orders) {
    const i = dayOf(o.purchaseMs) - r.startDay;
    if (i >= 0 && i < counts.length) counts[i]!++;
  }
  return counts;
}

export interface FeatureDrift {
  readonly period: "monthly" | "weekly";
  readonly feature: DriftFeature | "orders_per_day";
  readonly latest: string;
  readonly baseline: string;
  readonly n: number;
  readonly m: number;
  readonly psi: number | null;
  readonly ksD: number | null;
  readonly ksPValue: number | null;
  readonly status: CheckStatus;
  readonly result: CheckResult;
}

function psiStatus(v: number, c: DriftConfig): CheckStatus {
  return v > c.psi.failAbove ? "fail" : v >= c.psi.warnAt ? "warn" : "pass";
}
function ksStatus(d: number, c: DriftConfig): CheckStatus {
  return d >= c.ks.failAt ? "fail" : d >= c.ks.warnAt ? "warn" : "pass";
}
const f3 = (x: number): string => x.toFixed(3);

function thresholdText(c: DriftConfig): string {
  return `PSI pass < ${c.psi.warnAt}, fail > ${c.psi.failAbove}; KS D pass < ${c.ks.warnAt}, fail >= ${c.ks.failAt}`;
}

/** PSI and KS of one feature between two samples, judged against the config. */
export function compareSamples(
  baseline: readonly number[],
  current: readonly number[],
  label: { period: "monthly" | "weekly"; feature: DriftFeature; latest: string; baseline: string },
  config: DriftConfig = DEFAULT_DRIFT_CONFIG,
): FeatureDrift {
  const b = baseline.filter(Number.isFinite);
  const a = current.filter(Number.isFinite);
  const check = `drift ${label.period}: ${label.feature}`;
  const windows = `${label.latest} vs ${label.baseline}`;
  if (a.length < config.minValues || b.length < config.minValues) {
    const result: CheckResult = {
      check,
      status: "warn",
      value: null,
      threshold: thresholdText(config),
      detail: `${windows}: too few values to judge (${a.length} vs ${b.length}, need ${config.minValues} each)`,
    };
    return { ...label, n: a.length, m: b.length, psi: null, ksD: null, ksPValue: null, status: "warn", result };
  }
  const p = psi(b, a, { bins: config.psi.bins, epsilon: config.psi.epsilon });
  const ks = ksTest(a, b);
  const status = worstStatus([psiStatus(p, config), ksStatus(ks.d, config)]);
  const result: CheckResult = {
    check,
    status,
    value: round(p, 4),
    threshold: thresholdText(config),
    detail: `${windows} (${a.length.toLocaleString("en-US")} vs ${b.length.toLocaleString("en-US")}): PSI ${f3(p)}, KS D ${f3(ks.d)} (p ${ks.pValue.toPrecision(2)}), mean ${mean(a).toFixed(2)} vs ${mean(b).toFixed(2)}`,
  };
  return { ...label, n: a.length, m: b.length, psi: p, ksD: ks.d, ksPValue: ks.pValue, status, result };
}

/** Orders per day: judged on the change of the mean, PSI and KS reported. */
export function ordersPerDayDrift(orders: readonly OrderObservation[], w: DriftWindows, config: DriftConfig = DEFAULT_DRIFT_CONFIG): FeatureDrift {
  const a = ordersPerDay(orders, w.latest);
  const b = ordersPerDay(orders, w.baseline);
  const ma = mean(a);
  const mb = mean(b);
  const change = mb === 0 ? (ma === 0 ? 0 : Number.POSITIVE_INFINITY) : (100 * (ma - mb)) / mb;
  const { warnAtChangePct, failAtChangePct } = config.ordersPerDay;
  const abs = Math.abs(change);
  const status: CheckStatus = abs >= failAtChangePct ? "fail" : abs >= warnAtChangePct ? "warn" : "pass";
  const p = psi(b, a, { bins: config.psi.bins, epsilon: config.psi.epsilon });
  const ks = ksTest(a, b);
  const result: CheckResult = {
    check: `drift ${w.period}: orders_per_day`,
    status,
    value: round(change, 2),
    threshold: `change of mean: pass < ${warnAtChangePct}%, fail >= ${failAtChangePct}%`,
    detail: `${w.latest.label} vs ${w.baseline.label}: ${ma.toFixed(1)} vs ${mb.toFixed(1)} orders/day (${change >= 0 ? "+" : ""}${change.toFixed(1)}%); PSI ${f3(p)}, KS D ${f3(ks.d)} (info only: ${a.length} days)`,
  };
  return {
    period: w.period,
    feature: "orders_per_day",
    latest: w.latest.label,
    baseline: w.baseline.label,
    n: a.length,
    m: b.length,
    psi: p,
    ksD: ks.d,
    ksPValue: ks.pValue,
    status,
    result,
  };
}

/** Every feature, plus orders per day, for one pair of windows. */
export function driftForWindows(orders: readonly OrderObservation[], w: DriftWindows, config: DriftConfig = DEFAULT_DRIFT_CONFIG): FeatureDrift[] {
  const latest = inRange(orders, w.latest);
  const baseline = inRange(orders, w.baseline);
  const features = DRIFT_FEATURES.map((feature) =>
    compareSamples(baseline.map(FEATURE_VALUE[feature]), latest.map(FEATURE_VALUE[feature]), {
      period: w.period,
      feature,
      latest: w.latest.label,
      baseline: w.baseline.label,
    }, config),
  );
  return [...features, ordersPerDayDrift(orders, w, config)];
}

export interface RevenueCheck {
  readonly month: string;
  readonly revenue: number;
  readonly history: readonly { readonly month: string; readonly revenue: number }[];
  readonly z: number | null;
  readonly result: CheckResult;
}

/** Revenue of the latest full month against the `historyMonths` before it (months with no orders count as 0). */
export function monthlyRevenueCheck(orders: readonly OrderObservation[], asOfDay: number, config: DriftConfig = DEFAULT_DRIFT_CONFIG): RevenueCheck {
  const { historyMonths, minHistoryMonths, warnAbsZ, failAbsZ } = config.revenue;
  const firstDay = orders.reduce((m, o) => Math.min(m, dayOf(o.purchaseMs)), Number.POSITIVE_INFINITY);
  const latest = monthlyWindows(asOfDay, 0).latest;
  const totals = new Map<string, number>();
  for (const o of orders) {
    const key = monthLabel(dayOf(o.purchaseMs));
    totals.set(key, (totals.get(key) ?? 0) + (Number.isFinite(o.revenue) ? o.revenue : 0));
  }
  const d = new Date(latest.startDay * MS_PER_DAY);
  const history: { month: string; revenue: number }[] = [];
  for (let k = historyMonths; k >= 1; k--) {
    const start = monthStartDay(d.getUTCFullYear(), d.getUTCMonth() - k);
    const end = monthStartDay(d.getUTCFullYear(), d.getUTCMonth() - k + 1);
    if (end <= firstDay) continue; // before the data starts
    history.push({ month: monthLabel(start), revenue: totals.get(monthLabel(start)) ?? 0 });
  }
  const revenue = totals.get(latest.label) ?? 0;
  const threshold = `|z| pass < ${warnAbsZ}, fail > ${failAbsZ} (vs the ${historyMonths} months before)`;
  if (history.length < minHistoryMonths) {
    return {
      month: latest.label,
      revenue,
      history,
      z: null,
      result: { check: "monthly revenue vs history", status: "warn", value: null, threshold, detail: `${latest.label}: only ${history.length} months of history (need ${minHistoryMonths})` },
    };
  }
  const h = history.map((x) => x.revenue);
  const m = mean(h);
  const sd = sampleStandardDeviation(h);
  const z = sd === 0 ? (revenue === m ? 0 : Math.sign(revenue - m) * Number.POSITIVE_INFINITY) : (revenue - m) / sd;
  const status: CheckStatus = Math.abs(z) > failAbsZ ? "fail" : Math.abs(z) >= warnAbsZ ? "warn" : "pass";
  const brl = (x: number): string => `R$${Math.round(x).toLocaleString("en-US")}`;
  return {
    month: latest.label,
    revenue,
    history,
    z,
    result: {
      check: "monthly revenue vs history",
      status,
      value: round(z, 3),
      threshold,
      detail: `${latest.label} ${brl(revenue)} vs ${history[0]!.month}..${history[history.length - 1]!.month} mean ${brl(m)}, sd ${brl(sd)}`,
    },
  };
}

export interface DriftReport {
  readonly asOf: string;
  readonly monthly: readonly FeatureDrift[];
  readonly weekly: readonly FeatureDrift[];
  readonly revenue: RevenueCheck;
}

/** Monthly and weekly drift and the revenue check as of `asOfDay` (orders after it are ignored). */
export function driftReport(orders: readonly OrderObservation[], asOfDay: number, config: DriftConfig = DEFAULT_DRIFT_CONFIG): DriftReport {
  const upTo = orders.filter((o) => dayOf(o.purchaseMs) <= asOfDay);
  return {
    asOf: isoDay(asOfDay),
    monthly: driftForWindows(upTo, monthlyWindows(asOfDay, config.monthly.baselineMonths), config),
    weekly: driftForWindows(upTo, weeklyWindows(asOfDay, config.weekly.baselineWeeks), config),
    revenue: monthlyRevenueCheck(upTo, asOfDay, config),
  };
}

export function driftChecks(report: DriftReport): CheckResult[] {
  return [...report.monthly.map((f) => f.result), report.revenue.result, ...report.weekly.map((f) => f.result)];
}

export function dayNumber(ms: number): number {
  return dayOf(ms);
}

const num = (v: unknown): number => (v === null || v === undefined ? Number.NaN : Number(v));

/** Adapter: the order-facts frame (src/features/order-facts.ts) as plain observations. */
export function orderObservationsFromFacts(orderFacts: pl.DataFrame): OrderObservation[] {
  const cols = orderFacts.select(
    pl.col("order_purchase_timestamp").cast(pl.Float64).alias("t"),
    pl.col("items_price").cast(pl.Float64).alias("price"),
    pl.col("items_freight").cast(pl.Float64).alias("freight"),
    pl.col("payment_value").cast(pl.Float64).alias("pay"),
    pl.col("max_installments").cast(pl.Float64).alias("inst"),
    pl.col("review_score").cast(pl.Float64).alias("review"),
    pl.col("delivery_days").cast(pl.Float64).alias("delivery"),
    pl.col("revenue").cast(pl.Float64).alias("revenue"),
  );
  const get = (name: string): unknown[] => cols.getColumn(name).toArray() as unknown[];
  const [t, price, freight, pay, inst, review, delivery, revenue] = ["t", "price", "freight", "pay", "inst", "review", "delivery", "revenue"].map(get) as [
    unknown[], unknown[], unknown[], unknown[], unknown[], unknown[], unknown[], unknown[],
  ];
  const out: OrderObservation[] = new Array(cols.height);
  for (let i = 0; i < cols.height; i++) {
    out[i] = {
      purchaseMs: num(t[i]),
      price: num(price[i]),
      freight: num(freight[i]),
      paymentValue: num(pay[i]),
      installments: num(inst[i]),
      reviewScore: num(review[i]),
      deliveryDays: num(delivery[i]),
      revenue: num(revenue[i]),
    };
  }
  return out;
}

/** The data's own end: the latest purchase, approval, carrier or delivery time in the order facts. */
export function dataEndMs(orderFacts: pl.DataFrame): number {
  const cols = ["order_purchase_timestamp", "order_approved_at", "order_delivered_carrier_date", "order_delivered_customer_date"];
  const row = orderFacts.select(...cols.map((c) => pl.col(c).cast(pl.Float64).max().alias(c))).toRecords()[0] ?? {};
  return Math.max(...cols.map((c) => num(row[c])).filter(Number.isFinite));
}

/** The latest purchase time in the order facts. */
export function lastPurchaseMs(orderFacts: pl.DataFrame): number {
  const row = orderFacts.select(pl.col("order_purchase_timestamp").cast(pl.Float64).max().alias("t")).toRecords()[0] ?? {};
  return num(row["t"]);
}
