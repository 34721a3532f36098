/**
 * What `serve` answers from, loaded once at start: the two-tower+prior model folder, the segment table and
 * the latest forecast. Each comes from a local path or a `models:/NAME@ALIAS|VERSION` URI resolved through
 * the registry of the backend MLFLOW_TRACKING_URI names.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type pl from "nodejs-polars";
import { readParquetFile } from "../data/parquet-file.js";
import { FileError } from "../io/file-error.js";
import { readSavedModel } from "../pipeline/recommend-model-io.js";
import { matrixProducts } from "../recommend/matrix-products.js";
import type { SavedTwoTower } from "../recommend/saved-model.js";
import { isModelUri, resolveModelUri } from "../tracking/model-uri.js";
import { storeFromEnv } from "../tracking/store-from-env.js";
import { describeSource, isPostgresUrl, withTableStore } from "../store/index.js";
import type { LoadedModelInfo } from "./metrics.js";

/** Registered-model names the notebooks register under (and `serve` reports for local folders). */
export const MODEL_NAMES = {
  recommendations: "retail-intel-two-tower",
  segments: "retail-intel-segmentation",
  forecast: "retail-intel-forecaster",
} as const;

/** A local folder for a path or a models:/ URI, with the name and version to report. */
async function locate(kind: keyof typeof MODEL_NAMES, spec: string): Promise<{ path: string; info: LoadedModelInfo }> {
  const loadedAt = new Date().toISOString();
  if (isModelUri(spec)) {
    const resolved = await resolveModelUri(spec, storeFromEnv());
    return { path: resolved.dir, info: { kind, name: resolved.version.name, version: resolved.version.version, loadedAt } };
  }
  // a missing model folder is reported by its reader, which names what it expected
  if (kind !== "recommendations" && !existsSync(spec)) throw new FileError(spec, "missing", `${kind === "segments" ? "segment folder" : "forecast file"} ${spec} does not exist`, "does not exist");
  return { path: spec, info: { kind, name: MODEL_NAMES[kind], version: "local", loadedAt } };
}

export interface ServedRecommender {
  readonly info: LoadedModelInfo;
  readonly model: SavedTwoTower;
  readonly userIndex: ReadonlyMap<string, number>;
  /** The catalogue's cosines for a user embedding through ONNX Runtime's Gemm; undefined: the JS loop. */
  readonly cosines?: (user: Float32Array) => Promise<Float32Array>;
}

/** The model at `spec`; with `fastCosines` (serving) also ONNX Runtime's cosines, which a single lookup does not need. */
export async function loadRecommender(spec: string, options: { fastCosines?: boolean } = {}): Promise<ServedRecommender> {
  const { path, info } = await locate("recommendations", spec);
  const model = readSavedModel(path);
  const userIndex = new Map(model.users.ids.map((id, i) => [id, i]));
  if (options.fastCosines === false) return { info, model, userIndex };
  // 0.15 ms per user instead of 1.9 ms for 33K products x 64 (ONNX Runtime's MLAS against a JS loop)
  const products = await matrixProducts().catch(() => undefined);
  if (products?.engine !== "onnxruntime") return { info, model, userIndex };
  const items = model.items.productIds.length;
  const dim = model.itemEmbeddings.length / Math.max(1, items);
  const cosines = (user: Float32Array): Promise<Float32Array> => products.product(user, 1, dim, false, model.itemEmbeddings, items, dim, true);
  return { info, model, userIndex, cosines };
}

export interface SegmentRecord {
  readonly segment: string;
  readonly cluster: number;
  readonly clusterName: string;
  readonly recencyDays: number;
  readonly frequency: number;
  readonly monetary: number;
  readonly scores: { readonly r: number; readonly f: number; readonly m: number };
}

export interface ServedSegments {
  readonly info: LoadedModelInfo;
  readonly customers: number;
  lookup(customerId: string): SegmentRecord | undefined;
}

const SEGMENT_COLUMNS = ["customer_unique_id", "recency", "frequency", "monetary", "r_score", "f_score", "m_score", "segment", "cluster", "cluster_name"] as const;

/** `segment`'s output: a folder with segments.parquet, the file itself, or the PostgreSQL store's segments table (a postgresql:// URL). */
export async function loadSegments(spec: string): Promise<ServedSegments> {
  let frame: pl.DataFrame;
  let file: string;
  let info: LoadedModelInfo;
  if (isPostgresUrl(spec)) {
    file = `the segments table in ${describeSource(spec)}`;
    frame = await withTableStore({ processedDir: spec }, (store) => store.read("segments"));
    info = { kind: "segments", name: MODEL_NAMES.segments, version: "store", loadedAt: new Date().toISOString() };
  } else {
    const located = await locate("segments", spec);
    info = located.info;
    file = statSync(located.path).isDirectory() ? join(located.path, "segments.parquet") : located.path;
    if (!existsSync(file)) throw new FileError(file, "missing", `${file} is missing: --segments takes the folder \`npx retail-intel segment --out DIR\` wrote, or its segments.parquet`, "is missing");
    frame = readParquetFile(file, "segment table");
  }
  const missing = SEGMENT_COLUMNS.filter((c) => !frame.columns.includes(c));
  if (missing.length > 0) throw new FileError(file, "damaged", `segment table ${file} lacks column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`, `lacks ${missing.join(", ")}`);
  const col = <T>(name: (typeof SEGMENT_COLUMNS)[number]): T[] => frame.getColumn(name).toArray() as T[];
  const ids = col<string>("customer_unique_id");
  const [recency, frequency, monetary, r, f, m, segment, cluster, clusterName] = [
    col<number>("recency"),
    col<number>("frequency"),
    col<number>("monetary"),
    col<number>("r_score"),
    col<number>("f_score"),
    col<number>("m_score"),
    col<string>("segment"),
    col<number>("cluster"),
    col<string>("cluster_name"),
  ] as const;
  const row = new Map(ids.map((id, i) => [id, i]));
  return {
    info,
    customers: ids.length,
    lookup(customerId) {
      const i = row.get(customerId);
      if (i === undefined) return undefined;
      return {
        segment: segment[i]!,
        cluster: Number(cluster[i]),
        clusterName: clusterName[i]!,
        recencyDays: Number(recency[i]),
        frequency: Number(frequency[i]),
        monetary: Number(monetary[i]),
        scores: { r: Number(r[i]), f: Number(f[i]), m: Number(m[i]) },
      };
    },
  };
}

export interface ForecastPoint {
  readonly ds: string;
  readonly yhat: number;
  readonly yhat_lower: number | null;
  readonly yhat_upper: number | null;
}

export interface ServedForecast {
  readonly info: LoadedModelInfo;
  /** The model the forecast file says made it (auto's choice, e.g. "ets"). */
  readonly forecaster: string;
  /** Future rows only, in date order. */
  readonly points: readonly ForecastPoint[];
}

/** `forecast`'s output: FORECAST.csv with FORECAST.csv.json beside it, or a folder holding forecast.csv. */
export async function loadForecast(spec: string): Promise<ServedForecast> {
  const { path, info } = await locate("forecast", spec);
  const file = statSync(path).isDirectory() ? join(path, "forecast.csv") : path;
  const details = `${file}.json`;
  for (const needed of [file, details]) {
    if (!existsSync(needed)) throw new FileError(needed, "missing", `${needed} is missing: --forecast takes the CSV \`npx retail-intel forecast --out FORECAST.csv\` wrote (with its .json beside it)`, "is missing");
  }
  let meta: { model?: unknown; periods?: unknown };
  try {
    meta = JSON.parse(readFileSync(details, "utf8")) as typeof meta;
  } catch (error) {
    throw new FileError(details, "invalid-json", `${details} is not valid JSON (${(error as Error).message})`, "is not valid JSON");
  }
  const lines = readFileSync(file, "utf8").trimEnd().split(/\r?\n/);
  const header = lines[0]!.split(",");
  const at = (name: string): number => {
    const i = header.indexOf(name);
    if (i === -1) throw new FileError(file, "damaged", `forecast ${file} has no ${name} column`, `has no ${name} column`);
    return i;
  };
  const [ds, yhat, lower, upper] = [at("ds"), at("yhat"), at("yhat_lower"), at("yhat_upper")];
  const periods = typeof meta.periods === "number" && Number.isInteger(meta.periods) && meta.periods > 0 ? meta.periods : undefined;
  if (periods === undefined || periods > lines.length - 1) throw new FileError(details, "damaged", `${details} does not say how many future rows ${file} has (periods)`, "lacks periods");
  const num = (text: string | undefined): number | null => (text === undefined || text === "" || text === "NaN" ? null : Number(text));
  const points = lines.slice(lines.length - periods).map((line, i): ForecastPoint => {
    const cells = line.split(",");
    const value = num(cells[yhat]);
    if (value === null || !Number.isFinite(value)) throw new FileError(file, "damaged", `forecast ${file}, row ${lines.length - periods + i + 1}: yhat is not a number`, "has a bad yhat");
    return { ds: cells[ds]!, yhat: value, yhat_lower: num(cells[lower]), yhat_upper: num(cells[upper]) };
  });
  return { info, forecaster: typeof meta.model === "string" ? meta.model : "unknown", points };
}
