import { checkOutputDirectory } from "../../io/path-checks.js";
import { buildFeatureTables } from "../../features/build-features.js";
import { releaseNativeMemory } from "../../io/native-memory.js";
import { validateRaw, writeFeatures, type ValidationResult } from "../../pipeline/data-steps.js";
import { saveFeatureTables } from "../../pipeline/store-io.js";
import { DATABASE_URL_ENV, storeUrl } from "../../store/index.js";
import { stringOption, type Command } from "../command.js";
import { PROCESSED_DIR_OPTION, RAW_DIR_OPTION } from "../shared-options.js";
import { timed } from "../progress.js";

export const featuresCommand: Command = {
  name: "features",
  brief: "write the processed tables (Parquet, or a PostgreSQL store)",
  usage: "features [--raw DIR] [--out DIR] [--store postgresql://USER@HOST:PORT/DB]",
  summary:
    `Validate the raw Olist tables and write the processed tables: order and order-item facts, daily revenue, the RFM base table, user and item features. By default as Parquet in --out (plus features.json describing them). With --store URL (or ${DATABASE_URL_ENV}; libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE fill what the URL leaves out) into PostgreSQL instead: one table per Parquet file (order_facts, ...) with primary keys and indexes, loaded all or nothing (staging tables filled with COPY, swapped in by one transaction; a failure or a kill leaves the previous tables as they were); a second load of the same data changes nothing.`,
  options: {
    raw: RAW_DIR_OPTION,
    out: PROCESSED_DIR_OPTION,
    store: { type: "string", valueName: "URL", description: `PostgreSQL to load into instead of Parquet files (default: ${DATABASE_URL_ENV} when set)` },
  },
  async run(values) {
    const raw = stringOption(values["raw"], "raw");
    const url = storeUrl(typeof values["store"] === "string" ? values["store"] : undefined);
    if (url !== undefined) {
      let validation: ValidationResult | undefined = await timed(`validate ${raw}`, () => validateRaw(raw, undefined));
      const { rawDir, origin } = validation.report;
      const { manifest, load } = await timed("features -> PostgreSQL", async () => {
        const tables = await buildFeatureTables(validation!.olist);
        validation = undefined; // the raw tables (about 1 GiB at 1M orders) are not needed while loading
        await releaseNativeMemory();
        return saveFeatureTables(tables, url, rawDir, origin, { onStep: (line) => process.stderr.write(`  ${line}\n`) });
      });
      const result = load!;
      process.stdout.write(`Data: ${manifest.origin.description}\n`);
      process.stdout.write(result.changed ? "Loaded into PostgreSQL (all tables swapped in by one transaction):\n" : "PostgreSQL already holds these tables with the same content: nothing changed.\n");
      for (const t of result.tables) process.stdout.write(`  ${t.name}: ${t.rows.toLocaleString("en-US")} rows\n`);
      return 0;
    }
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
