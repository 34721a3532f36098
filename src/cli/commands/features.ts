import { checkOutputDirectory } from "../../io/path-checks.js";
import { validateRaw, writeFeatures } from "../../pipeline/data-steps.js";
import { stringOption, type Command } from "../command.js";
import { PROCESSED_DIR_OPTION, RAW_DIR_OPTION } from "../shared-options.js";
import { timed } from "../progress.js";

export const featuresCommand: Command = {
  name: "features",
  brief: "write the processed Parquet tables",
  usage: "features [--raw DIR] [--out DIR]",
  summary:
    "Validate the raw Olist tables and write the processed tables as Parquet: order and order-item facts, daily revenue, the RFM base table, user and item features (plus features.json describing them).",
  options: {
    raw: RAW_DIR_OPTION,
    out: PROCESSED_DIR_OPTION,
  },
  async run(values) {
    const raw = stringOption(values["raw"], "raw");
    const out = stringOption(values["out"], "out");
    checkOutputDirectory(out);
    const validation = await timed(`validate ${raw}`, () => validateRaw(raw, undefined));
    const manifest = await timed(`features -> ${out}`, () => writeFeatures(validation, out));
    process.stdout.write(`Data: ${manifest.origin.description}\n`);
    for (const t of Object.values(manifest.tables)) {
      process.stdout.write(`  ${out}/${t.file}: ${t.rows.toLocaleString("en-US")} rows x ${t.columns.length} columns\n`);
    }
    return 0;
  },
};
