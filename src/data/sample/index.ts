import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeFilesAtomically } from "../../io/atomic-write.js";
import { FileError } from "../../io/file-error.js";
import { readJsonFile } from "../../io/json-file.js";
import { generateOlistSample, validateSampleOptions, type SampleOptions } from "./generate.js";

/**
 * Public API of the seeded Olist-like sample generator: the nine Olist CSV files (Kaggle names, headers
 * and formats) plus a manifest that marks the folder as generated data.
 */

export { generateOlistSample, MAX_SAMPLE_ORDERS, type SampleOptions } from "./generate.js";

export const SAMPLE_MANIFEST_FILE = "retail-intel-sample.json";
export const DEFAULT_SAMPLE_ORDERS = 100_000;
export const DEFAULT_SAMPLE_SEED = "olist";

/** The manifest written beside the files (no timestamps: same options, same bytes). */
export function sampleManifest(options: SampleOptions): string {
  const manifest = {
    generator: "retail-intel sample",
    version: 1,
    seed: options.seed,
    orders: options.orders,
    createdBy: "npx retail-intel sample",
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** What the manifest in `dir` says was generated there; undefined when `dir` holds no manifest. */
export function readSampleManifest(dir: string): SampleOptions | undefined {
  const path = join(dir, SAMPLE_MANIFEST_FILE);
  if (!existsSync(path)) return undefined;
  let manifest: { seed?: unknown; orders?: unknown } | null;
  try {
    manifest = readJsonFile(path) as typeof manifest;
  } catch (error) {
    if (!(error instanceof FileError)) throw error;
    throw new FileError(path, error.kind, `${path} is damaged: it ${error.reason}; delete it, or regenerate the sample with \`npx retail-intel sample --out ${dir}\``, error.reason);
  }
  if (typeof manifest?.seed !== "string" || typeof manifest.orders !== "number") {
    throw new Error(`${path} is damaged: it needs "seed" (text) and "orders" (a number)`);
  }
  return { seed: manifest.seed, orders: manifest.orders };
}

/**
 * Generates the sample and writes it into `outDir` (created if needed): every file goes to a temporary
 * name in `outDir` first and is renamed into place only when all were written, so a failure never leaves
 * half-written files.
 */
export async function writeOlistSample(outDir: string, options: SampleOptions): Promise<void> {
  validateSampleOptions(options);
  const files = generateOlistSample(options);
  files.set(SAMPLE_MANIFEST_FILE, sampleManifest(options));
  writeFilesAtomically(
    [...files].map(([name, text]) => ({ path: join(outDir, name), write: (temp: string) => writeFileSync(temp, text, "utf8") })),
  );
}
