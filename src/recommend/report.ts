import { METRIC_NAMES, topK, type MetricName } from "./metrics.js";
import { bootstrapMeanDifference, DEFAULT_BOOTSTRAP, type BootstrapOptions } from "../stats/bootstrap.js";
import { historyBefore } from "./dataset.js";
import type { EvaluationResult, MetricRow, ReportedProtocol, TrainingHistory } from "./evaluate.js";
import type { FittedTwoTower } from "./fit.js";
import type { HybridWeights } from "./hybrid.js";
import type { EpochStats } from "./two-tower.js";
import type { Dataset, EvalQuery, Scorer } from "./types.js";

/**
 * MLflow metric key of a protocol x model x metric. MLflow keys allow no "@" or "+", so "hr@10" becomes
 * "hr_at_10" and a hybrid "two-tower+prior" becomes "two-tower_plus_prior".
 */
export function recommendMetricKey(protocol: string, model: string, metric: string): string {
  return `${protocol}.${model.replaceAll("+", "_plus_")}.${metric.replace("@", "_at_")}`;
}

/**
 * Final metrics for MLflow: means for every row, the std over seeds where there are several seeds, and
 * the 95% interval as `<key>_ci_low` / `<key>_ci_high` where the row has one (not coverage@10).
 */
export function recommendMetrics(rows: readonly MetricRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) {
    const key = recommendMetricKey(r.protocol, r.model, r.metric);
    out[key] = r.mean;
    if (r.seeds > 1) out[`${key}.std`] = r.std;
    if (Number.isFinite(r.ciLow) && Number.isFinite(r.ciHigh)) {
      out[`${key}_ci_low`] = r.ciLow;
      out[`${key}_ci_high`] = r.ciHigh;
    }
  }
  return out;
}

/** " [0.1580, 0.1720]": a row's 95% interval, or "" when it has none. */
function intervalText(r: Pick<MetricRow, "ciLow" | "ciHigh">, digits: number): string {
  return Number.isFinite(r.ciLow) && Number.isFinite(r.ciHigh) ? ` [${r.ciLow.toFixed(digits)}, ${r.ciHigh.toFixed(digits)}]` : "";
}

/** "0.1650 [0.1580, 0.1720]": a mean with its 95% interval, or the mean alone when the row has none. */
export function formatWithInterval(r: Pick<MetricRow, "mean" | "ciLow" | "ciHigh">, digits = 4): string {
  return `${r.mean.toFixed(digits)}${intervalText(r, digits)}`;
}

/**
 * One table row per protocol x model with the mean of every metric and the number of evaluated
 * purchases. `withInterval` gives text cells "mean [low, high]" (the 95% bootstrap interval over
 * purchases; coverage@10 has none); `withStd` gives "mean ± std" where there are several seeds;
 * both: "mean ± std [low, high]".
 */
export function metricTableRows(rows: readonly MetricRow[], options: { withStd?: boolean; withInterval?: boolean } = {}): Record<string, string | number>[] {
  const keys = [...new Set(rows.map((r) => `${r.protocol}\u0000${r.model}`))];
  const text = options.withStd === true || options.withInterval === true;
  const cell = (r: MetricRow): string => {
    const std = options.withStd === true && r.seeds > 1 ? ` ± ${r.std.toFixed(4)}` : "";
    const interval = options.withInterval === true ? intervalText(r, 4) : "";
    return `${r.mean.toFixed(4)}${std}${interval}`;
  };
  return keys.map((key) => {
    const [protocol, model] = key.split("\u0000") as [string, string];
    const own = rows.filter((r) => r.protocol === protocol && r.model === model);
    const row: Record<string, string | number> = { protocol, model, purchases: own[0]?.queries ?? 0, seeds: own[0]?.seeds ?? 0 };
    for (const metric of METRIC_NAMES) {
      const r = own.find((x) => x.metric === metric);
      row[metric] = !text ? (r?.mean ?? NaN) : r === undefined ? "" : cell(r);
    }
    return row;
  });
}

/** True for the two-tower model and every model built on it (a name starting with "two-tower", e.g. "two-tower+prior"). */
export function isTwoTowerModel(model: string): boolean {
  return model.startsWith("two-tower");
}

/** Per-seed values with mean and std of the two-tower models, one row per protocol x model x metric. */
export function seedSpreadRows(rows: readonly MetricRow[], metrics: readonly MetricName[] = ["hr@1", "hr@10", "mrr"]): Record<string, string | number>[] {
  return rows
    .filter((r) => isTwoTowerModel(r.model) && metrics.includes(r.metric))
    .map((r) => ({ protocol: r.protocol, model: r.model, metric: r.metric, ...Object.fromEntries(r.values.map((v, i) => [`seed ${i + 1}`, v])), mean: r.mean, std: r.std }));
}

/** The two-tower models' seeds: "5 seeds", or when protocols differ "5 seeds (loo-sampled-99-leaky: 2)". */
export function seedCountText(rows: readonly MetricRow[]): string {
  const byProtocol = new Map(rows.filter((r) => isTwoTowerModel(r.model)).map((r) => [r.protocol, r.seeds]));
  const most = Math.max(0, ...byProtocol.values());
  const fewer = [...byProtocol].filter(([, n]) => n !== most).map(([p, n]) => `${p}: ${n}`);
  return `${most} seed${most === 1 ? "" : "s"}${fewer.length > 0 ? ` (${fewer.join(", ")})` : ""}`;
}

/** Per-epoch training loss rows for a line chart, one series per protocol and seed. */
export function lossCurveRows(histories: readonly TrainingHistory[]): { epoch: number; loss: number; run: string }[] {
  return histories.flatMap((h) => h.history.map((e) => ({ epoch: e.epoch, loss: e.loss, run: `${h.protocol} seed ${h.seed}` })));
}

/** What early stopping and the blend chose for one protocol and seed (TrainingHistory's fields, for a table). */
export interface TrainingChoice {
  protocol: string;
  seed: number;
  history: readonly Pick<EpochStats, "epoch" | "validation">[];
  epochsUsed?: number;
  validationQueries?: number;
  hybrid?: Pick<HybridWeights, "warm" | "cold">;
}

/**
 * One row per protocol x seed: epochs run, the epoch kept by early stopping, its validation MRR, the
 * validation queries, and two-tower+prior's weights (a = two-tower logit, s = same last category,
 * k = co-purchase, p = price level; a0 for customers without history).
 */
export function trainingChoiceRows(histories: readonly TrainingChoice[]): Record<string, string | number>[] {
  return histories.map((h) => {
    const kept = h.history.find((e) => e.epoch === h.epochsUsed);
    const w = h.hybrid;
    return {
      protocol: h.protocol,
      seed: h.seed,
      "epochs run": h.history.length,
      "epochs used": h.epochsUsed ?? h.history.length,
      "validation MRR": kept?.validation === undefined ? "" : Number(kept.validation.toFixed(4)),
      "validation queries": h.validationQueries ?? 0,
      "two-tower+prior weights": w ? `a ${w.warm.twoTower}, s ${w.warm.sameCategory}, k ${w.warm.coPurchase}, p ${w.warm.priceLevel}; a0 ${w.cold.twoTower}` : "",
    };
  });
}

/** How a two-tower model compares with the best baseline of a protocol on one metric. */
export interface Comparison {
  model: string;
  baseline: string;
  /** "wins"/"loses" when the 95% interval of the paired difference lies above/below 0; null without per-purchase values. */
  outcome: "wins" | "loses" | "level with" | null;
  /** model mean − baseline mean, and the paired-bootstrap interval of it (NaN without per-purchase values). */
  difference: number;
  low: number;
  high: number;
}

export interface Verdict {
  protocol: ReportedProtocol;
  /** The model(s) with the highest mean (several when tied). */
  winner: string;
  comparisons: Comparison[];
  sentence: string;
}

const VERB = { wins: "wins against", loses: "loses to", "level with": "is level with" } as const;
const signed = (x: number): string => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(4)}`;

/**
 * Differences this small are rounding, not a result: a hybrid that ranks exactly as a baseline has
 * per-purchase values averaged over seeds that differ from the baseline's in the last bits, which would
 * otherwise give an interval of [-1e-17, -1e-17] and a "loses".
 */
const DIFFERENCE_TOLERANCE = 1e-9;

/** Paired comparison of a two-tower row with a baseline row of the same protocol and metric. */
export function compareRows(tower: MetricRow, baseline: MetricRow, bootstrap: BootstrapOptions = {}): Comparison {
  const difference = tower.mean - baseline.mean;
  if (tower.perQuery === null || baseline.perQuery === null || tower.perQuery.length !== baseline.perQuery.length || tower.perQuery.length === 0) {
    return { model: tower.model, baseline: baseline.model, outcome: null, difference, low: Number.NaN, high: Number.NaN };
  }
  const seed = `${bootstrap.seed ?? DEFAULT_BOOTSTRAP.seed}:${tower.protocol}:difference`;
  const { low, high } = bootstrapMeanDifference(tower.perQuery, baseline.perQuery, { ...bootstrap, seed });
  const outcome = low > DIFFERENCE_TOLERANCE ? "wins" : high < -DIFFERENCE_TOLERANCE ? "loses" : "level with";
  return { model: tower.model, baseline: baseline.model, outcome, difference, low, high };
}

/**
 * Which model has the highest mean on `metric` in each reported protocol, and how every two-tower
 * model (a name starting with "two-tower") compares with the best baseline: it **wins** when the 95%
 * paired-bootstrap interval of the difference (resampling evaluated purchases, each model's
 * per-purchase values averaged over its seeds) lies above 0, **loses** when it lies below 0, and is
 * **level with** it otherwise. One plain sentence per protocol with the means, their intervals and
 * the interval of each difference. Baselines tied for best: the first listed is compared.
 */
export function verdicts(rows: readonly MetricRow[], metric: MetricName = "hr@10", bootstrap: BootstrapOptions = {}): Verdict[] {
  const protocols = [...new Set(rows.map((r) => r.protocol))];
  return protocols.map((protocol) => {
    const listed = rows.filter((r) => r.protocol === protocol && r.metric === metric);
    const own = listed.slice().sort((a, b) => b.mean - a.mean);
    const best = own[0]!;
    const tied = own.filter((r) => Math.abs(r.mean - best.mean) <= 1e-12);
    const n = best.queries.toLocaleString("en-US");
    let sentence =
      tied.length > 1
        ? `**${protocol}** (${n} purchases), ${metric}: ${tied.map((r) => r.model).join(", ")} tie for the highest mean, ${best.mean.toFixed(4)}`
        : `**${protocol}** (${n} purchases), ${metric}: ${best.model} has the highest mean, ${formatWithInterval(best)}`;
    const baseline = own.find((r) => !isTwoTowerModel(r.model));
    const towers = listed.filter((r) => isTwoTowerModel(r.model));
    const comparisons = baseline === undefined ? [] : towers.map((t) => compareRows(t, baseline, bootstrap));
    const clauses = comparisons.map((c, k) => {
      const t = towers[k]!;
      const base = `${c.model} ${formatWithInterval(t)} ${c.outcome === null ? (c.difference > 0 ? "is ahead of" : c.difference < 0 ? "is behind" : "is level with") : VERB[c.outcome]} ${baseline!.model} ${formatWithInterval(baseline!)}`;
      if (c.outcome === null) return `${base} (difference ${signed(c.difference)}; no per-purchase values, so no interval)`;
      return `${base}: difference ${signed(c.difference)}, 95% interval [${signed(c.low)}, ${signed(c.high)}]${c.outcome === "level with" ? ", which includes 0" : ""}`;
    });
    sentence += clauses.length > 0 ? `; ${clauses.join("; ")}.` : ".";
    return { protocol, winner: tied.map((r) => r.model).join(", "), comparisons, sentence };
  });
}

/**
 * What `recommend` serves and why, in words, from the temporal-full verdicts (the protocol that
 * matches serving: trained on the past, the next purchases ranked against the whole catalogue) and
 * the blend weights the validation windows chose: two-tower+prior, and whether its two-tower part
 * carries any weight or it ranks by the priors alone.
 */
export function servingSummary(allVerdicts: readonly Verdict[], histories: readonly Pick<TrainingHistory, "protocol" | "hybrid">[]): string {
  const served = "two-tower+prior";
  const outcomeIn = (protocol: ReportedProtocol): string => {
    const verdict = allVerdicts.find((v) => v.protocol === protocol);
    const c = verdict?.comparisons.find((x) => x.model === served);
    if (!verdict || !c) return `${protocol}: not evaluated`;
    return `${c.outcome === null ? (c.difference >= 0 ? "is ahead of" : "is behind") : VERB[c.outcome]} ${c.baseline} (HR@10 difference ${signed(c.difference)}${Number.isNaN(c.low) ? "" : `, 95% interval [${signed(c.low)}, ${signed(c.high)}]`})`;
  };
  const weights = histories.filter((h) => h.protocol === "temporal-full" && h.hybrid).map((h) => h.hybrid!);
  const zeroWarm = weights.filter((w) => w.warm.twoTower === 0).length;
  const zeroCold = weights.filter((w) => w.cold.twoTower === 0).length;
  const lost = allVerdicts.some((v) => (v.protocol === "temporal-full" || v.protocol === "temporal-full-cold-start") && v.comparisons.some((c) => c.model === served && c.outcome === "loses"));
  const parts = [
    `**What \`recommend\` serves: ${served}.** Under temporal-full, for returning customers it ${outcomeIn("temporal-full")}; for new customers it ${outcomeIn("temporal-full-cold-start")}.`,
    lost
      ? `It loses there: the weights the validation window chose did not carry over to the test window, and the baseline it loses to is the better model to serve on this data.`
      : `Serving it costs nothing against the best baseline, which it reproduces when its two-tower weight is 0.`,
  ];
  if (weights.length > 0) {
    parts.push(
      zeroWarm === weights.length && zeroCold === weights.length
        ? `The validation windows gave the two-tower logit weight 0 in all ${weights.length} seeds, for customers with and without history: on this data the blend ranks by the priors alone (popularity, last category, co-purchases, price level), and the neural part adds nothing measurable.`
        : `The validation windows gave the two-tower logit a weight above 0 in ${weights.length - zeroWarm} of ${weights.length} seeds for returning customers and ${weights.length - zeroCold} of ${weights.length} for new ones; elsewhere the blend ranks by the priors alone.`,
    );
  }
  return parts.join(" ");
}

/**
 * 2-D principal-component projection of the rows of an n x dim matrix (power iteration on the
 * covariance, deflated once); deterministic up to the sign of each axis, fixed by making the
 * largest-magnitude loading positive.
 */
export function projectTo2d(matrix: Float32Array, dim: number, rows: readonly number[]): { x: number; y: number }[] {
  const n = rows.length;
  const mean = new Float64Array(dim);
  for (const r of rows) for (let d = 0; d < dim; d++) mean[d]! += matrix[r * dim + d]! / n;
  const cov = new Float64Array(dim * dim);
  for (const r of rows) {
    for (let i = 0; i < dim; i++) {
      const a = matrix[r * dim + i]! - mean[i]!;
      for (let j = 0; j < dim; j++) cov[i * dim + j]! += (a * (matrix[r * dim + j]! - mean[j]!)) / Math.max(1, n - 1);
    }
  }
  const components: Float64Array[] = [];
  for (let c = 0; c < 2; c++) {
    let v: Float64Array = Float64Array.from({ length: dim }, (_, i) => 1 / Math.sqrt(dim) + i * 1e-3);
    for (let iter = 0; iter < 300; iter++) {
      const next = new Float64Array(dim);
      for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) next[i]! += cov[i * dim + j]! * v[j]!;
      for (const prev of components) {
        const dot = next.reduce((s, x, i) => s + x * prev[i]!, 0);
        for (let i = 0; i < dim; i++) next[i]! -= dot * prev[i]!;
      }
      const norm = Math.sqrt(next.reduce((s, x) => s + x * x, 0)) || 1;
      v = next.map((x) => x / norm);
    }
    let big = 0;
    for (let i = 0; i < dim; i++) if (Math.abs(v[i]!) > Math.abs(v[big]!)) big = i;
    if (v[big]! < 0) v = v.map((x) => -x);
    components.push(v);
  }
  return rows.map((r) => {
    const p = [0, 0];
    for (let c = 0; c < 2; c++) for (let d = 0; d < dim; d++) p[c]! += (matrix[r * dim + d]! - mean[d]!) * components[c]![d]!;
    return { x: p[0]!, y: p[1]! };
  });
}

/** The `top` most sold items (training sales) projected to 2-D, labelled by category (the `categories` most common, else "other"). */
export function itemEmbeddingMap(fitted: FittedTwoTower, dataset: Dataset, top = 1500, categories = 8): { x: number; y: number; category: string; productId: string; sales: number }[] {
  const sales = fitted.itemFeatures.sales;
  const items = Array.from(sales.keys()).filter((i) => sales[i]! > 0).sort((a, b) => sales[b]! - sales[a]! || a - b).slice(0, top);
  const counts = new Map<string, number>();
  for (const i of items) counts.set(dataset.items[i]!.category, (counts.get(dataset.items[i]!.category) ?? 0) + 1);
  const shown = new Set([...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, categories).map(([c]) => c));
  const points = projectTo2d(fitted.itemEmbeddings, fitted.model.config.embeddingDim, items);
  return items.map((item, k) => {
    const category = dataset.items[item]!.category;
    return { ...points[k]!, category: shown.has(category) ? category : "other", productId: dataset.items[item]!.productId, sales: sales[item]! };
  });
}

export interface ExampleRecommendation {
  user: string;
  kind: "returning customer" | "cold-start";
  history: string;
  purchased: string;
  rankOfPurchase: number;
  top10: string;
}

/**
 * A few evaluated purchases with what the scorer recommended: the user's history before the
 * cut-off, the product they bought, its rank in the full catalogue and the top 10 (categories).
 */
export function exampleRecommendations(scorer: Scorer, dataset: Dataset, queries: readonly EvalQuery[], count = 4): ExampleRecommendation[] {
  const warm = queries.filter((q) => !q.coldStart && q.candidates === null).slice(0, Math.max(1, count - 1));
  const cold = queries.filter((q) => q.coldStart && q.candidates === null).slice(0, 1);
  const chosen = [...warm, ...cold];
  if (chosen.length === 0) return [];
  const scores = scorer.scoreBatch(chosen);
  const label = (item: number) => dataset.items[item]!.category;
  return chosen.map((q, k) => {
    const s = scores[k]!;
    const target = s[q.target]!;
    let greater = 0;
    for (const v of s) if (v > target) greater += 1;
    const history = Array.from(historyBefore(dataset, q.user, q.knownBefore), (i) => label(dataset.interactions.item[i]!));
    return {
      user: dataset.userIds[q.user]!,
      kind: q.coldStart ? "cold-start" : "returning customer",
      history: history.length > 0 ? history.join(", ") : "(none)",
      purchased: `${label(q.target)} (${dataset.items[q.target]!.productId.slice(0, 8)}…)`,
      rankOfPurchase: greater + 1,
      top10: Array.from(topK(s, 10), (item) => (item === q.target ? `**${label(item)}**` : label(item))).join(", "),
    };
  });
}

export function evaluationOverview(result: EvaluationResult): Record<string, string | number>[] {
  return result.protocols.map((p) => ({ protocol: p.protocol, "training interactions": p.trainInteractions, "test purchases": p.testPurchases, "evaluated purchases": p.queries, "of them cold-start": p.coldStartQueries, "cut-off": p.cutoff ?? "", description: p.sampled === null ? p.description : `${p.description} Evaluated: ${p.sampled}.` }));
}

/** What a cell prints while a model trains: `temporal-full seed 2 epoch 4/10 loss 5.6123, 12,345 samples/s`, then `, training ETA 95 s` when evaluateRecommenders' onEpoch gives an ETA. */
export function epochProgressLine(info: { protocol: string; seed: number; epochs: number; stats: EpochStats; etaSeconds?: number | null }): string {
  const { epoch, loss, samples, seconds } = info.stats;
  const rate = seconds > 0 ? `, ${Math.round(samples / seconds).toLocaleString("en-US")} samples/s` : "";
  const eta = info.etaSeconds === undefined || info.etaSeconds === null ? "" : `, training ETA ${Math.ceil(info.etaSeconds)} s`;
  return `${info.protocol} seed ${info.seed} epoch ${epoch}/${info.epochs} loss ${loss.toFixed(4)}${rate}${eta}`;
}
