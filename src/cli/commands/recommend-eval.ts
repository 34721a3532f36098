import { checkOutputDirectory } from "../../io/path-checks.js";
import { DEFAULT_PROCESSED_DIR } from "../../pipeline/data-steps.js";
import { recommendInputFromProcessed, writeRecommendEvaluation } from "../../pipeline/recommend-io.js";
import { buildDataset, orderCount } from "../../recommend/dataset.js";
import { DEFAULT_LEAKY_SEEDS, evaluateRecommenders } from "../../recommend/evaluate.js";
import { epochProgressLine, metricTableRows, seedCountText } from "../../recommend/report.js";
import { renderTableText } from "../../report/table-format.js";
import { initTensorflow } from "../../recommend/tf-runtime.js";
import { defaultTrainingWorkers } from "../../recommend/train-pool.js";
import { parseProtocols } from "../../recommend/protocols.js";
import { DEFAULT_MAX_CATALOGUE_QUERIES } from "../../recommend/test-sample.js";
import type { ProtocolName } from "../../recommend/types.js";
import { positiveInteger, stringOption, UsageError, type Command } from "../command.js";
import { ProgressBar } from "../progress-bar.js";
import { timed } from "../progress.js";
import { describeSource } from "../../store/index.js";
import { processedSource, STORE_OPTION } from "../shared-options.js";

/** The --protocol option's value: a name unknown to {@link parseProtocols} is wrong usage (exit 2). */
function protocolsOption(value: string): ProtocolName[] {
  try {
    return parseProtocols(value);
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(`--${error.message}`);
    throw error;
  }
}

/** --workers: a whole number >= 0 (0 trains in the main thread). */
function workersOption(value: unknown): number {
  if (typeof value !== "string" || !/^\d+$/.test(value) || Number(value) > 64) throw new UsageError(`--workers must be a whole number from 0 to 64, got '${String(value)}'`);
  return Number(value);
}

export function parseCutoff(value: string): number {
  const ms = Date.parse(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) throw new UsageError(`--cutoff must be a date YYYY-MM-DD, got '${value}'`);
  return ms;
}

export const recommendEvalCommand: Command = {
  name: "recommend-eval",
  brief: "Two-tower recommender and four baselines under three evaluation protocols",
  usage: "recommend-eval [--processed DIR | --store URL] [--protocol temporal-full|loo-sampled-99|loo-sampled-99-leaky|all] [--seeds 5] [--leaky-seeds 2] [--epochs 10] [--max-catalogue-queries 10000] [--workers N] --out DIR",
  summary:
    "Train the two-tower model (one run per seed) and the baselines (popularity, recent-popularity, co-purchase, last-category) on each protocol's training interactions and rank the evaluated purchases: temporal-full (full catalogue after a cut-off; cold-start users reported as temporal-full-cold-start), loo-sampled-99 (leave-last-out against 99 sampled negatives), loo-sampled-99-leaky (the same with user features that include the held-out purchase). Writes DIR/metrics.csv (protocol,model,metric,mean,std,seeds), DIR/metrics.json (config, protocol descriptions, per-seed values, 95% bootstrap intervals over purchases, training history) and DIR/model/ (the first seed's model).",
  options: {
    processed: { type: "string", valueName: "DIR", description: `processed tables (default ${DEFAULT_PROCESSED_DIR})` },
    store: STORE_OPTION,
    protocol: { type: "string", valueName: "NAME", description: "temporal-full, loo-sampled-99, loo-sampled-99-leaky, all, or a comma list", default: "all" },
    seeds: { type: "string", valueName: "N", description: "two-tower trainings per protocol, seeds 1..N", default: "5" },
    "leaky-seeds": { type: "string", valueName: "N", description: "two-tower trainings of loo-sampled-99-leaky, at most --seeds (it shows what leaked features inflate)", default: String(DEFAULT_LEAKY_SEEDS) },
    epochs: { type: "string", valueName: "N", description: "training epochs", default: "10" },
    cutoff: { type: "string", valueName: "YYYY-MM-DD", description: "temporal-full cut-off (default: the day at which the last 10% of interactions start)" },
    "max-catalogue-queries": { type: "string", valueName: "N", description: `evaluated purchases per group ranked against the whole catalogue (temporal-full's returning and cold-start customers): above N, a seeded uniform sample of N`, default: String(DEFAULT_MAX_CATALOGUE_QUERIES) },
    workers: { type: "string", valueName: "N", description: `worker threads training the seeds in parallel, 0 = in the main thread (default min(2, cores) = ${defaultTrainingWorkers()})` },
    out: { type: "string", valueName: "DIR", description: "folder for metrics.csv, metrics.json and model/" },
  },
  async run(values) {
    const out = stringOption(values["out"], "out");
    const protocols = protocolsOption(typeof values["protocol"] === "string" ? values["protocol"] : "all");
    const seeds = positiveInteger(values["seeds"] ?? "5", "seeds");
    const leakySeeds = positiveInteger(values["leaky-seeds"] ?? String(DEFAULT_LEAKY_SEEDS), "leaky-seeds");
    const epochs = positiveInteger(values["epochs"] ?? "10", "epochs");
    const maxCatalogueQueries = positiveInteger(values["max-catalogue-queries"] ?? String(DEFAULT_MAX_CATALOGUE_QUERIES), "max-catalogue-queries");
    const cutoff = typeof values["cutoff"] === "string" ? parseCutoff(values["cutoff"]) : undefined;
    const workers = values["workers"] === undefined ? defaultTrainingWorkers() : workersOption(values["workers"]);
    const processed = processedSource(values, DEFAULT_PROCESSED_DIR);
    checkOutputDirectory(out);
    const backend = await initTensorflow();
    const dataset = await timed("load delivered orders and catalogue", async () => buildDataset(await recommendInputFromProcessed(processed)));
    process.stderr.write(
      `${orderCount(dataset).toLocaleString("en-US")} delivered orders, ${dataset.userIds.length.toLocaleString("en-US")} customers, ${dataset.items.length.toLocaleString("en-US")} products, ${dataset.interactions.length.toLocaleString("en-US")} interactions; TensorFlow.js backend ${backend}\n`,
    );
    const bar = new ProgressBar();
    const started = performance.now();
    const result = await evaluateRecommenders(dataset, {
      protocols,
      seeds,
      leakySeeds,
      config: { epochs },
      workers,
      maxCatalogueQueries,
      ...(cutoff === undefined ? {} : { temporal: { cutoff } }),
      onStage: (message) => process.stderr.write(`${message}\n`),
      onBatch: ({ protocol, seed, epoch, batch, batches, loss }) => bar.update(`${protocol} seed ${seed} epoch ${epoch}/${epochs}`, batch / batches, `loss ${loss.toFixed(4)}`),
      onEpoch: (info) => bar.done(epochProgressLine(info)),
    });
    writeRecommendEvaluation(out, result, dataset, {
      generatedBy: "npx retail-intel recommend-eval",
      processed: describeSource(processed),
      backend,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    });
    process.stdout.write(`${renderTableText(metricTableRows(result.rows, { withInterval: true }), { maxRows: result.rows.length })}\n`);
    process.stdout.write(`Cells: mean [95% bootstrap interval over evaluated purchases]; two-tower: mean over ${seedCountText(result.rows)}, per-seed std in metrics.json.\n`);
    process.stdout.write(`Written to ${out}: metrics.csv, metrics.json${result.firstModel ? `, model/ (${result.firstModel.protocol}, seed 1)` : ""}\n`);
    return 0;
  },
};

