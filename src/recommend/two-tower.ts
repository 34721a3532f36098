import seedrandom from "seedrandom";
import { shuffleInPlace } from "./shuffle.js";
import { tf } from "./tf-runtime.js";
import { stepGradients } from "./step-gradients.js";
import { matrixProducts, type MatrixProduct } from "./matrix-products.js";
import type { TwoTowerConfig } from "./config.js";
import type { EncodedItems, EncodedUsers, Encoders } from "./encoders.js";
import { itemInputs, recentCount, userInputs } from "./tower-inputs.js";
import { NO_CATEGORY } from "./features.js";

/**
 * The two-tower network: user tower [state emb | favourite-category emb | last-category emb | mean of the
 * recent products' item-id embeddings (the item tower's table) | numeric] -> dense(hidden, relu)
 * -> dense(embeddingDim) -> L2 norm; item tower [item-id emb | category emb | numeric] -> the same.
 * Score = cosine similarity; training maximises the softmax likelihood of each row's item against
 * the other items in the batch (in-batch negatives), logits = cosine / temperature.
 *
 * Parameters live in plain Float32Arrays (the learned state, serialisable); each step gathers the
 * embedding rows in JS, computes the loss and its gradients by hand (step-gradients.ts: the matrix
 * products on TensorFlow.js, the rest in JS), and applies Adam in JS: dense Adam for the dense
 * layers, lazy Adam (rows in the batch only, global step for the bias correction) for the embedding tables.
 */
export const PARAM_NAMES = [
  "stateEmbedding",
  "userCategoryEmbedding",
  "userLastCategoryEmbedding",
  "itemIdEmbedding",
  "itemCategoryEmbedding",
  "userW1",
  "userB1",
  "userW2",
  "userB2",
  "itemW1",
  "itemB1",
  "itemW2",
  "itemB2",
] as const;
export type ParamName = (typeof PARAM_NAMES)[number];

export interface Param {
  shape: [number, number] | [number];
  data: Float32Array;
}
export type TwoTowerParams = Record<ParamName, Param>;

export interface EpochStats {
  epoch: number;
  loss: number;
  samples: number;
  seconds: number;
  /** The validation score after this epoch (higher is better), when training is validated. */
  validation?: number;
}

export interface TwoTowerModel {
  config: TwoTowerConfig;
  encoders: Encoders;
  params: TwoTowerParams;
  /** Mean training loss per epoch (every epoch run, also those after the kept one). */
  history: EpochStats[];
  seed: string;
  /** The epoch whose parameters were kept: the best validation score, or the last epoch without validation. */
  epochsUsed: number;
}

export interface TrainingRows {
  users: EncodedUsers;
  /** Catalogue item index of each row. */
  items: Int32Array;
  /** 1 where the row's customer had bought before this purchase (what historyOversample repeats); else rows with a last category. */
  returning?: Uint8Array;
}

export interface TrainCallbacks {
  onBatch?: (info: { epoch: number; batch: number; batches: number; loss: number }) => void;
  onEpoch?: (stats: EpochStats) => void;
  /**
   * Early stopping: scores the parameters after each epoch on validation data (higher is better);
   * training stops after `config.patience` epochs without a better score and keeps the best epoch's
   * parameters. Without it every epoch runs and the last parameters are kept.
   */
  validate?: (params: TwoTowerParams, epoch: number) => number;
}

export function paramShapes(config: TwoTowerConfig, encoders: Encoders): Record<ParamName, [number, number] | [number]> {
  const userIn = config.stateDim + 2 * config.categoryDim + config.itemIdDim + encoders.userNumericFeatures.length;
  const itemIn = config.itemIdDim + config.categoryDim + encoders.itemNumericFeatures.length;
  const h = config.hiddenUnits;
  const d = config.embeddingDim;
  return {
    stateEmbedding: [encoders.states.length, config.stateDim],
    userCategoryEmbedding: [encoders.categories.length, config.categoryDim],
    userLastCategoryEmbedding: [encoders.categories.length, config.categoryDim],
    itemIdEmbedding: [encoders.itemIds.length, config.itemIdDim],
    itemCategoryEmbedding: [encoders.categories.length, config.categoryDim],
    userW1: [userIn, h],
    userB1: [h],
    userW2: [h, d],
    userB2: [d],
    itemW1: [itemIn, h],
    itemB1: [h],
    itemW2: [h, d],
    itemB2: [d],
  };
}

/** Glorot-uniform dense weights, zero biases, U(-0.05, 0.05) embeddings (Keras' defaults); row 0 of the item-id table (unseen items) is zero. */
export function initParams(config: TwoTowerConfig, encoders: Encoders, seed: string): TwoTowerParams {
  const rng = seedrandom(`${seed}/init`);
  const shapes = paramShapes(config, encoders);
  const params = {} as TwoTowerParams;
  for (const name of PARAM_NAMES) {
    const shape = shapes[name];
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (name.endsWith("Embedding")) {
      for (let i = 0; i < data.length; i++) data[i] = (rng() * 2 - 1) * 0.05;
      if (name === "itemIdEmbedding") data.fill(0, 0, shape[1]!);
    } else if (shape.length === 2) {
      const limit = Math.sqrt(6 / (shape[0] + shape[1]));
      for (let i = 0; i < data.length; i++) data[i] = (rng() * 2 - 1) * limit;
    }
    params[name] = { shape, data };
  }
  return params;
}

function tower(x: tf.Tensor2D, w1: tf.Tensor2D, b1: tf.Tensor1D, w2: tf.Tensor2D, b2: tf.Tensor1D): tf.Tensor2D {
  const hidden = tf.relu(tf.add(tf.matMul(x, w1), b1));
  const out = tf.add(tf.matMul(hidden as tf.Tensor2D, w2), b2) as tf.Tensor2D;
  return tf.div(out, tf.sqrt(tf.add(tf.sum(tf.square(out), 1, true), 1e-12))) as tf.Tensor2D;
}

const t2 = (p: Param): tf.Tensor2D => tf.tensor2d(p.data, p.shape as [number, number]);
const t1 = (p: Param): tf.Tensor1D => tf.tensor1d(p.data);

/** L2-normalised tower outputs for the given input rows, computed in batches; rows x embeddingDim. */
export function towerEmbeddings(params: TwoTowerParams, side: "user" | "item", inputs: Float32Array, rows: number): Float32Array {
  const p = side === "user" ? [params.userW1, params.userB1, params.userW2, params.userB2] : [params.itemW1, params.itemB1, params.itemW2, params.itemB2];
  const width = p[0]!.shape[0];
  const dim = p[2]!.shape[1]!;
  const out = new Float32Array(rows * dim);
  const chunk = 8192;
  tf.tidy(() => {
    const [w1, b1, w2, b2] = [t2(p[0]!), t1(p[1]!), t2(p[2]!), t1(p[3]!)];
    for (let start = 0; start < rows; start += chunk) {
      const n = Math.min(chunk, rows - start);
      const emb = tf.tidy(() => tower(tf.tensor2d(inputs.subarray(start * width, (start + n) * width), [n, width]), w1, b1, w2, b2));
      out.set(emb.dataSync() as Float32Array, start * dim);
      emb.dispose();
    }
  });
  return out;
}

export function userEmbeddings(params: TwoTowerParams, users: EncodedUsers): Float32Array {
  return towerEmbeddings(params, "user", userInputs(params, users, range(users.length)), users.length);
}

export function itemEmbeddings(params: TwoTowerParams, items: EncodedItems): Float32Array {
  return towerEmbeddings(params, "item", itemInputs(params, items, range(items.length)), items.length);
}

export function range(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

interface AdamMoments {
  m: Float32Array;
  v: Float32Array;
}

const YIELD_EVERY_BATCHES = 8;

/** Lets pending I/O and timers run between synchronous stretches of work. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const DENSE: ParamName[] = ["userW1", "userB1", "userW2", "userB2", "itemW1", "itemB1", "itemW2", "itemB2"];

/**
 * Trains with in-batch softmax: each epoch shuffles the rows with `seed`, cuts batches of
 * `config.batchSize` (a last batch of one row is dropped: it has no negative), and takes one Adam
 * step per batch. Same seed, rows and config give the same parameters (the wasm backend runs on
 * one thread). It gives the event loop a turn every few batches, so a kernel, a progress display or
 * a Ctrl-C handler stays responsive during a long fit.
 */
export async function trainTwoTower(config: TwoTowerConfig, encoders: Encoders, rows: TrainingRows, items: EncodedItems, seed: string, callbacks: TrainCallbacks = {}): Promise<TwoTowerModel> {
  if (rows.items.length < 2) throw new Error("two-tower: need at least two training rows");
  const params = initParams(config, encoders, seed);
  const moments = Object.fromEntries(PARAM_NAMES.map((n) => [n, { m: new Float32Array(params[n].data.length), v: new Float32Array(params[n].data.length) }])) as Record<ParamName, AdamMoments>;
  const logQ = config.logQCorrection ? itemLogFrequency(rows.items, items.length) : undefined;
  const rng = seedrandom(`${seed}/batches`);
  const order = epochRows(rows, encoders, config.historyOversample);
  const { product } = await matrixProducts();
  const history: EpochStats[] = [];
  let step = 0;
  let best = { score: -Infinity, epoch: 0, params: null as TwoTowerParams | null };
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    const started = performance.now();
    shuffleInPlace(order, rng);
    const batches = Math.ceil(order.length / config.batchSize);
    let lossSum = 0;
    let samples = 0;
    for (let b = 0; b < batches; b++) {
      const batch = order.subarray(b * config.batchSize, Math.min(order.length, (b + 1) * config.batchSize));
      if (batch.length < 2) continue;
      step += 1;
      const loss = await trainStep(product, config, params, moments, step, rows, items, batch, logQ);
      lossSum += loss * batch.length;
      samples += batch.length;
      callbacks.onBatch?.({ epoch, batch: b + 1, batches, loss });
      if (b % YIELD_EVERY_BATCHES === 0) await yieldToEventLoop();
    }
    const stats: EpochStats = { epoch, loss: lossSum / samples, samples, seconds: (performance.now() - started) / 1000 };
    if (callbacks.validate) {
      stats.validation = callbacks.validate(params, epoch);
      if (stats.validation > best.score) best = { score: stats.validation, epoch, params: copyParams(params) };
    }
    history.push(stats);
    callbacks.onEpoch?.(stats);
    if (callbacks.validate && epoch - best.epoch >= config.patience) break;
  }
  if (best.params) return { config, encoders, params: best.params, history, seed, epochsUsed: best.epoch };
  return { config, encoders, params, history, seed, epochsUsed: history.length };
}

function copyParams(params: TwoTowerParams): TwoTowerParams {
  return Object.fromEntries(PARAM_NAMES.map((n) => [n, { shape: params[n].shape, data: params[n].data.slice() }])) as TwoTowerParams;
}

/**
 * The row indices of one epoch: every row once, and the rows of returning customers (`rows.returning`,
 * else rows with a last category) `historyOversample` times in all. About 97% of purchases are first
 * purchases, so without it the loss hardly sees the history inputs.
 */
export function epochRows(rows: TrainingRows, encoders: Encoders, historyOversample: number): Int32Array {
  const none = encoders.categories.indexOf(NO_CATEGORY);
  const out: number[] = [];
  for (let r = 0; r < rows.items.length; r++) {
    const returning = rows.returning ? rows.returning[r] === 1 : rows.users.lastCategory[r] !== none;
    const copies = returning ? historyOversample : 1;
    for (let c = 0; c < copies; c++) out.push(r);
  }
  return Int32Array.from(out);
}

function itemLogFrequency(rowItems: Int32Array, nItems: number): Float32Array {
  const counts = new Float64Array(nItems);
  for (const item of rowItems) counts[item]! += 1;
  return Float32Array.from(counts, (c) => (c > 0 ? Math.log(c / rowItems.length) : 0));
}

/** One Adam step on one batch, its matrix products by `product`; returns the batch's mean loss. */
export async function trainStep(
  product: MatrixProduct,
  config: TwoTowerConfig,
  params: TwoTowerParams,
  moments: Record<ParamName, AdamMoments>,
  step: number,
  rows: TrainingRows,
  items: EncodedItems,
  batch: Int32Array,
  logQ?: Float32Array,
): Promise<number> {
  const n = batch.length;
  const batchItems = Int32Array.from(batch, (r) => rows.items[r]!);
  const xu = userInputs(params, rows.users, batch);
  const xi = itemInputs(params, items, batchItems);
  const userWidth = xu.length / n;
  const itemWidth = xi.length / n;
  const { loss, user, item } = await stepGradients(
    product,
    xu,
    xi,
    n,
    { w1: params.userW1.data, b1: params.userB1.data, w2: params.userW2.data, b2: params.userB2.data },
    { w1: params.itemW1.data, b1: params.itemB1.data, w2: params.itemW2.data, b2: params.itemB2.data },
    { temperature: config.temperature, items: batchItems, removeAccidentalHits: config.removeAccidentalHits, logQ: logQ ? Float32Array.from(batchItems, (it) => logQ[it]!) : undefined },
  );
  const denseGrads = [user.w1, user.b1, user.w2, user.b2, item.w1, item.b1, item.w2, item.b2];

  const lr = config.learningRate;
  const bc1 = 1 - config.beta1 ** step;
  const bc2 = 1 - config.beta2 ** step;
  DENSE.forEach((name, k) => adamDense(params[name].data, denseGrads[k]!, moments[name], config, lr, bc1, bc2));
  const [gu, gi] = [user.input, item.input];
  const sd = params.stateEmbedding.shape[1]!;
  const cd = params.userCategoryEmbedding.shape[1]!;
  const id = params.itemIdEmbedding.shape[1]!;
  const users = rows.users;
  lazyAdam(params.stateEmbedding, moments.stateEmbedding, rowGradients(Int32Array.from(batch, (r) => users.state[r]!), gu, userWidth, 0, sd), config, bc1, bc2);
  lazyAdam(params.userCategoryEmbedding, moments.userCategoryEmbedding, rowGradients(Int32Array.from(batch, (r) => users.category[r]!), gu, userWidth, sd, cd), config, bc1, bc2);
  lazyAdam(params.userLastCategoryEmbedding, moments.userLastCategoryEmbedding, rowGradients(Int32Array.from(batch, (r) => users.lastCategory[r]!), gu, userWidth, sd + cd, cd), config, bc1, bc2);
  // the item-id table gets the item tower's gradient and, through the user tower's pooled recent products, a share of the user's
  const idGrads = rowGradients(Int32Array.from(batchItems, (it) => items.id[it]!), gi, itemWidth, 0, id);
  const slots = users.recent.length / Math.max(1, users.length);
  const pooled = sd + 2 * cd;
  for (let b = 0; b < n; b++) {
    const row = batch[b]!;
    const count = recentCount(users.recent, row, slots);
    if (count === 0) continue;
    for (let k = 0; k < slots; k++) {
      const item = users.recent[row * slots + k]!;
      if (item === 0) continue;
      let acc = idGrads.get(item);
      if (!acc) idGrads.set(item, (acc = new Float32Array(id)));
      const base = b * userWidth + pooled;
      for (let j = 0; j < id; j++) acc[j]! += gu[base + j]! / count;
    }
  }
  idGrads.delete(0); // row 0 (unseen items) stays zero
  lazyAdam(params.itemIdEmbedding, moments.itemIdEmbedding, idGrads, config, bc1, bc2);
  lazyAdam(params.itemCategoryEmbedding, moments.itemCategoryEmbedding, rowGradients(Int32Array.from(batchItems, (it) => items.category[it]!), gi, itemWidth, id, cd), config, bc1, bc2);
  return loss;
}

function adamDense(p: Float32Array, g: Float32Array, s: AdamMoments, c: TwoTowerConfig, lr: number, bc1: number, bc2: number): void {
  const { m, v } = s;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i]!;
    const mi = (m[i] = c.beta1 * m[i]! + (1 - c.beta1) * gi);
    const vi = (v[i] = c.beta2 * v[i]! + (1 - c.beta2) * gi * gi);
    p[i]! -= (lr * (mi / bc1)) / (Math.sqrt(vi / bc2) + c.epsilon);
  }
}

/** Sums the gradient of each embedding row over the batch: columns [offset, offset + dim) of the tower input's gradient. */
function rowGradients(rowIds: Int32Array, inputGrad: Float32Array, inputWidth: number, offset: number, dim: number): Map<number, Float32Array> {
  const sums = new Map<number, Float32Array>();
  for (let r = 0; r < rowIds.length; r++) {
    const id = rowIds[r]!;
    let acc = sums.get(id);
    if (!acc) sums.set(id, (acc = new Float32Array(dim)));
    const base = r * inputWidth + offset;
    for (let k = 0; k < dim; k++) acc[k]! += inputGrad[base + k]!;
  }
  return sums;
}

/** Adam on the rows that have a gradient only (lazy Adam; the bias correction uses the global step). */
function lazyAdam(table: Param, s: AdamMoments, sums: Map<number, Float32Array>, c: TwoTowerConfig, bc1: number, bc2: number): void {
  const dim = table.shape[1]!;
  const { m, v } = s;
  const p = table.data;
  for (const [id, g] of sums) {
    const base = id * dim;
    for (let k = 0; k < dim; k++) {
      const i = base + k;
      const gi = g[k]!;
      const mi = (m[i] = c.beta1 * m[i]! + (1 - c.beta1) * gi);
      const vi = (v[i] = c.beta2 * v[i]! + (1 - c.beta2) * gi * gi);
      p[i]! -= (c.learningRate * (mi / bc1)) / (Math.sqrt(vi / bc2) + c.epsilon);
    }
  }
}
