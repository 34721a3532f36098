import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MS_PER_DAY } from "../src/io/time.js";
import { MODEL_FILES, readSavedModel, writeSavedModel } from "../src/pipeline/recommend-model-io.js";
import { resolveTwoTowerConfig } from "../src/recommend/config.js";
import { buildDataset } from "../src/recommend/dataset.js";
import { encodeUsers } from "../src/recommend/encoders.js";
import { NO_CATEGORY, USER_NUMERIC_FEATURES } from "../src/recommend/features.js";
import { fitTwoTower, twoTowerScorer, type FittedTwoTower } from "../src/recommend/fit.js";
import { temporalFullSplit } from "../src/recommend/protocols.js";
import { embedUser, recommendForUser, savedHybrid, toSavedModel, type SavedTwoTower } from "../src/recommend/saved-model.js";
import { buildPriors, hybridScorer, type HybridWeights } from "../src/recommend/hybrid.js";
import { initTensorflow } from "../src/recommend/tf-runtime.js";
import { PARAM_NAMES, userEmbeddings } from "../src/recommend/two-tower.js";
import type { Dataset, ProtocolSplit } from "../src/recommend/types.js";
import { spawnCli } from "./support/cli-process.js";
import { syntheticRecommendInput } from "./support/recommend-fixture.js";
import { escapeRegExp } from "./support/regexp.js";

const CONFIG = { epochs: 1, batchSize: 64, hiddenUnits: 16, embeddingDim: 8 };
const CUTOFF = Date.UTC(2017, 0, 1) + 300 * MS_PER_DAY;

const root = mkdtempSync(join(tmpdir(), "retail-intel-model-io-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let dataset: Dataset;
let split: ProtocolSplit;
let fitted: FittedTwoTower;
let saved: SavedTwoTower;
let modelDir: string;
let loaded: SavedTwoTower;

beforeAll(async () => {
  await initTensorflow();
  dataset = buildDataset(syntheticRecommendInput({ users: 300, items: 120, categories: 6, seed: "model-io", repeatShare: 0.4 }));
  split = temporalFullSplit(dataset, { cutoff: CUTOFF });
  fitted = await fitTwoTower(dataset, split, resolveTwoTowerConfig(CONFIG), "1");
  saved = toSavedModel(fitted, dataset, "temporal-full", split.train.length, split.cutoff);
  modelDir = join(root, "model");
  writeSavedModel(modelDir, saved);
  loaded = readSavedModel(modelDir);
});

const bytesOf = (a: Float32Array | Int32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** A fresh copy of the written model folder, to damage. */
function copyOfModel(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const file of MODEL_FILES) writeFileSync(join(dir, file), readFileSync(join(modelDir, file)));
  return dir;
}

describe("writeSavedModel / readSavedModel round trip", () => {
  it("writes exactly the six model files and nothing else (no temporary files)", async () => {
    expect(readdirSync(modelDir).sort()).toEqual([...MODEL_FILES].sort());
  });

  it("restores params bit-exactly, with their shapes", async () => {
    for (const name of PARAM_NAMES) {
      expect(loaded.params[name].shape, name).toEqual(saved.params[name].shape);
      expect(loaded.params[name].data.length, name).toBe(saved.params[name].data.length);
      expect(bytesOf(loaded.params[name].data).equals(bytesOf(saved.params[name].data)), name).toBe(true);
    }
    expect(Object.keys(loaded.params).sort()).toEqual([...PARAM_NAMES].sort());
  });

  it("restores config, encoders, history and trainedOn", async () => {
    expect(loaded.config).toEqual(saved.config);
    expect(loaded.config.embeddingDim).toBe(8);
    expect(loaded.config.hiddenUnits).toBe(16);
    expect(loaded.encoders).toEqual(saved.encoders);
    expect(loaded.history).toEqual(saved.history);
    expect(loaded.trainedOn).toEqual(saved.trainedOn);
    expect(loaded.trainedOn.cutoff).toBe(new Date(CUTOFF).toISOString());
    expect(loaded.trainedOn.trainInteractions).toBe(split.train.length);
    expect(loaded.trainedOn.featuresAsOf).toBe(new Date(dataset.orderTime[dataset.orderTime.length - 1]!).toISOString());
  });

  it("restores item ids, categories, prices and embeddings bit-exactly", async () => {
    expect(loaded.items).toEqual(saved.items);
    expect(loaded.items.productIds).toEqual(dataset.items.map((i) => i.productId));
    expect(loaded.itemEmbeddings.length).toBe(dataset.items.length * 8);
    expect(bytesOf(loaded.itemEmbeddings).equals(bytesOf(saved.itemEmbeddings))).toBe(true);
  });

  it("restores user ids and encoded features bit-exactly", async () => {
    expect(loaded.users.ids).toEqual(dataset.userIds);
    const [a, b] = [loaded.users.encoded, saved.users.encoded];
    expect(a.length).toBe(b.length);
    expect(a.length).toBe(dataset.userIds.length);
    expect(Array.from(a.state)).toEqual(Array.from(b.state));
    expect(Array.from(a.category)).toEqual(Array.from(b.category));
    expect(a.numeric.length).toBe(b.numeric.length);
    expect(bytesOf(a.numeric).equals(bytesOf(b.numeric))).toBe(true);
    // the encodings are not trivially constant
    expect(new Set(a.state).size).toBeGreaterThan(1);
    expect(new Set(a.category).size).toBeGreaterThan(1);
  });

  it("recommendForUser gives the same lists before and after the round trip", async () => {
    const someUsers = [dataset.userIds[0]!, dataset.userIds[17]!, dataset.userIds[dataset.userIds.length - 1]!, "nobody-knows-me"];
    for (const id of someUsers) {
      const before = recommendForUser(saved, id, 10);
      const after = recommendForUser(loaded, id, 10);
      expect(after, id).toEqual(before);
    }
  });

  it("writing the loaded model again gives byte-identical files", async () => {
    const again = join(root, "again");
    writeSavedModel(again, loaded);
    for (const file of MODEL_FILES) expect(readFileSync(join(again, file)).equals(readFileSync(join(modelDir, file))), file).toBe(true);
  });
});

describe("embedUser (plain JS user tower)", () => {
  it("equals the TensorFlow.js user tower on the same encoded users to 1e-5", async () => {
    const encoded = saved.users.encoded;
    const tfjs = userEmbeddings(saved.params, encoded);
    const dim = saved.config.embeddingDim;
    let worst = 0;
    for (let u = 0; u < encoded.length; u++) {
      const js = embedUser(saved.params, encoded, u);
      expect(js.length).toBe(dim);
      let norm = 0;
      for (let d = 0; d < dim; d++) {
        worst = Math.max(worst, Math.abs(js[d]! - tfjs[u * dim + d]!));
        norm += js[d]! ** 2;
      }
      expect(Math.sqrt(norm)).toBeCloseTo(1, 5);
    }
    expect(worst).toBeLessThan(1e-5);
  });
});

describe("recommendForUser", () => {
  const dot = (user: Float32Array, item: number): number => {
    let s = 0;
    for (let d = 0; d < user.length; d++) s += user[d]! * saved.itemEmbeddings[item * user.length + d]!;
    return s;
  };
  const width = USER_NUMERIC_FEATURES.length;

  // The served score is two-tower+prior's: what the evaluation's hybridScorer gives the same user
  // with their whole history known, priors from every interaction. Weights with every term on, so
  // each part of the blend is checked (the tiny fixture's validation would keep most at 0).
  const ALL_TERMS: HybridWeights = { warm: { twoTower: 0.7, sameCategory: 2, coPurchase: 0.5, priceLevel: 0.3 }, cold: { twoTower: 0.4 },
    chosenOn: { warmQueries: 0, coldQueries: 0, warmObjective: 0, coldObjective: 0 },
  };

  it("returns the k best items, score-descending, scores = the evaluation's two-tower+prior blend for the user as of the data end", async () => {
    const model: SavedTwoTower = { ...saved, hybrid: savedHybrid(dataset, ALL_TERMS) };
    const allRows = Int32Array.from({ length: dataset.interactions.length }, (_, i) => i);
    const reference = hybridScorer(dataset, buildPriors(dataset, allRows), twoTowerScorer(fitted, dataset), model.config.temperature, ALL_TERMS);
    const itemOf = new Map(model.items.productIds.map((id, i) => [id, i]));
    let warmUsers = 0;
    for (const index of [0, 5, 42, 150, ...dataset.userIds.keys()].slice(0, 60)) {
      const id = model.users.ids[index]!;
      const result = recommendForUser(model, id, 7);
      expect(result.userId).toBe(id);
      expect(result.known).toBe(true);
      expect(result.items).toHaveLength(7);
      expect(new Set(result.items.map((r) => r.productId)).size).toBe(7);
      const all = reference.scoreBatch([{ user: index, target: 0, time: Infinity, knownBefore: Infinity, candidates: null, coldStart: false }])[0]!;
      if (model.hybrid.users.lastCategory[index]! >= 0) warmUsers++;
      for (let r = 0; r < result.items.length; r++) {
        const rec = result.items[r]!;
        const item = itemOf.get(rec.productId)!;
        expect(item, rec.productId).toBeDefined();
        expect(Math.abs(rec.score - all[item]!)).toBeLessThan(1e-3); // tfjs and plain-JS dot products differ in the last bits, times 1/temperature
        expect(rec.category).toBe(model.items.categories[item]);
        expect(rec.price).toBe(model.items.prices[item]);
        if (r > 0) expect(rec.score).toBeLessThanOrEqual(result.items[r - 1]!.score);
      }
      // nothing left out scores above the last one returned (exact top-k)
      const chosen = new Set(result.items.map((r) => itemOf.get(r.productId)!));
      const last = result.items[result.items.length - 1]!.score;
      expect(Array.from(all).filter((s, item) => !chosen.has(item) && s > last + 1e-3)).toEqual([]);
    }
    expect(warmUsers).toBeGreaterThan(10);
  });

  it("gives the same answer with and without a prepared user lookup", async () => {
    const lookup = new Map(saved.users.ids.map((id, i) => [id, i]));
    const id = saved.users.ids[9]!;
    expect(recommendForUser(saved, id, 5, lookup)).toEqual(recommendForUser(saved, id, 5));
  });

  it("answers an unknown id with the cold-start list, the same for every unknown id", async () => {
    const a = recommendForUser(saved, "stranger-1", 10);
    const b = recommendForUser(saved, "", 10);
    expect(a.known).toBe(false);
    expect(b.known).toBe(false);
    expect(a.userId).toBe("stranger-1");
    expect(a.items).toHaveLength(10);
    expect(b.items).toEqual(a.items);
    // the cold-start user: unknown state, no favourite or last category, no recent products, zero history features (standardised)
    const cold = encodeUsers(saved.encoders, [{ state: "", favouriteCategory: NO_CATEGORY, lastCategory: NO_CATEGORY, recentItems: [], numeric: new Float64Array(width) }], { items: [] });
    expect(cold.state[0]).toBe(0);
    const user = userEmbeddings(saved.params, cold);
    const { weights, items } = saved.hybrid;
    for (const rec of a.items) {
      const item = saved.items.productIds.indexOf(rec.productId);
      const blended = (weights.cold.twoTower * dot(user, item)) / saved.config.temperature + items.logPopularity[item]!;
      expect(Math.abs(rec.score - blended)).toBeLessThan(1e-4);
    }
    // and it differs from a known user's list
    expect(recommendForUser(saved, saved.users.ids[3]!, 10).items.map((r) => r.productId)).not.toEqual(a.items.map((r) => r.productId));
  });

  it("returns the whole catalogue, each item once, when k exceeds it", async () => {
    const n = saved.items.productIds.length;
    for (const id of [saved.users.ids[1]!, "unknown-user"]) {
      const result = recommendForUser(saved, id, n + 50);
      expect(result.items).toHaveLength(n);
      expect(new Set(result.items.map((r) => r.productId))).toEqual(new Set(saved.items.productIds));
      for (let r = 1; r < n; r++) expect(result.items[r]!.score).toBeLessThanOrEqual(result.items[r - 1]!.score);
    }
  });
});

describe("readSavedModel errors", () => {
  it("names a missing file and the folder it is missing from", async () => {
    for (const file of ["users.json", "weights.bin"]) {
      const dir = copyOfModel(`missing-${file}`);
      rmSync(join(dir, file));
      expect(() => readSavedModel(dir), file).toThrow(`model folder ${dir} is damaged: ${file} is missing; re-run`);
    }
    const dir = copyOfModel("missing-model.json");
    rmSync(join(dir, "model.json"));
    expect(() => readSavedModel(dir)).toThrow(`${dir} is not a model folder: model.json is missing`);
    expect(() => readSavedModel(join(root, "no-such-folder"))).toThrow(`model folder ${join(root, "no-such-folder")} does not exist`);
  });

  // A model file cut short (a full disk, a copy interrupted) used to surface as JSON.parse's bare
  // "Unterminated string in JSON at position N", naming neither the file nor the folder.
  it("says which JSON file of which folder is damaged when one is cut in half", async () => {
    for (const file of ["model.json", "items.json", "users.json"]) {
      const dir = copyOfModel(`half-${file}`);
      const text = readFileSync(join(dir, file), "utf8");
      writeFileSync(join(dir, file), text.slice(0, Math.floor(text.length / 2)));
      let message = "";
      try {
        readSavedModel(dir);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, file).toContain(`model folder ${dir} is damaged: ${file} is not valid JSON (`);
      expect(message, file).toMatch(/position \d+\)/);
      expect(message, file).toContain("re-run `npx retail-intel recommend-eval --out DIR` to rebuild it (it writes DIR/model)");
      expect(message, file).not.toContain("\n");
    }
  });

  it("`recommend` on a model with items.json cut in half: exit 1, one line naming folder and file, the command that rebuilds it", async () => {
    const evalDir = join(root, "cli-eval");
    mkdirSync(evalDir);
    const dir = join(evalDir, "model");
    mkdirSync(dir);
    for (const file of MODEL_FILES) writeFileSync(join(dir, file), readFileSync(join(modelDir, file)));
    const text = readFileSync(join(dir, "items.json"), "utf8");
    writeFileSync(join(dir, "items.json"), text.slice(0, Math.floor(text.length / 2)));
    const result = spawnCli(root, "recommend", "--model", dir, "--user", saved.users.ids[0]!);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      new RegExp(`^error: model folder ${escapeRegExp(dir)} is damaged: items\\.json is not valid JSON \\([^\\n]* at position \\d+\\); re-run \`npx retail-intel recommend-eval --out ${escapeRegExp(evalDir)}\` to rebuild it\\n$`),
    );
  });

  it("says model.json is damaged when it parses but lacks its tensor index", async () => {
    const dir = copyOfModel("no-tensors");
    const manifest = JSON.parse(readFileSync(join(dir, "model.json"), "utf8")) as Record<string, unknown>;
    delete manifest["tensors"];
    writeFileSync(join(dir, "model.json"), JSON.stringify(manifest));
    expect(() => readSavedModel(dir)).toThrow(`model folder ${dir} is damaged: model.json lacks tensors`);
  });

  it("rejects a truncated weights.bin, naming the file and the expected size", async () => {
    const dir = copyOfModel("truncated-weights");
    const expected = PARAM_NAMES.reduce((a, name) => a + saved.params[name].data.length, 0) * 4;
    expect(readFileSync(join(dir, "weights.bin")).byteLength).toBe(expected);
    truncateSync(join(dir, "weights.bin"), expected - 12);
    expect(() => readSavedModel(dir)).toThrow(`model folder ${dir} is damaged: weights.bin has ${expected - 12} bytes where model.json expects ${expected}`);
  });

  it("rejects truncated item embeddings and user features", async () => {
    for (const file of ["item-embeddings.bin", "user-features.bin"]) {
      const dir = copyOfModel(`truncated-${file}`);
      const size = readFileSync(join(dir, file)).byteLength;
      truncateSync(join(dir, file), size - 4);
      expect(() => readSavedModel(dir), file).toThrow(`model folder ${dir} is damaged: ${file} has ${size - 4} bytes where model.json expects ${size}`);
    }
  });

  it("rejects a model.json of another format or version", async () => {
    for (const [field, value] of [
      ["format", "some-other-model"],
      ["version", 1],
    ] as const) {
      const dir = copyOfModel(`wrong-${field}`);
      const manifest = JSON.parse(readFileSync(join(dir, "model.json"), "utf8")) as Record<string, unknown>;
      expect(manifest["format"]).toBe("retail-intel-two-tower");
      manifest[field] = value;
      writeFileSync(join(dir, "model.json"), JSON.stringify(manifest));
      expect(() => readSavedModel(dir), field).toThrow(/not a retail-intel-two-tower v3 model/);
    }
  });

  // readSavedModel's contract: "checking every file is present and sized as model.json says".
  // items.json is the catalogue the embeddings rows belong to; a count that disagrees with
  // model.json's items.count is a mismatched folder (with more entries than embedding rows,
  // recommendForUser would score undefined memory as NaN).
  it("rejects an items.json whose length disagrees with model.json's item count", async () => {
    const dir = copyOfModel("items-mismatch");
    const items = JSON.parse(readFileSync(join(dir, "items.json"), "utf8")) as SavedTwoTower["items"];
    items.productIds.push("p-extra");
    items.categories.push("cat_000");
    items.prices.push(1);
    writeFileSync(join(dir, "items.json"), JSON.stringify(items));
    expect(() => readSavedModel(dir)).toThrow(`model folder ${dir} is damaged: items.json productIds has ${items.productIds.length} entries`);
  });
});

describe("writeSavedModel all-or-nothing", () => {
  it("creates nothing when the folder cannot be made (its parent is a regular file)", async () => {
    const file = join(root, "a-regular-file");
    writeFileSync(file, "not a folder");
    expect(() => writeSavedModel(join(file, "model"), saved)).toThrow();
    expect(readFileSync(file, "utf8")).toBe("not a folder");
  });

  it("leaves no temporary files and keeps the previous model when a later file fails", async () => {
    const dir = copyOfModel("overwrite");
    const before = new Map(MODEL_FILES.map((f) => [f, readFileSync(join(dir, f))]));
    // model.json is written last; its temporary path is a dangling symlink, so writing it fails (ENOENT)
    symlinkSync(join(root, "no-such-dir", "x"), join(dir, `.tmp-${process.pid}-model.json`));
    const other = { ...saved, itemEmbeddings: saved.itemEmbeddings.map((v) => -v) };
    expect(() => writeSavedModel(dir, other)).toThrow(/ENOENT/);
    expect(readdirSync(dir).filter((f) => f.startsWith(".tmp-"))).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual([...MODEL_FILES].sort());
    for (const [f, content] of before) expect(readFileSync(join(dir, f)).equals(content), f).toBe(true);
    expect(existsSync(join(dir, "model.json"))).toBe(true);
  });
});
