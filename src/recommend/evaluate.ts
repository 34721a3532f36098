import { coPurchaseScorer, lastCategoryScorer, popularityScorer, recentPopularityScorer } from "./baselines.js";
import { resolveTwoTowerConfig, type TwoTowerConfig } from "./config.js";
import { twoTowerScorer, type FittedTwoTower } from "./fit.js";
import { hybridScorer, type HybridWeights, type Priors } from "./hybrid.js";
import { METRIC_NAMES, PER_QUERY_METRICS, type MetricName, type QueryScores } from "./metrics.js";
import { leaveLastOutSplit, temporalFullSplit, type TemporalOptions } from "./protocols.js";
import { reuseLastBatch, scoreQueries, scoreQueriesTogether } from "./score-queries.js";
import { yieldToEventLoop, type EpochStats } from "./two-tower.js";
import { TrainingPool } from "./train-pool.js";
import { DEFAULT_MAX_CATALOGUE_QUERIES, sampleCatalogueQueries } from "./test-sample.js";
import { bootstrapMeanIntervals, DEFAULT_BOOTSTRAP, type BootstrapOptions } from "../stats/bootstrap.js";
import { mean, sampleStandardDeviation } from "../stats/descriptive.js";
import type { Dataset, EvalQuery, ModelName, ProtocolName, ProtocolSplit, Scorer } from "./types.js";

/** Where a metric row's queries come from: a protocol, or its cold-start users for temporal-full. */
export type ReportedProtocol = ProtocolName | "temporal-full-cold-start";

export interface EvaluationOptions {
  protocols: readonly ProtocolName[];
  /** Number of two-tower seeds (1..seeds); baselines are deterministic and run once. */
  seeds: number;
  /**
   * Seeds of the loo-sampled-99-leaky demonstration (default DEFAULT_LEAKY_SEEDS, never more than
   * `seeds`): the protocol shows how much leaked features inflate the metrics, and more seeds would not change that.
   */
  leakySeeds?: number;
  config: Partial<TwoTowerConfig>;
  temporal?: TemporalOptions;
  /** Seeds the leave-last-out held-out items and negatives, the same for every model and seed. */
  splitSeed?: string;
  recentWindowDays?: number;
  /** At most this many evaluated purchases per group ranked against the whole catalogue, a seeded uniform sample (default DEFAULT_MAX_CATALOGUE_QUERIES). */
  maxCatalogueQueries?: number;
  queryBatch?: number;
  /** Worker threads that train the two-tower seeds (default min(2, cores)); 0 trains in this thread. Same seed, same model either way. */
  workers?: number;
  /** After each epoch of any seed; `etaSeconds`: time left for all the training, from the epochs done so far (null before the first). */
  onEpoch?: (info: { protocol: ProtocolName; seed: number; stats: EpochStats; epochs: number; etaSeconds: number | null }) => void;
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
  /**
   * 95% percentile-bootstrap interval of `mean` over the evaluated purchases (see `metricRows`);
   * NaN for coverage@10 (a catalogue-level count, no per-purchase values) and for no purchases.
   */
  ciLow: number;
  ciHigh: number;
  /**
   * The metric's value for each evaluated purchase, in query order, averaged over seeds; null for
   * coverage@10. Paired comparisons of two models bootstrap the difference of these. Not written to metrics.json.
   */
  perQuery: Float64Array | null;
}

export interface ProtocolSummary {
  protocol: ProtocolName;
  description: string;
  trainInteractions: number;
  /** Evaluated purchases (after any sampling) and how many of them are cold-start. */
  queries: number;
  coldStartQueries: number;
  /** Test purchases of the protocol before sampling. */
  testPurchases: number;
  coldStartTestPurchases: number;
  /** Null when every test purchase is evaluated; otherwise which were, in words. */
  sampled: string | null;
  cutoff: string | null;
}

export interface TrainingHistory {
  protocol: ProtocolName;
  seed: number;
  history: EpochStats[];
  /** The epoch early stopping kept (best validation MRR); `history` also lists the epochs run after it. */
  epochsUsed?: number;
  validationQueries?: number;
  /** two-tower+prior's blend weights chosen on the validation window. */
  hybrid?: HybridWeights;
}

export interface EvaluationResult {
  config: TwoTowerConfig;
  protocols: ProtocolSummary[];
  rows: MetricRow[];
  histories: TrainingHistory[];
  /** The model of seed 1 under the first protocol run (temporal-full when it is run), with that protocol's split. */
  firstModel: { protocol: ProtocolName; fitted: FittedTwoTower; split: ProtocolSplit } | null;
}

/**
 * The leaky protocol's default seeds. At 1M orders its leak keeps the validation score rising for 4-8
 * epochs a seed, so its five seeds took 385 of notebook 05's 988 s; its seed spread there was 0.009
 * HR@10 against an inflation of 0.16.
 */
export const DEFAULT_LEAKY_SEEDS = 2;

/** How many two-tower seeds `protocol` trains. */
export function protocolSeeds(protocol: ProtocolName, options: Pick<EvaluationOptions, "seeds" | "leakySeeds">): number {
  return protocol === "loo-sampled-99-leaky" ? Math.min(options.seeds, options.leakySeeds ?? DEFAULT_LEAKY_SEEDS) : options.seeds;
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
  // a bad config or seed count fails before any worker starts
  const config = resolveTwoTowerConfig(options.config);
  if (!Number.isInteger(options.seeds) || options.seeds < 1) throw new Error(`seeds must be a positive integer, got ${options.seeds}`);
  if (options.leakySeeds !== undefined && !(Number.isInteger(options.leakySeeds) && options.leakySeeds >= 1)) throw new Error(`leakySeeds must be a positive integer, got ${options.leakySeeds}`);
  const pool = await TrainingPool.open(dataset, options.workers);
  try {
    return await evaluateWith(pool, dataset, config, options);
  } finally {
    await pool.close();
  }
}

async function evaluateWith(pool: TrainingPool, dataset: Dataset, config: TwoTowerConfig, options: EvaluationOptions): Promise<EvaluationResult> {
  const catalogueSize = dataset.items.length;
  const rows: MetricRow[] = [];
  const summaries: ProtocolSummary[] = [];
  const histories: TrainingHistory[] = [];
  let firstModel: EvaluationResult["firstModel"] = null;
  // Every protocol is split first and all its seeds queued at once: the workers train and score the
  // seeds while this thread runs the baselines and collects the seeds already done.
  const sampledSplits = options.protocols.map((protocol) => {
    options.onStage?.(`${protocol}: splitting`);
    return sampleCatalogueQueries(protocolSplit(dataset, protocol, options), options.maxCatalogueQueries ?? DEFAULT_MAX_CATALOGUE_QUERIES, "test-sample");
  });
  const splits = sampledSplits.map((s) => s.split);
  const eta = new TrainingEta(splits.reduce((sum, split) => sum + protocolSeeds(split.protocol, options), 0) * config.epochs);
  const fits: (ReturnType<typeof queueSeeds>[number] | null)[][] = splits.map((split, index) => queueSeeds(pool, split, config, options, eta, index === 0));
  for (const [index, protocol] of options.protocols.entries()) {
    const { split, sample } = sampledSplits[index]!;
    if (sample.sampled !== null) options.onStage?.(`${protocol}: ${sample.sampled}`);
    summaries.push({
      protocol,
      description: split.description,
      trainInteractions: split.train.length,
      queries: split.queries.length,
      coldStartQueries: split.queries.filter((q) => q.coldStart).length,
      testPurchases: sample.purchases,
      coldStartTestPurchases: sample.coldStartPurchases,
      sampled: sample.sampled,
      cutoff: split.cutoff === undefined ? null : new Date(split.cutoff).toISOString(),
    });
    const groups = queryGroups(split);
    for (const scorer of baselineScorers(dataset, split, options.recentWindowDays)) {
      options.onStage?.(`${protocol}: ${scorer.name}`);
      for (const group of groups) {
        rows.push(...metricRows(group.protocol, scorer.name, [scoreQueries(scorer, group.queries, catalogueSize, options.queryBatch)]));
        await yieldToEventLoop();
      }
    }
    const perSeed: Map<ReportedProtocol, SeedScores[]> = new Map(groups.map((g) => [g.protocol, []]));
    const perSeedHybrid: typeof perSeed = new Map(groups.map((g) => [g.protocol, []]));
    const seeds = protocolSeeds(protocol, options);
    for (let seed = 1; seed <= seeds; seed++) {
      options.onStage?.(`${protocol}: two-tower seed ${seed}/${seeds}`);
      const { summary, fitted, scores } = await fits[index]![seed - 1]!;
      fits[index]![seed - 1] = null;
      histories.push({ protocol, seed, history: summary.history, epochsUsed: summary.epochsUsed, validationQueries: summary.validationQueries, hybrid: summary.hybrid });
      if (firstModel === null && fitted !== null) firstModel = { protocol, fitted, split };
      groups.forEach((group, g) => {
        perSeed.get(group.protocol)!.push(scores.twoTower[g]!);
        perSeedHybrid.get(group.protocol)!.push(scores.hybrid[g]!);
      });
    }
    for (const [reported, results] of perSeed) rows.push(...metricRows(reported, "two-tower", results));
    for (const [reported, results] of perSeedHybrid) rows.push(...metricRows(reported, "two-tower+prior", results));
  }
  return { config, protocols: summaries, rows, histories, firstModel };
}

/** Column c of a row-major matrix with `width` columns. */
function column(matrix: Float64Array, width: number, c: number): Float64Array {
  const out = new Float64Array(matrix.length / width);
  for (let i = 0; i < out.length; i++) out[i] = matrix[i * width + c]!;
  return out;
}

/** One seed's scores of a query group; `perQuery` as `scoreQueries` returns it (without it, no intervals). */
export type SeedScores = Record<MetricName, number> & { n: number; perQuery?: Float64Array };

/**
 * The rows of one protocol x model from its seeds' scores (one entry per seed, same queries in the
 * same order): mean and sample std over seeds, and a 95% interval per metric.
 *
 * The interval: each purchase's value is averaged over the seeds, then a percentile bootstrap
 * resamples purchases (default 1000 resamples, seeded by `${bootstrap.seed}:${protocol}`, so every
 * model of a protocol is resampled with the same purchase indices). It measures how much the mean
 * depends on which purchases were evaluated; the seed spread is the separate `std`.
 * coverage@10 gets none (NaN): it counts distinct items over all queries, and resampling queries with
 * replacement leaves out about a third of them, so the resampled coverage sits below the observed one
 * and a percentile interval of it would not describe the observed value.
 */
export function metricRows(protocol: ReportedProtocol, model: ModelName, results: readonly SeedScores[], bootstrap: BootstrapOptions = {}): MetricRow[] {
  const n = results[0]?.n ?? 0;
  const width = PER_QUERY_METRICS.length;
  const withOutcomes = results.length > 0 && results.every((r) => r.perQuery !== undefined && r.perQuery.length === n * width);
  let averaged: Float64Array | null = null;
  let intervals: { low: number; high: number }[] = [];
  if (withOutcomes) {
    averaged = new Float64Array(n * width);
    for (const r of results) for (let i = 0; i < averaged.length; i++) averaged[i]! += r.perQuery![i]! / results.length;
    intervals = bootstrapMeanIntervals(averaged, width, { ...bootstrap, seed: `${bootstrap.seed ?? DEFAULT_BOOTSTRAP.seed}:${protocol}` });
  }
  return METRIC_NAMES.map((metric) => {
    const values = results.map((r) => r[metric]);
    const std = values.length > 1 ? sampleStandardDeviation(values) : 0;
    const c = (PER_QUERY_METRICS as readonly MetricName[]).indexOf(metric);
    const perQuery = averaged !== null && c >= 0 ? column(averaged, width, c) : null;
    const interval = perQuery !== null ? intervals[c]! : { low: Number.NaN, high: Number.NaN };
    return { protocol, model, metric, mean: mean(values), std, seeds: values.length, values, queries: n, ciLow: interval.low, ciHigh: interval.high, perQuery };
  });
}

/** One seed's scores on each query group of its split (in queryGroups order): the two-tower model and two-tower+prior. */
export interface SeedEvaluation {
  twoTower: QueryScores[];
  hybrid: QueryScores[];
}

/**
 * Scores a fitted seed on its split's query groups. It runs where the seed trained (a worker thread,
 * or this thread with 0 workers), so scoring is parallel too and the main thread only collects.
 * `splitPriors`: the split's prepared priors (PreparedSplit.splitPriors), built once for all its seeds.
 */
export function scoreSeed(dataset: Dataset, split: ProtocolSplit, fitted: FittedTwoTower, splitPriors: Priors, queryBatch?: number): SeedEvaluation {
  const catalogueSize = dataset.items.length;
  // One two-tower scorer for both (its item matrix built once), and each batch's two-tower scores computed once.
  const scorer = reuseLastBatch(twoTowerScorer(fitted, dataset));
  const hybrid = hybridScorer(dataset, splitPriors, scorer, fitted.model.config.temperature, fitted.hybrid);
  const scored = queryGroups(split).map((g) => scoreQueriesTogether([scorer, hybrid], g.queries, catalogueSize, queryBatch));
  return { twoTower: scored.map(([t]) => t!), hybrid: scored.map(([, h]) => h!) };
}

/** Queues the seeds of a split on the pool (trained and scored there); progress reaches options.onEpoch/onBatch named by protocol and seed. */
function queueSeeds(pool: TrainingPool, split: ProtocolSplit, config: TwoTowerConfig, options: EvaluationOptions, eta: TrainingEta, keepFirstModel: boolean): ReturnType<TrainingPool["fitAndScore"]>[] {
  const protocol = split.protocol;
  return Array.from({ length: protocolSeeds(split.protocol, options) }, (_, k) => {
    const seed = k + 1;
    let epochsRun = 0;
    const done = pool.fitAndScore(
      // only the first protocol's seed 1 comes back whole (EvaluationResult.firstModel); the others send their summary
      { protocol, seed, split, config, keepModel: keepFirstModel && seed === 1, ...(options.queryBatch === undefined ? {} : { queryBatch: options.queryBatch }) },
      {
        onEpoch: (stats) => {
          epochsRun += 1;
          options.onEpoch?.({ protocol, seed, stats, epochs: config.epochs, etaSeconds: eta.advance(1) });
        },
        onBatch: (info) => options.onBatch?.({ protocol, seed, ...info }),
      },
    );
    // early stopping: the epochs not run are done too. A failure is awaited in turn later (the first one stops the pool and is rethrown there)
    done.then(() => eta.advance(config.epochs - epochsRun)).catch(() => {});
    return done;
  });
}

/**
 * Time left for the training of every seed: elapsed time per epoch done so far times the epochs left
 * (all seeds at their maximum epochs; a seed that stops early counts its remaining epochs as done, so
 * the estimate errs long and shrinks as seeds stop).
 */
export class TrainingEta {
  private readonly started = performance.now();
  private done = 0;

  constructor(private readonly total: number) {}

  /** Counts `epochs` more as done and returns the seconds left, or null when nothing is done yet. */
  advance(epochs: number): number | null {
    this.done = Math.min(this.total, this.done + epochs);
    if (this.done === 0) return null;
    const elapsed = (performance.now() - this.started) / 1000;
    return (elapsed / this.done) * (this.total - this.done);
  }
}
