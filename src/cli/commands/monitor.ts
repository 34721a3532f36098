import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import pl from "nodejs-polars";
import { DataValidationError } from "../../io/data-validation-error.js";
import { loadOlist } from "../../data/load-olist.js";
import { resolveTablePath } from "../../data/load-table.js";
import { tableSpec } from "../../data/olist-schema.js";
import { buildOrderFacts } from "../../features/order-facts.js";
import { buildOrderItemFacts } from "../../features/order-item-facts.js";
import {
  duplicateOrderIdCheck,
  formatCheckTable,
  formatMonitorReport,
  inputsFromOlist,
  runMonitor,
  type CheckResult,
  type MonitorInputs,
} from "../../monitor/index.js";
import { DEFAULT_RAW_DIR } from "../../pipeline/data-steps.js";
import { monitorInputsFromProcessedDir } from "../../pipeline/monitor-io.js";
import { stringOption, UsageError, type Command } from "../command.js";
import { timed } from "../progress.js";
import { describeSource } from "../../store/index.js";
import { processedSource, STORE_OPTION } from "../shared-options.js";

/** Order ids straight from the orders file, for the duplicate check when validation rejected the file. */
function rawOrderIds(rawDir: string): string[] | undefined {
  const path = resolveTablePath(rawDir, tableSpec("orders"));
  if (!path) return undefined;
  try {
    const bytes = path.endsWith(".gz") ? gunzipSync(readFileSync(path)) : readFileSync(path);
    const frame = pl.readCSV(bytes, { hasHeader: true, inferSchemaLength: 0, columns: ["order_id"] });
    return frame.getColumn("order_id").toArray() as string[];
  } catch {
    return undefined;
  }
}

function invalidRaw(rawDir: string, error: DataValidationError): CheckResult[] {
  const checks: CheckResult[] = [
    { check: "validation", status: "fail", value: null, threshold: "all nine tables valid", detail: error.message },
  ];
  const ids = rawOrderIds(rawDir);
  if (ids) checks.push(duplicateOrderIdCheck(ids));
  return checks;
}

export const monitorCommand: Command = {
  name: "monitor",
  brief: "data-quality and drift checks with a pass/warn/fail table",
  usage: "monitor [--raw DIR | --processed DIR | --store URL] [--as-of data-end|now|YYYY-MM-DD]",
  summary:
    "Check data quality (missing values per column, 3-sigma price outliers, duplicate order ids, freshness) and drift of order features " +
    "(PSI and KS of the latest full month against the 3 months before, the latest full week against the 8 weeks before; orders per day; " +
    "monthly revenue against the 12 months before). Prints a pass/warn/fail table; exits 1 if any check fails, 0 otherwise (warnings do not fail). " +
    `With --raw (default ${DEFAULT_RAW_DIR}) the Olist files are validated and the order facts built in memory; with --processed the order_facts.parquet ` +
    "(and order_item_facts.parquet) written by 'retail-intel features' are read.",
  options: {
    raw: { type: "string", valueName: "DIR", description: `folder with the Olist CSV files (default: ${DEFAULT_RAW_DIR} unless --processed is given)` },
    processed: { type: "string", valueName: "DIR", description: "folder with order_facts.parquet (instead of --raw)" },
    store: STORE_OPTION,
    "as-of": {
      type: "string",
      valueName: "WHEN",
      description: "reference date for freshness and the drift windows: data-end (the data's last event), now, or YYYY-MM-DD",
      default: "data-end",
    },
  },
  async run(values) {
    if ([values["raw"], values["processed"], values["store"]].filter((v) => v !== undefined).length > 1) throw new UsageError("give one of --raw, --processed and --store");
    const asOf = stringOption(values["as-of"], "as-of");
    if (asOf !== "data-end" && asOf !== "now" && !/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
      throw new UsageError(`--as-of must be data-end, now or YYYY-MM-DD, got '${asOf}'`);
    }
    let inputs: MonitorInputs;
    if (values["processed"] !== undefined || values["store"] !== undefined) {
      const dir = processedSource(values, "");
      inputs = await timed(`read ${describeSource(dir)}`, () => monitorInputsFromProcessedDir(dir));
    } else {
      const raw = values["raw"] === undefined ? DEFAULT_RAW_DIR : stringOption(values["raw"], "raw");
      try {
        inputs = await timed(`load and validate ${raw}`, () => {
          const olist = loadOlist(raw);
          const facts = buildOrderFacts(olist, buildOrderItemFacts(olist));
          return inputsFromOlist(olist, facts, `raw Olist files in ${raw}`);
        });
      } catch (error) {
        if (!(error instanceof DataValidationError)) throw error;
        process.stdout.write(`Monitor: raw Olist files in ${raw}\n\n${formatCheckTable(invalidRaw(raw, error))}\n\nOverall: FAIL (the files did not validate)\n`);
        return 1;
      }
    }
    const report = await timed("monitor checks", () => runMonitor(inputs, { asOf }));
    process.stdout.write(`${formatMonitorReport(report)}\n`);
    return report.status === "fail" ? 1 : 0;
  },
};
