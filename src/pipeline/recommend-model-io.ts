import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeFilesAtomically } from "../io/atomic-write.js";
import type { SavedTwoTower } from "../recommend/saved-model.js";
import { PARAM_NAMES, type Param, type TwoTowerParams } from "../recommend/two-tower.js";

export const MODEL_FORMAT = "retail-intel-two-tower";
export const MODEL_FILES = ["model.json", "weights.bin", "item-embeddings.bin", "items.json", "users.json", "user-features.bin"] as const;

interface TensorEntry {
  name: string;
  shape: number[];
  offset: number;
  length: number;
}

const bytes = (a: Float32Array | Int32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * Writes the model folder all-or-nothing: model.json (format, config, encoders = vocabularies and
 * feature scalers, training history, tensor index), weights.bin (float32 little-endian tensors),
 * item-embeddings.bin (items x dim), items.json (product id, category, price), users.json and
 * user-features.bin (each known user's encoded features: state, favourite category, numeric).
 */
export function writeSavedModel(dir: string, saved: SavedTwoTower): void {
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
  const userBlock = new Float32Array(encoded.length * (2 + numericWidth));
  for (let u = 0; u < encoded.length; u++) {
    const base = u * (2 + numericWidth);
    userBlock[base] = encoded.state[u]!;
    userBlock[base + 1] = encoded.category[u]!;
    userBlock.set(encoded.numeric.subarray(u * numericWidth, (u + 1) * numericWidth), base + 2);
  }
  const manifest = {
    format: MODEL_FORMAT,
    version: 1,
    littleEndian: true,
    config: saved.config,
    encoders: saved.encoders,
    trainedOn: saved.trainedOn,
    history: saved.history,
    tensors,
    items: { count: saved.items.productIds.length, embeddingDim: saved.config.embeddingDim },
    users: { count: encoded.length, row: ["state", "favourite_category", ...saved.encoders.userNumericFeatures] },
    files: MODEL_FILES,
  };
  const file = (name: string, content: string | Uint8Array) => ({ path: join(dir, name), write: (temp: string) => writeFileSync(temp, content) });
  writeFilesAtomically([
    file("weights.bin", bytes(weights)),
    file("item-embeddings.bin", bytes(saved.itemEmbeddings)),
    file("items.json", JSON.stringify(saved.items)),
    file("users.json", JSON.stringify(saved.users.ids)),
    file("user-features.bin", bytes(userBlock)),
    file("model.json", `${JSON.stringify(manifest, null, 2)}\n`),
  ]);
}

function float32File(path: string, expectedLength: number): Float32Array {
  const buffer = readFileSync(path);
  if (buffer.byteLength !== expectedLength * 4) throw new Error(`${path}: expected ${expectedLength * 4} bytes, found ${buffer.byteLength} (a partial or mismatched model folder)`);
  const out = new Float32Array(expectedLength);
  new Uint8Array(out.buffer).set(buffer);
  return out;
}

/** Reads a model folder written by `writeSavedModel`, checking every file is present and sized as model.json says. */
export function readSavedModel(dir: string): SavedTwoTower {
  for (const name of MODEL_FILES) {
    if (!existsSync(join(dir, name))) throw new Error(`${join(dir, name)}: missing; a model folder is written by \`npx retail-intel recommend-eval --out DIR\` (DIR/model)`);
  }
  const manifest = JSON.parse(readFileSync(join(dir, "model.json"), "utf8")) as {
    format: string;
    version: number;
    config: SavedTwoTower["config"];
    encoders: SavedTwoTower["encoders"];
    trainedOn: SavedTwoTower["trainedOn"];
    history: SavedTwoTower["history"];
    tensors: TensorEntry[];
    items: { count: number; embeddingDim: number };
    users: { count: number };
  };
  if (manifest.format !== MODEL_FORMAT || manifest.version !== 1) throw new Error(`${join(dir, "model.json")}: not a ${MODEL_FORMAT} v1 model (format ${manifest.format}, version ${manifest.version})`);
  const total = manifest.tensors.reduce((a, t) => a + t.length, 0);
  const weights = float32File(join(dir, "weights.bin"), total);
  const params = {} as TwoTowerParams;
  for (const t of manifest.tensors) {
    params[t.name as keyof TwoTowerParams] = { shape: t.shape as Param["shape"], data: weights.slice(t.offset, t.offset + t.length) };
  }
  for (const name of PARAM_NAMES) if (!params[name]) throw new Error(`${join(dir, "model.json")}: tensor ${name} missing`);
  const items = JSON.parse(readFileSync(join(dir, "items.json"), "utf8")) as SavedTwoTower["items"];
  for (const key of ["productIds", "categories", "prices"] as const) {
    if (!Array.isArray(items[key]) || items[key].length !== manifest.items.count) {
      throw new Error(`${join(dir, "items.json")}: ${key} has ${Array.isArray(items[key]) ? items[key].length : "no"} entries, model.json says ${manifest.items.count} items (a mismatched model folder)`);
    }
  }
  const itemEmbeddings = float32File(join(dir, "item-embeddings.bin"), manifest.items.count * manifest.items.embeddingDim);
  const ids = JSON.parse(readFileSync(join(dir, "users.json"), "utf8")) as string[];
  if (!Array.isArray(ids) || ids.length !== manifest.users.count) {
    throw new Error(`${join(dir, "users.json")}: ${Array.isArray(ids) ? ids.length : "no"} user ids, model.json says ${manifest.users.count} (a mismatched model folder)`);
  }
  const width = manifest.encoders.userNumericFeatures.length;
  const block = float32File(join(dir, "user-features.bin"), ids.length * (2 + width));
  const state = new Int32Array(ids.length);
  const category = new Int32Array(ids.length);
  const numeric = new Float32Array(ids.length * width);
  for (let u = 0; u < ids.length; u++) {
    const base = u * (2 + width);
    state[u] = block[base]!;
    category[u] = block[base + 1]!;
    numeric.set(block.subarray(base + 2, base + 2 + width), u * width);
  }
  return {
    config: manifest.config,
    encoders: manifest.encoders,
    params,
    history: manifest.history,
    trainedOn: manifest.trainedOn,
    items,
    itemEmbeddings,
    users: { ids, encoded: { length: ids.length, state, category, numeric } },
  };
}
