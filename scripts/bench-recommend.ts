// Two-tower speed (part of `npm run bench`; run alone with `npx tsx scripts/bench-recommend.ts`):
// training throughput of our tfjs step against the same step in PyTorch CPU (Debian python3-torch, when
// installed) in the same run on the same synthetic shapes, and top-10 retrieval latency over the catalogue.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import seedrandom from "seedrandom";
import { resolveTwoTowerConfig } from "../src/recommend/config.js";
import type { Encoders } from "../src/recommend/encoders.js";
import { HISTORY_ITEMS } from "../src/recommend/features.js";
import { recommendForUser, type SavedTwoTower } from "../src/recommend/saved-model.js";
import { initTensorflow } from "../src/recommend/tf-runtime.js";
import { initParams, PARAM_NAMES, trainStep, type TrainingRows } from "../src/recommend/two-tower.js";
import { runTorchPeer } from "./bench/torch-peer.js";
import { onnxProducts, tfjsProducts, type MatrixProducts } from "../src/recommend/matrix-products.js";
import { recommendInputFromProcessed } from "../src/pipeline/recommend-io.js";
import { buildDataset } from "../src/recommend/dataset.js";
import { temporalFullSplit } from "../src/recommend/protocols.js";
import { fitTwoTower } from "../src/recommend/fit.js";

const N_ITEMS = Number(process.env["BENCH_RECOMMEND_ITEMS"] ?? 32_951); // real Olist catalogue size
const N_CATEGORIES = 75;
const N_STATES = 28;
const POOL = 100_000;
const WARMUP = 20;
const STEPS = Number(process.env["BENCH_RECOMMEND_STEPS"] ?? 200);

function syntheticEncoders(): Encoders {
  return {
    states: Array.from({ length: N_STATES }, (_, i) => `s${i}`),
    categories: Array.from({ length: N_CATEGORIES }, (_, i) => `c${i}`),
    itemIds: Array.from({ length: N_ITEMS }, (_, i) => `i${i}`),
    userScaler: { mean: new Array(12).fill(0), std: new Array(12).fill(1) },
    itemScaler: { mean: new Array(8).fill(0), std: new Array(8).fill(1) },
    userNumericFeatures: Array.from({ length: 12 }, (_, i) => `u${i}`),
    itemNumericFeatures: Array.from({ length: 8 }, (_, i) => `n${i}`),
    historyItems: HISTORY_ITEMS,
  };
}

function normal(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/** The same synthetic data as the PyTorch peer: Zipf item ids, uniform states and categories, normal numerics. */
function syntheticRows(rng: () => number): { rows: TrainingRows; items: { length: number; id: Int32Array; category: Int32Array; numeric: Float32Array } } {
  const cdf = new Float64Array(N_ITEMS);
  let total = 0;
  for (let r = 0; r < N_ITEMS; r++) cdf[r] = total += 1 / (r + 1);
  const popularityOrder = Int32Array.from({ length: N_ITEMS }, (_, i) => i).sort(() => rng() - 0.5);
  const drawItem = () => {
    const u = rng() * total;
    let lo = 0;
    let hi = N_ITEMS - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return popularityOrder[lo]!;
  };
  const items = {
    length: N_ITEMS,
    id: Int32Array.from({ length: N_ITEMS }, (_, i) => i),
    category: Int32Array.from({ length: N_ITEMS }, () => Math.floor(rng() * N_CATEGORIES)),
    numeric: Float32Array.from({ length: N_ITEMS * 8 }, () => normal(rng)),
  };
  const rows: TrainingRows = {
    users: {
      length: POOL,
      state: Int32Array.from({ length: POOL }, () => Math.floor(rng() * N_STATES)),
      category: Int32Array.from({ length: POOL }, () => Math.floor(rng() * N_CATEGORIES)),
      lastCategory: Int32Array.from({ length: POOL }, () => Math.floor(rng() * N_CATEGORIES)),
      // no recent products (empty slots), as for the ~97% of training rows without history
      recent: new Int32Array(POOL * HISTORY_ITEMS),
      numeric: Float32Array.from({ length: POOL * 12 }, () => normal(rng)),
    },
    items: Int32Array.from({ length: POOL }, drawItem),
  };
  return { rows, items };
}

async function training(products: MatrixProducts, batchSize = 512): Promise<{ stepsPerSecond: number; lossFirst: number; lossLast: number }> {
  const product = products.product;
  const rng = seedrandom("bench-recommend");
  const config = resolveTwoTowerConfig({ logQCorrection: true, batchSize });
  const encoders = syntheticEncoders();
  const params = initParams(config, encoders, "bench");
  const moments = Object.fromEntries(PARAM_NAMES.map((n) => [n, { m: new Float32Array(params[n].data.length), v: new Float32Array(params[n].data.length) }])) as Parameters<typeof trainStep>[3];
  const { rows, items } = syntheticRows(rng);
  const counts = new Float64Array(N_ITEMS);
  for (const it of rows.items) counts[it]! += 1;
  const logQ = Float32Array.from(counts, (c) => (c > 0 ? Math.log(c / POOL) : 0));
  const batches = Math.floor(POOL / config.batchSize);
  const batchAt = (s: number) => Int32Array.from({ length: config.batchSize }, (_, k) => (s % batches) * config.batchSize + k);
  for (let s = 0; s < WARMUP; s++) await trainStep(product, config, params, moments, s + 1, rows, items, batchAt(s), logQ);
  const start = performance.now();
  let lossFirst = NaN;
  let lossLast = NaN;
  for (let s = 0; s < STEPS; s++) {
    lossLast = await trainStep(product, config, params, moments, WARMUP + s + 1, rows, items, batchAt(WARMUP + s), logQ);
    if (s === 0) lossFirst = lossLast;
  }
  return { stepsPerSecond: STEPS / ((performance.now() - start) / 1000), lossFirst, lossLast };
}

/** Multiply-adds x 2 of the step's 11 products (batch 512; user input 84, item input 56, hidden 128, embedding 64): towers forward and backward, logits and their two gradients. */
const STEP_FLOP = 2 * (3 * 512 * 512 * 64 + 3 * (512 * 84 * 128 + 512 * 128 * 64) + 3 * (512 * 56 * 128 + 512 * 128 * 64));

/** GFLOP/s of an engine on the step's largest products (512 x 64 x 512 and its transposed gradients). */
async function productThroughput(engine: MatrixProducts): Promise<number> {
  const rng = seedrandom("bench-products");
  const random = (n: number) => Float32Array.from({ length: n }, () => rng() - 0.5);
  const [u, i, g] = [random(512 * 64), random(512 * 64), random(512 * 512)];
  const once = async () => {
    await engine.product(u, 512, 64, false, i, 512, 64, true);
    await engine.product(g, 512, 512, false, i, 512, 64, false);
    await engine.product(g, 512, 512, true, u, 512, 64, false);
  };
  for (let k = 0; k < 10; k++) await once();
  const rounds = 100;
  const start = performance.now();
  for (let k = 0; k < rounds; k++) await once();
  return (rounds * 3 * 2 * 512 * 512 * 64) / ((performance.now() - start) / 1000) / 1e9;
}

function retrievalLatency(): { p50: number; p99: number; lookups: number } {
  const rng = seedrandom("bench-retrieval");
  const config = resolveTwoTowerConfig();
  const encoders = syntheticEncoders();
  const users = 10_000;
  const itemEmbeddings = new Float32Array(N_ITEMS * config.embeddingDim);
  for (let i = 0; i < itemEmbeddings.length; i++) itemEmbeddings[i] = normal(rng) / Math.sqrt(config.embeddingDim);
  const saved: SavedTwoTower = {
    config,
    encoders,
    params: initParams(config, encoders, "bench"),
    history: [],
    trainedOn: { protocol: "temporal-full", seed: "1", trainInteractions: 0, cutoff: null, featuresAsOf: new Date(0).toISOString() },
    items: { productIds: encoders.itemIds, categories: Array.from({ length: N_ITEMS }, (_, i) => `c${i % N_CATEGORIES}`), prices: new Array(N_ITEMS).fill(10) },
    itemEmbeddings,
    users: {
      ids: Array.from({ length: users }, (_, i) => `user${i}`),
      encoded: {
        length: users,
        state: Int32Array.from({ length: users }, () => Math.floor(rng() * N_STATES)),
        category: Int32Array.from({ length: users }, () => Math.floor(rng() * N_CATEGORIES)),
        lastCategory: Int32Array.from({ length: users }, () => Math.floor(rng() * N_CATEGORIES)),
        recent: new Int32Array(users * HISTORY_ITEMS),
        numeric: Float32Array.from({ length: users * 12 }, () => normal(rng)),
      },
    },
    // two-tower+prior as recommend-eval saves it: every user with a last category and 5 co-purchase items
    hybrid: {
      weights: { warm: { twoTower: 1, sameCategory: 2, coPurchase: 1, priceLevel: 0.5 }, cold: { twoTower: 1 }, chosenOn: { warmQueries: 0, coldQueries: 0, warmObjective: 0, coldObjective: 0 } },
      items: {
        logPopularity: Float32Array.from({ length: N_ITEMS }, () => Math.log1p(Math.floor(rng() * 20))),
        itemPriceZ: Float32Array.from({ length: N_ITEMS }, () => normal(rng)),
        itemCategory: Int32Array.from({ length: N_ITEMS }, (_, i) => i % N_CATEGORIES),
      },
      users: {
        lastCategory: Int32Array.from({ length: users }, () => Math.floor(rng() * N_CATEGORIES)),
        priceLevel: Float32Array.from({ length: users }, () => normal(rng)),
        coOffsets: Int32Array.from({ length: users + 1 }, (_, u) => 5 * u),
        coItems: Int32Array.from({ length: 5 * users }, () => Math.floor(rng() * N_ITEMS)),
        coValues: Float32Array.from({ length: 5 * users }, () => Math.log1p(1 + Math.floor(rng() * 3))),
      },
    },
  };
  const lookup = new Map(saved.users.ids.map((id, i) => [id, i]));
  for (let i = 0; i < 50; i++) recommendForUser(saved, `user${i}`, 10, lookup);
  const times: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const id = `user${Math.floor(rng() * users)}`;
    const t0 = performance.now();
    recommendForUser(saved, id, 10, lookup);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(0.5 * times.length)]!, p99: times[Math.floor(0.99 * times.length)]!, lookups: times.length };
}

const backend = await initTensorflow();
console.log(`Two-tower training step (batch 512, towers 36/56 -> 128 -> 64, ${N_ITEMS.toLocaleString("en-US")} item ids, in-batch softmax with log-q, Adam), ${STEPS} steps after ${WARMUP} warm-up, synthetic Zipf data:`);
const engines = [await onnxProducts().catch(() => null), tfjsProducts()].filter((e): e is MatrixProducts => e !== null);
const label = (e: MatrixProducts): string => (e.engine === "onnxruntime" ? "ONNX Runtime Gemm" : `tfjs-${backend} matMul`);
const runs = [];
for (const engine of engines) {
  const r = await training(engine);
  runs.push({ engine, ...r });
  console.log(`  ours, products on ${label(engine).padEnd(20)} lazy Adam, 1 thread ${r.stepsPerSecond.toFixed(1).padStart(7)} steps/s  ${(r.stepsPerSecond * 512).toFixed(0).padStart(7)} samples/s  loss ${r.lossFirst.toFixed(3)} -> ${r.lossLast.toFixed(3)}${engine === engines[0] ? "   (what training uses)" : ""}`);
}
const peers: { label: string; options: Parameters<typeof runTorchPeer>[0]; target: boolean }[] = [
  { label: "dense Adam, 1 thread ", options: { threads: 1 }, target: false },
  { label: "dense Adam, 2 threads", options: { threads: 2 }, target: false },
  { label: "lazy Adam,  1 thread ", options: { threads: 1, lazyEmbeddings: true }, target: true },
];
for (const peer of peers) {
  const r = runTorchPeer({ nItems: N_ITEMS, steps: STEPS, warmup: WARMUP, logq: true, ...peer.options });
  if ("unavailable" in r) {
    console.log(`  PyTorch: not run (${r.unavailable}); \`bash scripts/bench/install-peers.sh\` installs Debian's python3-torch`);
    break;
  }
  console.log(
    `  PyTorch ${r.torchVersion}, ${peer.label} ${r.stepsPerSecond.toFixed(1).padStart(7)} steps/s  ${r.samplesPerSecond.toFixed(0).padStart(7)} samples/s  loss ${r.lossFirst.toFixed(3)} -> ${r.lossLast.toFixed(3)}   ours/PyTorch = ${runs.map((o) => `${(o.stepsPerSecond / r.stepsPerSecond).toFixed(2)}x (${o.engine.engine})`).join(", ")}${peer.target ? "   like for like; target >= 0.7x" : ""}`,
  );
}
console.log(`  ("dense Adam": PyTorch's usual nn.Embedding + Adam, every embedding row updated each step; "lazy Adam": sparse embedding gradients + SparseAdam, only the batch's rows move, the update rule our model uses: the like-for-like peer)`);
for (const engine of engines) {
  const gflops = await productThroughput(engine);
  console.log(`  matrix products of the step's shapes on ${label(engine)}: ${gflops.toFixed(1)} GFLOP/s (1 thread); the step's ${(STEP_FLOP / 1e6).toFixed(0)} MFLOP of products take ${(STEP_FLOP / gflops / 1e6).toFixed(2)} ms`);
}
const probe = spawnSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, "bench", "wasm-threads-probe.ts"), "2"], { encoding: "utf8", timeout: 60_000 });
const threaded = (() => {
  try {
    return JSON.parse(probe.stdout.trim().split("\n").pop() ?? "") as { ok: boolean; threads?: number; matmulMs?: number; error?: string };
  } catch {
    return { ok: false, error: `probe printed no result (exit ${probe.status}): ${probe.stderr.trim().split("\n").pop() ?? ""}` };
  }
})();
console.log(
  threaded.ok
    ? `  tfjs-backend-wasm threaded SIMD build under Node (WASM_HAS_MULTITHREAD_SUPPORT forced): runs, ${threaded.threads} threads, 512x512 matmul ${threaded.matmulMs!.toFixed(2)} ms`
    : `  tfjs-backend-wasm threaded SIMD build under Node (WASM_HAS_MULTITHREAD_SUPPORT forced): does not start: ${threaded.error}`,
);
const processedDir = process.argv[2];
if (processedDir) {
  const dataset = buildDataset(await recommendInputFromProcessed(processedDir));
  const split = temporalFullSplit(dataset);
  const epochs = 2;
  const fitted = await fitTwoTower(dataset, split, resolveTwoTowerConfig({ epochs }), "1");
  const last = fitted.model.history[epochs - 1]!;
  console.log(`  on the generated sample (temporal-full training split, ${split.train.length.toLocaleString("en-US")} interactions, default config): ${Math.round(last.samples / last.seconds).toLocaleString("en-US")} samples/s in epoch ${epochs} (features, embedding gathers and Adam included)`);
}
const latency = retrievalLatency();
console.log(`Top-10 retrieval for one user over ${N_ITEMS.toLocaleString("en-US")} products (user tower + exact scan + top-k, plain JS), ${latency.lookups} lookups: p50 ${latency.p50.toFixed(2)} ms, p99 ${latency.p99.toFixed(2)} ms (target p99 < 10 ms)`);
