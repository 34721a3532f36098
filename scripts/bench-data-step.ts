// One data step in a fresh process, so its peak RSS is its own: prints {"step","seconds","peakRssMiB","parts"} as JSON.
import { DEFAULT_SAMPLE_SEED, writeOlistSample } from "../src/data/sample/index.js";
import { validateRaw, writeFeatures } from "../src/pipeline/data-steps.js";

const [step, raw, out, orders] = process.argv.slice(2);
if (!step || !raw) throw new Error("usage: bench-data-step.ts sample|validate|features RAW_DIR [OUT_DIR] [ORDERS]");
const start = performance.now();
// where the features step spends its time and memory (RSS after each part)
const parts: { part: string; seconds: number; rssMiB: number }[] = [];
if (step === "sample") await writeOlistSample(raw, { orders: Number(orders), seed: DEFAULT_SAMPLE_SEED });
else if (step === "validate") validateRaw(raw, out);
else if (step === "features") {
  const loadStart = performance.now();
  const validation = validateRaw(raw, undefined);
  parts.push({ part: "load + validate", seconds: (performance.now() - loadStart) / 1000, rssMiB: process.memoryUsage().rss / 2 ** 20 });
  const writeStart = performance.now();
  await writeFeatures(validation, out ?? "", (table, seconds, rssMiB) => parts.push({ part: table, seconds, rssMiB }));
  parts.push({ part: "write Parquet", seconds: (performance.now() - writeStart) / 1000 - parts.slice(1).reduce((s, p) => s + p.seconds, 0), rssMiB: process.memoryUsage().rss / 2 ** 20 });
}
else throw new Error(`unknown step ${step}`);
const seconds = (performance.now() - start) / 1000;
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ step, seconds, peakRssMiB, parts })}\n`);
