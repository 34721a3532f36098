import { formatQualityReport } from "../../data/quality-report.js";
import { DEFAULT_SAMPLE_ORDERS, DEFAULT_SAMPLE_SEED } from "../../data/sample/index.js";
import {
  DEFAULT_QUALITY_REPORT,
  generateSample,
  hasNoOlistFiles,
  validateRaw,
  writeFeatures,
} from "../../pipeline/data-steps.js";
import { stringOption, type Command } from "../command.js";
import { PROCESSED_DIR_OPTION, RAW_DIR_OPTION } from "../shared-options.js";
import { timed } from "../progress.js";

export const pipelineCommand: Command = {
  name: "pipeline",
  brief: "the main job: sample if needed, validate, features",
  usage: "pipeline [--raw DIR] [--out DIR]",
  summary: `Run the main job: when the raw folder holds no Olist files, generate the sample there (${DEFAULT_SAMPLE_ORDERS.toLocaleString("en-US")} orders, seed "${DEFAULT_SAMPLE_SEED}"); then validate (report in ${DEFAULT_QUALITY_REPORT}) and write the processed tables.`,
  options: {
    raw: RAW_DIR_OPTION,
    out: PROCESSED_DIR_OPTION,
  },
  async run(values) {
    const raw = stringOption(values["raw"], "raw");
    const out = stringOption(values["out"], "out");
    if (hasNoOlistFiles(raw)) {
      await timed(`no Olist files in ${raw}: generating the sample`, () =>
        generateSample(raw, { orders: DEFAULT_SAMPLE_ORDERS, seed: DEFAULT_SAMPLE_SEED }),
      );
    }
    const validation = await timed(`validate ${raw}`, () => validateRaw(raw, DEFAULT_QUALITY_REPORT));
    process.stdout.write(`${formatQualityReport(validation.report)}\n\n`);
    const manifest = await timed(`features -> ${out}`, () => writeFeatures(validation, out));
    for (const t of Object.values(manifest.tables)) {
      process.stdout.write(`  ${out}/${t.file}: ${t.rows.toLocaleString("en-US")} rows\n`);
    }
    return 0;
  },
};
