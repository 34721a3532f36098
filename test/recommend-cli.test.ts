import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeOlistSample } from "../src/data/sample/index.js";
import { MODEL_FILES, readSavedModel } from "../src/pipeline/recommend-model-io.js";
import { METRIC_NAMES } from "../src/recommend/metrics.js";
import { PROTOCOL_DESCRIPTIONS } from "../src/recommend/protocols.js";
import { recommendForUser, type SavedTwoTower } from "../src/recommend/saved-model.js";
import { MODEL_NAMES, PROTOCOLS } from "../src/recommend/types.js";
import { runMain } from "./support/cli-process.js";

const REPORTED = ["temporal-full", "temporal-full-cold-start", "loo-sampled-99", "loo-sampled-99-leaky"] as const;

const root = mkdtempSync(join(tmpdir(), "retail-intel-recommend-cli-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = runMain;
type Run = Awaited<ReturnType<typeof runMain>>;

const processed = join(root, "processed");
const outA = join(root, "eval-a");
const outB = join(root, "eval-b");
const EVAL = (out: string, ...extra: string[]): string[] => ["recommend-eval", "--processed", processed, "--protocol", "all", "--seeds", "2", "--epochs", "1", "--out", out, ...extra];

let first: Run;

beforeAll(async () => {
  // the real pipeline: generated raw Olist-like sample -> `features` -> data/processed
  const raw = join(root, "raw");
  await writeOlistSample(raw, { orders: 2500, seed: "recommend-cli" });
  const features = await run(["features", "--raw", raw, "--out", processed]);
  expect(features.code, features.stderr).toBe(0);
  expect(existsSync(join(processed, "order_facts.parquet"))).toBe(true);
  first = await run(EVAL(outA));
});

function csvRows(path: string): string[][] {
  return readFileSync(path, "utf8").trimEnd().split("\n").slice(1).map((l) => l.split(","));
}

describe("recommend-eval", () => {
  it("exits 0 and writes metrics.csv: protocol x model x metric, two-tower over 2 seeds, baselines once", () => {
    expect(first.code, first.stderr).toBe(0);
    const text = readFileSync(join(outA, "metrics.csv"), "utf8");
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe("protocol,model,metric,mean,std,seeds");
    const rows = csvRows(join(outA, "metrics.csv"));
    expect(rows).toHaveLength(REPORTED.length * MODEL_NAMES.length * METRIC_NAMES.length);
    const keys = new Set(rows.map((r) => r.slice(0, 3).join("|")));
    expect(keys.size).toBe(rows.length);
    for (const p of REPORTED) for (const m of MODEL_NAMES) for (const k of METRIC_NAMES) expect(keys.has(`${p}|${m}|${k}`), `${p}|${m}|${k}`).toBe(true);
    for (const row of rows) {
      expect(row, row.join(",")).toHaveLength(6);
      const [, model, , mean, std, seeds] = row as [string, string, string, string, string, string];
      expect(Number.isFinite(Number(mean)), row.join(",")).toBe(true);
      expect(Number(mean)).toBeGreaterThanOrEqual(0);
      expect(Number(mean)).toBeLessThanOrEqual(1);
      expect(Number(std)).toBeGreaterThanOrEqual(0);
      if (model.startsWith("two-tower")) {
        expect(seeds, row.join(",")).toBe("2");
      } else {
        expect(seeds, row.join(",")).toBe("1");
        expect(std, row.join(",")).toBe("0");
      }
    }
    // two seeds of the two-tower model really differ somewhere (std is not always 0)
    expect(rows.some((r) => r[1] === "two-tower" && Number(r[4]) > 0)).toBe(true);
    expect(first.stdout).toMatch(/Written to .*metrics\.csv, metrics\.json, model\/ \(temporal-full, seed 1\)/);
  });

  it("writes metrics.json with the config, described protocols and the rows of metrics.csv", () => {
    const json = JSON.parse(readFileSync(join(outA, "metrics.json"), "utf8")) as {
      config: { epochs: number };
      protocols: { protocol: string; description: string; trainInteractions: number; queries: number }[];
      rows: { protocol: string; model: string; metric: string; mean: number; std: number; seeds: number; values: number[] }[];
    };
    expect(json.config.epochs).toBe(1);
    expect(json.protocols.map((p) => p.protocol)).toEqual([...PROTOCOLS]);
    for (const p of json.protocols) {
      expect(p.description).toBe(PROTOCOL_DESCRIPTIONS[p.protocol as keyof typeof PROTOCOL_DESCRIPTIONS]);
      expect(p.trainInteractions).toBeGreaterThan(0);
      expect(p.queries).toBeGreaterThan(0);
    }
    const csv = csvRows(join(outA, "metrics.csv"));
    expect(json.rows).toHaveLength(csv.length);
    json.rows.forEach((r, i) => {
      const line = csv[i]!;
      expect([r.protocol, r.model, r.metric]).toEqual(line.slice(0, 3));
      expect(Number(line[3])).toBeCloseTo(r.mean, 8);
      expect(Number(line[4])).toBeCloseTo(r.std, 8);
      expect(r.values).toHaveLength(r.seeds);
    });
  });

  it("writes each row's 95% interval to metrics.json (null for coverage@10) and prints it in the table", () => {
    const json = JSON.parse(readFileSync(join(outA, "metrics.json"), "utf8")) as {
      intervalNote: string;
      rows: { metric: string; mean: number; ciLow: number | null; ciHigh: number | null; perQuery?: unknown }[];
    };
    expect(json.intervalNote).toMatch(/bootstrap/);
    for (const r of json.rows) {
      expect("perQuery" in r).toBe(false);
      if (r.metric === "coverage@10") {
        expect(r.ciLow).toBeNull();
        expect(r.ciHigh).toBeNull();
      } else {
        expect(r.ciLow!).toBeLessThanOrEqual(r.mean + 1e-12);
        expect(r.ciHigh!).toBeGreaterThanOrEqual(r.mean - 1e-12);
      }
    }
    expect(first.stdout).toMatch(/\d\.\d{4} \[\d\.\d{4}, \d\.\d{4}\]/);
    expect(first.stdout).toContain("Cells: mean [95% bootstrap interval over evaluated purchases]");
  });

  it("writes the first seed's model folder, readable by readSavedModel", () => {
    expect(readdirSync(join(outA, "model")).sort()).toEqual([...MODEL_FILES].sort());
    const saved = readSavedModel(join(outA, "model"));
    expect(saved.trainedOn.protocol).toBe("temporal-full");
    expect(saved.trainedOn.seed).toBe("1");
    expect(saved.config.epochs).toBe(1);
    expect(saved.users.ids.length).toBeGreaterThan(1000);
    expect(saved.items.productIds.length).toBeGreaterThan(100);
  });

  it("is deterministic end to end: the same arguments give byte-identical metrics.csv and model weights", async () => {
    const second = await run(EVAL(outB));
    expect(second.code, second.stderr).toBe(0);
    expect(readFileSync(join(outB, "metrics.csv")).equals(readFileSync(join(outA, "metrics.csv")))).toBe(true);
    for (const file of ["weights.bin", "item-embeddings.bin", "user-features.bin", "items.json", "users.json"]) {
      expect(readFileSync(join(outB, "model", file)).equals(readFileSync(join(outA, "model", file))), file).toBe(true);
    }
  });

  it("--protocol loo-sampled-99 writes only that protocol's rows, equal to the ones of the full run", async () => {
    const out = join(root, "loo");
    const result = await run(["recommend-eval", "--processed", processed, "--protocol", "loo-sampled-99", "--seeds", "2", "--epochs", "1", "--out", out]);
    expect(result.code, result.stderr).toBe(0);
    const lines = readFileSync(join(out, "metrics.csv"), "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe("protocol,model,metric,mean,std,seeds");
    const rows = lines.slice(1);
    expect(rows).toHaveLength(MODEL_NAMES.length * METRIC_NAMES.length);
    for (const row of rows) expect(row.split(",")[0]).toBe("loo-sampled-99");
    const full = readFileSync(join(outA, "metrics.csv"), "utf8").trimEnd().split("\n").filter((l) => l.startsWith("loo-sampled-99,"));
    expect(rows.slice().sort()).toEqual(full.slice().sort());
    expect(readSavedModel(join(out, "model")).trainedOn.protocol).toBe("loo-sampled-99");
  });

  it("rejects an unknown --protocol with exit 2, naming the allowed values", async () => {
    const out = join(root, "bad-protocol");
    const result = await run(["recommend-eval", "--processed", processed, "--protocol", "nonsense", "--out", out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("nonsense");
    for (const name of [...PROTOCOLS, "all"]) expect(result.stderr).toContain(name);
    expect(result.stderr).toMatch(/--protocol must be one of temporal-full\|loo-sampled-99\|loo-sampled-99-leaky\|all/);
    expect(existsSync(out)).toBe(false);
  });

  it("rejects --seeds 0, --leaky-seeds two and a missing --out with exit 2", async () => {
    const out = join(root, "bad-seeds");
    const seeds = await run(["recommend-eval", "--processed", processed, "--seeds", "0", "--out", out]);
    expect(seeds.code).toBe(2);
    expect(seeds.stderr).toMatch(/--seeds must be a positive integer, got '0'/);
    expect(existsSync(out)).toBe(false);
    const leaky = await run(["recommend-eval", "--processed", processed, "--leaky-seeds", "two", "--out", out]);
    expect(leaky.code).toBe(2);
    expect(leaky.stderr).toMatch(/--leaky-seeds must be a positive integer, got 'two'/);
    expect(existsSync(out)).toBe(false);
    const noOut = await run(["recommend-eval", "--processed", processed, "--seeds", "1", "--epochs", "1"]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/--out needs a value/);
    expect(noOut.stderr).toMatch(/Usage: npx retail-intel recommend-eval/);
  });

  it("writes model/, metrics.csv and metrics.json all or nothing: a metrics.json in the way leaves no model behind", async () => {
    const out = join(root, "metrics-in-the-way");
    mkdirSync(join(out, "metrics.json"), { recursive: true });
    const result = await run(["recommend-eval", "--processed", processed, "--protocol", "loo-sampled-99", "--seeds", "1", "--epochs", "1", "--out", out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: output file ${join(out, "metrics.json")} is a folder, not a file`);
    expect(readdirSync(out)).toEqual(["metrics.json"]);
    expect(readdirSync(join(out, "metrics.json"))).toEqual([]);
  });

  it("exits 1 naming order_facts.parquet when --processed is an empty folder", async () => {
    const empty = join(root, "empty-processed");
    mkdirSync(empty);
    const out = join(root, "empty-out");
    const result = await run(["recommend-eval", "--processed", empty, "--seeds", "1", "--epochs", "1", "--out", out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(join(empty, "order_facts.parquet"));
    expect(result.stderr).toMatch(/file not found/);
    expect(existsSync(out)).toBe(false);
  });
});

describe("recommend", () => {
  let saved: SavedTwoTower;
  const modelDir = (): string => join(outA, "model");
  const RANKED = /^ *(\d+)\. (\S+) +(\S.*?) +R\$ +(\d+\.\d{2}) +score (-?\d+\.\d{4})$/;

  beforeAll(() => {
    saved = readSavedModel(modelDir());
  });

  it("prints k ranked lines with category and R$ price, matching the model's own ranking, and the latency", async () => {
    const users = JSON.parse(readFileSync(join(modelDir(), "users.json"), "utf8")) as string[];
    const user = users[Math.floor(users.length / 2)]!;
    const result = await run(["recommend", "--model", modelDir(), "--user", user, "--k", "5"]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(new RegExp(`^Top 5 for customer ${user} `));
    expect(result.stdout).not.toMatch(/cold-start/);
    const ranked = lines.filter((l) => RANKED.test(l));
    expect(ranked).toHaveLength(5);
    const expected = recommendForUser(saved, user, 5);
    expect(expected.known).toBe(true);
    ranked.forEach((line, i) => {
      const [, rank, productId, category, price, score] = RANKED.exec(line)!;
      const want = expected.items[i]!;
      expect(Number(rank)).toBe(i + 1);
      expect(productId).toBe(want.productId);
      expect(category!.trim()).toBe(want.category);
      expect(price).toBe(want.price.toFixed(2));
      expect(score).toBe(want.score.toFixed(4));
      if (i > 0) expect(Number(score)).toBeLessThanOrEqual(Number(RANKED.exec(ranked[i - 1]!)![5]));
    });
    expect(lines.at(-1)).toMatch(/^lookup latency \d+\.\d{2} ms .*trained on temporal-full, seed 1$/);
  });

  it("answers an unknown customer with the cold-start sentence and the same list for every unknown id", async () => {
    const a = await run(["recommend", "--model", modelDir(), "--user", "no-such-customer", "--k", "5"]);
    const b = await run(["recommend", "--model", modelDir(), "--user", "another-stranger", "--k", "5"]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(a.stdout).toContain("unknown to the model: cold-start");
    const listOf = (r: Run) => r.stdout.split("\n").filter((l) => RANKED.test(l));
    expect(listOf(a)).toHaveLength(5);
    expect(listOf(b)).toEqual(listOf(a));
    expect(a.stdout).toMatch(/lookup latency/);
  });

  it("exits 1 saying so when --model names no folder, or a folder without model.json", async () => {
    const missing = join(root, "no-model-here");
    const result = await run(["recommend", "--model", missing, "--user", "x"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`model folder ${missing} does not exist`);
    const notModel = await run(["recommend", "--model", outA, "--user", "x"]);
    expect(notModel.code).toBe(1);
    expect(notModel.stderr).toContain(`${outA} is not a model folder: model.json is missing`);
  });

  it("rejects --k 0 and a missing --user with exit 2", async () => {
    expect((await run(["recommend", "--model", modelDir(), "--user", "x", "--k", "0"])).code).toBe(2);
    expect((await run(["recommend", "--model", modelDir()])).code).toBe(2);
  });
});
