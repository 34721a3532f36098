import { checkOutputDirectory } from "../../io/path-checks.js";
import { DEFAULT_PROCESSED_DIR } from "../../pipeline/data-steps.js";
import { deliveredOrdersFromProcessed, rfmFromFile, writeSegmentOutputs } from "../../pipeline/segment-io.js";
import { computeRfm } from "../../segment/rfm.js";
import { runSegmentation } from "../../segment/run-segmentation.js";
import { segmentConfigParams } from "../../segment/config.js";
import { stringOption, UsageError, type Command } from "../command.js";
import { timed } from "../progress.js";
import { processedSource, STORE_OPTION } from "../shared-options.js";

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

export const segmentCommand: Command = {
  name: "segment",
  brief: "RFM segments (10 rules) and K-means clusters per customer",
  usage: "segment [--processed DIR | --store URL | --rfm FILE] --out DIR",
  summary:
    "Segment customers (customer_unique_id) by RFM on delivered orders: behaviour-only scores (equal values, equal scores; one-order customers scored by spend), the 10-segment (R,F) map, K-means on standardised log-RFM with k chosen by silhouette among the ks whose bootstrap ARI on a seeded sample of customers is >= 0.9 (else the most stable k), fitted on everyone; bootstrap stability of the chosen k. --rfm takes a ready table (CSV or Parquet with customer_unique_id,recency,frequency,monetary). Writes segments.parquet, segment_summary.csv and segment_summary.json (config, silhouette curve, cluster profiles, cross-tab, stability).",
  options: {
    processed: { type: "string", valueName: "DIR", description: `processed tables (order_facts.parquet) to compute RFM from (default ${DEFAULT_PROCESSED_DIR} when --rfm is not given)` },
    store: STORE_OPTION,
    rfm: { type: "string", valueName: "FILE", description: "a ready RFM table instead (CSV or Parquet)" },
    out: { type: "string", valueName: "DIR", description: "folder for the outputs" },
  },
  async run(values) {
    const out = stringOption(values["out"], "out");
    if (values["processed"] !== undefined && values["rfm"] !== undefined) throw new UsageError("give --processed or --rfm, not both");
    const rfmFile = typeof values["rfm"] === "string" ? values["rfm"] : undefined;
    checkOutputDirectory(out);
    const orders = rfmFile ? undefined : await deliveredOrdersFromProcessed(processedSource(values, DEFAULT_PROCESSED_DIR));
    const rows = rfmFile ? rfmFromFile(rfmFile) : computeRfm(orders!);
    const result = await timed(`segment ${rows.length.toLocaleString("en-US")} customers`, () => runSegmentation(rows, orders ? { orders } : {}));
    const details = {
      generatedBy: "npx retail-intel segment",
      input: rfmFile ?? "order_facts.parquet (delivered orders)",
      config: segmentConfigParams(result.config),
      scoring: result.scoring,
      clustering: result.clustering,
      k: result.k,
      silhouetteCurve: result.silhouetteCurve,
      clusterProfiles: result.profiles,
      crossTab: result.crossTab,
      atRiskOpportunity: result.atRisk,
      stability: { bootstrapAri: result.bootstrap, referenceShift: result.referenceShift ?? null },
    };
    writeSegmentOutputs(out, result.customers, result.summary, details);
    for (const s of result.summary) {
      process.stdout.write(`  ${s.segment.padEnd(20)} ${String(s.customers).padStart(7)}  ${pct(s.share).padStart(6)}  revenue ${s.revenue.toFixed(2).padStart(12)}  ${pct(s.revenueShare).padStart(6)}  AOV ${s.aov.toFixed(2)}\n`);
    }
    process.stdout.write(
      `k-means: k=${result.k} (silhouette ${result.silhouetteCurve.find((p) => p.k === result.k)?.silhouette.toFixed(3)}), bootstrap ARI mean ${result.bootstrap.mean.toFixed(3)} (min ${result.bootstrap.min.toFixed(3)})` +
        (result.referenceShift ? `; ${pct(result.referenceShift.share)} keep their segment when the reference date moves back ${result.referenceShift.shiftDays} days` : "") +
        `\nWritten to ${out}: segments.parquet, segment_summary.csv, segment_summary.json\n`,
    );
    return 0;
  },
};
