import { readSampleManifest, SAMPLE_MANIFEST_FILE } from "./sample/index.js";
import { OLIST_TABLES, type TableName } from "./olist-schema.js";

export type DataKind = "olist-kaggle" | "generated-sample" | "olist-format";

export interface DataOrigin {
  readonly kind: DataKind;
  /** One sentence for reports: which data this is and how we know. */
  readonly description: string;
  readonly sample?: { readonly seed: string; readonly orders: number };
}

/**
 * Which data a raw folder holds. The generator leaves a manifest beside its files; the full Kaggle
 * release is recognised by all nine row counts matching; anything else is Olist-format data of another origin.
 */
export function detectDataOrigin(rawDir: string, rowCounts: Readonly<Record<TableName, number>>): DataOrigin {
  const sample = readSampleManifest(rawDir);
  if (sample) {
    const { seed, orders } = sample;
    return {
      kind: "generated-sample",
      description: `generated Olist-like sample (seed "${seed}", ${orders.toLocaleString("en-US")} orders; ${SAMPLE_MANIFEST_FILE} present), not real Olist data`,
      sample: { seed, orders },
    };
  }
  const differing = OLIST_TABLES.filter((t) => rowCounts[t.name] !== t.realRowCount);
  if (differing.length === 0) {
    return { kind: "olist-kaggle", description: "real Olist data: all nine row counts match the Kaggle release" };
  }
  const names = differing.map((t) => `${t.name} ${rowCounts[t.name].toLocaleString("en-US")} vs ${t.realRowCount.toLocaleString("en-US")}`);
  return {
    kind: "olist-format",
    description: `Olist-format data of unknown origin: row counts differ from the Kaggle release (${names.join("; ")})`,
  };
}
