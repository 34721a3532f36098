import { coPurchaseScorer, lastCategoryScorer, popularityScorer, recentPopularityScorer } from "./baselines.js";
import { resolveTwoTowerConfig, type TwoTowerConfig } from "./config.js";
import { fitTwoTower, twoTowerScorer, type FittedTwoTower } from "./fit.js";
import { METRIC_NAMES, RankingAccumulator, type MetricName } from "./metrics.js";
import { leaveLastOutSplit, temporalFullSplit, type TemporalOptions } from "./protocols.js";
import { yieldToEventLoop, type EpochStats } from "./two-tower.js";
import { mean, sampleStandardDeviation } from "../stats/descriptive.js";
import type { Dataset, EvalQuery, ModelName, ProtocolName, ProtocolSplit, Scorer } from "./types.js";

/** Where a metric row's queries come from: a protocol, or its cold-start users for temporal-full. */
export type ReportedProtocol = ProtocolName | "temporal-full-cold-start";

export interface EvaluationOptions {
  protocols: readonly ProtocolName[];
  /** Number of two-tower seeds (1..seeds); baselines are deterministic and run once. */
  seeds: number;
  config: Partial<TwoTowerConfig>;
  temporal?: TemporalOptions;
  /** Seeds the leave-last-out held-out items and negatives, the same for every model and seed. */
  splitSeed?: string;
  recentWindowDays?: number;
  queryBatch?: number;
  onEpoch?: (info: { protocol: ProtocolName; seed: number; stats: EpochStats; epochs: number }) => void;
  onBatch?: (info: { protocol: ProtocolName; seed: number; epoch: number; batch: number; batches: number; loss: number }) => void;
  onStage?: (message: string) => void;
}

export interface MetricRow {
  protocol: ReportedProtocol;
  model: ModelName;
  metric: MetricName;
  mean: number;
  std: number;
  seeds: number;
  /** One value per seed. */
  values: number[];
  /** Evaluated purchases. */
  queries: number;
}

export interface ProtocolSummary {
  protocol: ProtocolName;
  description: string;
  trainInteractions: number;
  queries: number;
  coldStartQueries: number;
  cutoff: string | null;
}

export interface TrainingHistory {
  protocol: ProtocolName;
  seed: number;
  history: EpochStats[];
}

export interface EvaluationResult {
  config: TwoTowerConfig;
  protocols: ProtocolSummary[];
  rows: MetricRow[];
  histories: TrainingHistory[];
  /** The model of seed 1 under the first protocol run (temporal-full when it is run), with that protocol's split. */
  firstModel: { protocol: ProtocolName; fitted: FittedTwoTower; split: ProtocolSplit } | null;
}

export function protocolSplit(dataset: Dataset, protocol: ProtocolName, options: Pick<EvaluationOptions, "temporal" | "splitSeed">): ProtocolSplit {
  if (protocol === "temporal-full") return temporalFullSplit(dataset, options.temporal);
  return leaveLastOutSplit(dataset, { negatives: 99, seed: options.splitSeed ?? "loo-sampled-99", leaky: protocol === "loo-sampled-99-leaky" });
}

/** Query groups reported for a split: temporal-full splits warm users from cold-start ones. */
export function queryGroups(split: ProtocolSplit): { protocol: ReportedProtocol; queries: EvalQuery[] }[] {
  if (split.protocol !== "temporal-full") return [{ protocol: split.protocol, queries: split.queries }];
  return [
    { protocol: "temporal-full", queries: split.queries.filter((q) => !q.coldStart) },
    { protocol: "temporal-full-cold-start", queries: split.queries.filter((q) => q.coldStart) },
  ];
}

/** HR@1/5/10, MRR, NDCG@10 and coverage@10 of one scorer over the queries. */
export function scoreQueries(scorer: Scorer, queries: readonly EvalQuery[], catalogueSize: number, batchSize = 256): Record<MetricName, number> & { n: number } {
  const acc = new RankingAccumulator(catalogueSize);
  for (let start = 0; start < queries.length; start += batchSize) {
    const batch = queries.slice(start, start + batchSize);
    const scores = scorer.scoreBatch(batch);
    batch.forEach((q, k) => {
      const targetPos = q.candidates === null ? q.target : q.candidates.indexOf(q.target);
      if (targetPos < 0) throw new Error(`query of user ${q.user}: the target is not among the candidates`);
      acc.add(scores[k]!, targetPos, q.candidates);
    });
  }
  return acc.result();
}

export function baselineScorers(dataset: Dataset, split: ProtocolSplit, recentWindowDays = 30): Scorer[] {
  return [
    popularityScorer(dataset, split.train),
    recentPopularityScorer(dataset, split.train, recentWindowDays),
    coPurchaseScorer(dataset, split.train),
    lastCategoryScorer(dataset, split.train),
  ];
}

/**
 * Runs every protocol: the baselines once (they are deterministic), the two-tower model once per
 * seed, all on the same split, and reports mean and sample standard deviation over seeds.
 */
export async function evaluateRecommenders(dataset: Dataset, options: EvaluationOptions): Promise<EvaluationResult> {
  const config = resolveTwoTowerConfig(options.config);
  if (!Number.isInteger(options.seeds) || options.seeds < 1) throw new Error(`seeds must be a positive integer, got ${options.seeds}`);
  const catalogueSize = dataset.items.length;
  const rows: MetricRow[] = [];
  const summaries: ProtocolSummary[] = [];
  const histories: TrainingHistory[] = [];
  let firstModel: EvaluationResult["firstModel"] = null;
  for (const protocol of options.protocols) {
    options.onStage?.(`${protocol}: splitting`);
    const split = protocolSplit(dataset, protocol, options);
    summaries.push({
      protocol,
      description: split.description,
      trainInteractions: split.train.length,
      queries: split.queries.length,
      coldStartQueries: split.queries.filter((q) => q.coldStart).length,
      cutoff: split.cutoff === undefined ? null : new Date(split.cutoff).toISOString(),
    });
    const groups = queryGroups(split);
    for (const scorer of baselineScorers(dataset, split, options.recentWindowDays)) {
      options.onStage?.(`${protocol}: ${scorer.name}`);
      for (const group of groups) {
        pushRows(rows, group.protocol, scorer.name, [scoreQueries(scorer, group.queries, catalogueSize, options.queryBatch)]);
        await yieldToEventLoop();
      }
    }
    const perSeed: Map<ReportedProtocol, (Record<MetricName, number> & { n: number })[]> = new Map(groups.map((g) => [g.protocol, []]));
    for (let seed = 1; seed <= options.seeds; seed++) {
      options.onStage?.(`${protocol}: two-tower seed ${seed}/${options.seeds}`);
      const fitted = await fitTwoTower(dataset, split, config, String(seed), {
        onEpoch: (stats) => options.onEpoch?.({ protocol, seed, stats, epochs: config.epochs }),
        onBatch: (info) => options.onBatch?.({ protocol, seed, ...info }),
      });
      histories.push({ protocol, seed, history: fitted.model.history });
      if (firstModel === null) firstModel = { protocol, fitted, split };
      const scorer = twoTowerScorer(fitted, dataset);
      for (const group of groups) {
        perSeed.get(group.protocol)!.push(scoreQueries(scorer, group.queries, catalogueSize, options.queryBatch));
        await yieldToEventLoop();
      }
    }
    for (const [reported, results] of perSeed) pushRows(rows, reported, "two-tower", results);
  }
  return { config, protocols: summaries, rows, histories, firstModel };
}

function pushRows(rows: MetricRow[], protocol: ReportedProtocol, model: ModelName, results: (Record<MetricName, number> & { n: number })[]): void {
  for (const metric of METRIC_NAMES) {
    const values = results.map((r) => r[metric]);
    const std = values.length > 1 ? sampleStandardDeviation(values) : 0;
    rows.push({ protocol, model, metric, mean: mean(values), std, seeds: values.length, values, queries: results[0]?.n ?? 0 });
  }
}
