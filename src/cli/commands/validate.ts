import { formatQualityReport } from "../../data/quality-report.js";
import { checkOutputFile } from "../../io/path-checks.js";
import { DEFAULT_QUALITY_REPORT, validateRaw } from "../../pipeline/data-steps.js";
import { stringOption, type Command } from "../command.js";
import { RAW_DIR_OPTION } from "../shared-options.js";
import { timed } from "../progress.js";

export const validateCommand: Command = {
  name: "validate",
  brief: "validate the nine Olist tables and report data quality",
  usage: "validate [--raw DIR] [--report FILE]",
  summary:
    "Load and validate the nine Olist tables (columns, types, nulls, keys, ranges, foreign keys), print a data-quality report and write it as JSON. Exits 1 on the first invalid value, naming file, row and column.",
  options: {
    raw: RAW_DIR_OPTION,
    report: { type: "string", valueName: "FILE", description: "where to write the report as JSON", default: DEFAULT_QUALITY_REPORT },
  },
  async run(values) {
    const raw = stringOption(values["raw"], "raw");
    const reportPath = stringOption(values["report"], "report");
    checkOutputFile(reportPath, "report file");
    const { report } = await timed(`validate ${raw}`, () => validateRaw(raw, reportPath));
    process.stdout.write(`${formatQualityReport(report)}\n\nReport written to ${reportPath}\n`);
    return 0;
  },
};
