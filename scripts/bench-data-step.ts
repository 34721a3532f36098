// One data step in a fresh process, so its peak RSS is its own: prints {"step","seconds","peakRssMiB"} as JSON.
import { DEFAULT_SAMPLE_SEED, writeOlistSample } from "../src/data/sample/index.js";
import { validateRaw, writeFeatures } from "../src/pipeline/data-steps.js";

const [step, raw, out, orders] = process.argv.slice(2);
if (!step || !raw) throw new Error("usage: bench-data-step.ts sample|validate|features RAW_DIR [OUT_DIR] [ORDERS]");
const start = performance.now();
if (step === "sample") await writeOlistSample(raw, { orders: Number(orders), seed: DEFAULT_SAMPLE_SEED });
else if (step === "validate") validateRaw(raw, out);
else if (step === "features") await writeFeatures(validateRaw(raw, undefined), out ?? "");
else throw new Error(`unknown step ${step}`);
const seconds = (performance.now() - start) / 1000;
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ step, seconds, peakRssMiB })}\n`);
