import { closeSync, existsSync, openSync, writeFileSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { writeFilesAtomically, type PendingFile } from "../io/atomic-write.js";
import { FileError, type FileProblemKind } from "../io/file-error.js";
import { readJsonFile } from "../io/json-file.js";
import { requireDirectory } from "../io/path-checks.js";
import { readFileNamed } from "../io/read-file.js";
import type { SavedHybrid, SavedTwoTower } from "../recommend/saved-model.js";
import { PARAM_NAMES, type Param, type TwoTowerParams } from "../recommend/two-tower.js";

export const MODEL_FORMAT = "retail-intel-two-tower";
/** 3: two-tower+prior's weights and priors (hybrid-*.bin), what `recommend` ranks with. 2: user rows carry the history inputs. */
export const MODEL_VERSION = 3;
export const MODEL_FILES = ["model.json", "weights.bin", "item-embeddings.bin", "items.json", "users.json", "user-features.bin", "hybrid-values.bin", "hybrid-index.bin"] as const;

interface TensorEntry {
  name: string;
  shape: number[];
  offset: number;
  length: number;
}

const bytes = (a: Float32Array | Int32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * The files of a model folder: model.json (format, config, encoders = vocabularies and feature scalers,
 * training history, tensor index), weights.bin (float32 little-endian tensors), item-embeddings.bin
 * (items x dim), items.json (product id, category, price), users.json and user-features.bin (each known
 * user's encoded features: state, favourite category, last category, recent products' item-id rows, numeric),
 * hybrid-values.bin (float32: items' log popularity and price z-score, users' price level, co-purchase
 * values) and hybrid-index.bin (int32: items' category, users' last category, co-purchase offsets and
 * items): two-tower+prior's priors. model.json comes last.
 */
export function savedModelFiles(dir: string, saved: SavedTwoTower): PendingFile[] {
  const tensors: TensorEntry[] = [];
  let offset = 0;
  for (const name of PARAM_NAMES) {
    const p = saved.params[name];
    tensors.push({ name, shape: [...p.shape], offset, length: p.data.length });
    offset += p.data.length;
  }
  const weights = new Float32Array(offset);
  for (const t of tensors) weights.set(saved.params[t.name as keyof TwoTowerParams].data, t.offset);
  const { encoded } = saved.users;
  const numericWidth = saved.encoders.userNumericFeatures.length;
  const slots = saved.encoders.historyItems;
  const rowWidth = 3 + slots + numericWidth;
  const userBlock = new Float32Array(encoded.length * rowWidth);
  for (let u = 0; u < encoded.length; u++) {
    const base = u * rowWidth;
    userBlock[base] = encoded.state[u]!;
    userBlock[base + 1] = encoded.category[u]!;
    userBlock[base + 2] = encoded.lastCategory[u]!;
    for (let k = 0; k < slots; k++) userBlock[base + 3 + k] = encoded.recent[u * slots + k]!;
    userBlock.set(encoded.numeric.subarray(u * numericWidth, (u + 1) * numericWidth), base + 3 + slots);
  }
  const manifest = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    littleEndian: true,
    config: saved.config,
    encoders: saved.encoders,
    trainedOn: saved.trainedOn,
    history: saved.history,
    tensors,
    items: { count: saved.items.productIds.length, embeddingDim: saved.config.embeddingDim },
    users: {
      count: encoded.length,
      row: ["state", "favourite_category", "last_category", ...Array.from({ length: slots }, (_, k) => `recent_item_${k + 1}`), ...saved.encoders.userNumericFeatures],
    },
    hybrid: { weights: saved.hybrid.weights, coEntries: saved.hybrid.users.coItems.length },
    files: MODEL_FILES,
  };
  const h = saved.hybrid;
  const file = (name: string, content: string | Uint8Array) => ({ path: join(dir, name), write: (temp: string) => writeFileSync(temp, content) });
  // the parts one after the other, not concatenated first (at 1M orders each file is about 260 MB)
  const parts = (name: string, arrays: (Int32Array | Float32Array)[]) => ({ path: join(dir, name), write: (temp: string) => writeParts(temp, arrays) });
  return [
    file("weights.bin", bytes(weights)),
    file("item-embeddings.bin", bytes(saved.itemEmbeddings)),
    file("items.json", JSON.stringify(saved.items)),
    file("users.json", JSON.stringify(saved.users.ids)),
    file("user-features.bin", bytes(userBlock)),
    parts("hybrid-values.bin", [h.items.logPopularity, h.items.itemPriceZ, h.users.priceLevel, h.users.coValues]),
    parts("hybrid-index.bin", [h.items.itemCategory, h.users.lastCategory, h.users.coOffsets, h.users.coItems]),
    file("model.json", `${JSON.stringify(manifest, null, 2)}\n`),
  ];
}

function writeParts(path: string, arrays: readonly (Int32Array | Float32Array)[]): void {
  const fd = openSync(path, "w");
  try {
    for (const a of arrays) {
      const data = bytes(a);
      for (let at = 0; at < data.length; ) at += writeSync(fd, data, at, data.length - at);
    }
  } finally {
    closeSync(fd);
  }
}

/** Writes the model folder all-or-nothing. */
export function writeSavedModel(dir: string, saved: SavedTwoTower): void {
  writeFilesAtomically(savedModelFiles(dir, saved));
}

const WRITTEN_BY = "a model folder is written by `npx retail-intel recommend-eval --out DIR` (DIR/model)";

function rebuildHint(dir: string): string {
  return basename(dir) === "model"
    ? `re-run \`npx retail-intel recommend-eval --out ${dirname(dir)}\` to rebuild it`
    : "re-run `npx retail-intel recommend-eval --out DIR` to rebuild it (it writes DIR/model)";
}

/** "model folder DIR is damaged: FILE <problem>; re-run ...": one line naming the folder and the file. */
function damaged(dir: string, file: string, kind: FileProblemKind, problem: string): FileError {
  return new FileError(join(dir, file), kind, `model folder ${dir} is damaged: ${file} ${problem}; ${rebuildHint(dir)}`, `${file} ${problem}`);
}

/** `read(DIR/file)`, a FileError from it restated as the model folder being damaged. */
function readModelFile<T>(dir: string, file: string, read: (path: string) => T): T {
  try {
    return read(join(dir, file));
  } catch (error) {
    if (error instanceof FileError) throw damaged(dir, file, error.kind, error.reason);
    throw error;
  }
}

const modelJson = (dir: string, file: string): unknown => readModelFile(dir, file, readJsonFile);

function binaryFile<T extends Float32Array | Int32Array>(dir: string, file: string, expectedLength: number, make: (length: number) => T): T {
  const buffer = readModelFile(dir, file, readFileNamed);
  if (buffer.byteLength !== expectedLength * 4) {
    throw damaged(dir, file, "damaged", `has ${buffer.byteLength} bytes where model.json expects ${expectedLength * 4} (cut short, or from another model)`);
  }
  const out = make(expectedLength);
  new Uint8Array(out.buffer).set(buffer);
  return out;
}

const float32File = (dir: string, file: string, length: number): Float32Array => binaryFile(dir, file, length, (n) => new Float32Array(n));
const int32File = (dir: string, file: string, length: number): Int32Array => binaryFile(dir, file, length, (n) => new Int32Array(n));

interface Manifest {
  format: string;
  version: number;
  config: SavedTwoTower["config"];
  encoders: SavedTwoTower["encoders"];
  trainedOn: SavedTwoTower["trainedOn"];
  history: SavedTwoTower["history"];
  tensors: TensorEntry[];
  items: { count: number; embeddingDim: number };
  users: { count: number };
  hybrid: { weights: SavedHybrid["weights"]; coEntries: number };
}

function readManifest(dir: string): Manifest {
  const manifest = modelJson(dir, "model.json") as Partial<Manifest> | null;
  if (manifest === null || typeof manifest !== "object" || manifest.format !== MODEL_FORMAT || manifest.version !== MODEL_VERSION) {
    throw new FileError(
      join(dir, "model.json"),
      "damaged",
      `${join(dir, "model.json")}: not a ${MODEL_FORMAT} v${MODEL_VERSION} model (format ${manifest?.format}, version ${manifest?.version}); ${WRITTEN_BY}`,
      `not a ${MODEL_FORMAT} v${MODEL_VERSION} model`,
    );
  }
  const lacking = (["config", "encoders", "trainedOn", "tensors", "items", "users", "hybrid"] as const).filter((key) => typeof manifest[key] !== "object" || manifest[key] === null);
  if (
    lacking.length > 0 ||
    !Array.isArray(manifest.tensors) ||
    !Array.isArray(manifest.encoders?.userNumericFeatures) ||
    !Number.isInteger(manifest.encoders?.historyItems) ||
    !Number.isInteger(manifest.hybrid?.coEntries) ||
    typeof manifest.hybrid?.weights?.warm !== "object" ||
    typeof manifest.hybrid?.weights?.cold !== "object"
  ) {
    throw damaged(dir, "model.json", "damaged", `lacks ${lacking.length > 0 ? lacking.join(", ") : "its tensor index, encoders or blend weights"}`);
  }
  return manifest as Manifest;
}

/** Reads a model folder written by `writeSavedModel`, checking every file is present, parses, and is sized as model.json says. */
export function readSavedModel(dir: string): SavedTwoTower {
  requireDirectory(dir, "model folder", WRITTEN_BY);
  if (!existsSync(join(dir, "model.json"))) {
    throw new FileError(join(dir, "model.json"), "missing", `${dir} is not a model folder: model.json is missing; ${WRITTEN_BY}`, "model.json is missing");
  }
  for (const name of MODEL_FILES) {
    if (!existsSync(join(dir, name))) throw damaged(dir, name, "missing", "is missing");
  }
  const manifest = readManifest(dir);
  const total = manifest.tensors.reduce((a, t) => a + t.length, 0);
  const weights = float32File(dir, "weights.bin", total);
  const params = {} as TwoTowerParams;
  for (const t of manifest.tensors) {
    params[t.name as keyof TwoTowerParams] = { shape: t.shape as Param["shape"], data: weights.slice(t.offset, t.offset + t.length) };
  }
  for (const name of PARAM_NAMES) if (!params[name]) throw damaged(dir, "model.json", "damaged", `lacks tensor ${name}`);
  const items = modelJson(dir, "items.json") as Partial<SavedTwoTower["items"]> | null;
  for (const key of ["productIds", "categories", "prices"] as const) {
    const list = items?.[key];
    if (!Array.isArray(list) || list.length !== manifest.items.count) {
      throw damaged(dir, "items.json", "damaged", `${key} has ${Array.isArray(list) ? list.length : "no"} entries where model.json says ${manifest.items.count} items`);
    }
  }
  const itemEmbeddings = float32File(dir, "item-embeddings.bin", manifest.items.count * manifest.items.embeddingDim);
  const ids = modelJson(dir, "users.json");
  if (!Array.isArray(ids) || ids.length !== manifest.users.count) {
    throw damaged(dir, "users.json", "damaged", `has ${Array.isArray(ids) ? ids.length : "no"} user ids where model.json says ${manifest.users.count}`);
  }
  const width = manifest.encoders.userNumericFeatures.length;
  const slots = manifest.encoders.historyItems;
  const rowWidth = 3 + slots + width;
  const block = float32File(dir, "user-features.bin", ids.length * rowWidth);
  const state = new Int32Array(ids.length);
  const category = new Int32Array(ids.length);
  const lastCategory = new Int32Array(ids.length);
  const recent = new Int32Array(ids.length * slots);
  const numeric = new Float32Array(ids.length * width);
  for (let u = 0; u < ids.length; u++) {
    const base = u * rowWidth;
    state[u] = block[base]!;
    category[u] = block[base + 1]!;
    lastCategory[u] = block[base + 2]!;
    for (let k = 0; k < slots; k++) recent[u * slots + k] = block[base + 3 + k]!;
    numeric.set(block.subarray(base + 3 + slots, base + 3 + slots + width), u * width);
  }
  return {
    config: manifest.config,
    encoders: manifest.encoders,
    params,
    history: manifest.history,
    trainedOn: manifest.trainedOn,
    items: items as SavedTwoTower["items"],
    itemEmbeddings,
    users: { ids: ids as string[], encoded: { length: ids.length, state, category, lastCategory, recent, numeric } },
    hybrid: readHybrid(dir, manifest, ids.length),
  };
}

function readHybrid(dir: string, manifest: Manifest, users: number): SavedHybrid {
  const items = manifest.items.count;
  const co = manifest.hybrid.coEntries;
  const values = float32File(dir, "hybrid-values.bin", 2 * items + users + co);
  const index = int32File(dir, "hybrid-index.bin", items + users + (users + 1) + co);
  const coOffsets = index.slice(items + users, items + 2 * users + 1);
  if (coOffsets[0] !== 0 || coOffsets[users] !== co || coOffsets.some((o, u) => u > 0 && o < coOffsets[u - 1]!)) {
    throw damaged(dir, "hybrid-index.bin", "damaged", "has co-purchase offsets that do not run from 0 to model.json's entry count in order");
  }
  const coItems = index.slice(items + 2 * users + 1);
  if (coItems.some((item) => item < 0 || item >= items)) throw damaged(dir, "hybrid-index.bin", "damaged", `has co-purchase items outside the catalogue of ${items}`);
  return {
    weights: manifest.hybrid.weights,
    items: { logPopularity: values.slice(0, items), itemPriceZ: values.slice(items, 2 * items), itemCategory: index.slice(0, items) },
    users: {
      lastCategory: index.slice(items, items + users),
      priceLevel: values.slice(2 * items, 2 * items + users),
      coOffsets,
      coItems,
      coValues: values.slice(2 * items + users),
    },
  };
}
