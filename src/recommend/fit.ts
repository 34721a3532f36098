import { encodeItems, encodeUsers, fitEncoders, type EncodedItems, type Encoders, type UserFeatureChunks } from "./encoders.js";
import { itemFeaturesFrom, userFeaturesBefore, type ItemFeatures, type UserFeatures } from "./features.js";
import { itemEmbeddings, trainTwoTower, userEmbeddings, type TrainCallbacks, type TrainingRows, type TwoTowerModel } from "./two-tower.js";
import { tf } from "./tf-runtime.js";
import { ordersBefore } from "./dataset.js";
import { buildPriors, chooseHybridWeights, hybridScorer, PRIOR_ONLY_WEIGHTS, type HybridWeights, type Priors } from "./hybrid.js";
import { carveValidation, validationScore, type ValidationCarve } from "./validation.js";
import type { TwoTowerConfig } from "./config.js";
import type { Dataset, EvalQuery, ProtocolSplit, Scorer } from "./types.js";

/** A two-tower model fitted on one protocol's training interactions, with the catalogue embedded. */
export interface FittedTwoTower {
  model: TwoTowerModel;
  itemFeatures: ItemFeatures;
  items: EncodedItems;
  /** items.length x embeddingDim, L2-normalised. */
  itemEmbeddings: Float32Array;
  /** Reference time for recency in the whole-history view: the last purchase in the data. */
  dataEnd: number;
  /** two-tower+prior's blend weights, chosen on the validation window. */
  hybrid: HybridWeights;
  /** Validation queries carved from the end of the training period (early stopping and blend weights). */
  validationQueries: number;
}

export function dataEnd(dataset: Dataset): number {
  return dataset.orderTime.length > 0 ? dataset.orderTime[dataset.orderTime.length - 1]! : 0;
}

/** User features of each training interaction: as of just before it, or over the whole history (the leaky view). */
export function trainingUserFeatures(dataset: Dataset, split: ProtocolSplit): UserFeatures[] {
  const chunks = trainingUserFeatureChunks(dataset, split);
  return chunks.features(0, chunks.length);
}

/** trainingUserFeatures made a chunk at a time (see UserFeatureChunks). */
export function trainingUserFeatureChunks(dataset: Dataset, split: Pick<ProtocolSplit, "train" | "userFeatureView">): UserFeatureChunks {
  const end = dataEnd(dataset);
  const { user, time } = dataset.interactions;
  const asOf = (i: number): number => (split.userFeatureView === "point-in-time" ? time[i]! : Infinity);
  return { length: split.train.length, features: (from, to) => Array.from(split.train.subarray(from, to), (i) => userFeaturesBefore(dataset, user[i]!, asOf(i), end)) };
}

/**
 * Fits on the split's training rows minus a validation window carved from the end of the training
 * period (see carveValidation): early stopping on the validation MRR keeps the best epoch, then the
 * two-tower+prior blend weights are chosen on the same window. The test queries are never read.
 */
export async function fitTwoTower(dataset: Dataset, split: ProtocolSplit, config: TwoTowerConfig, seed: string, callbacks: TrainCallbacks = {}): Promise<FittedTwoTower> {
  return fitPrepared(dataset, prepareSplit(dataset, split, config), config, seed, callbacks);
}

/**
 * Everything a fit needs that does not depend on the seed (validation carve, features, encoders,
 * encoded rows, priors): computed once per split and config, and reused by every seed's fitPrepared
 * (TrainingPool keeps one per split in each worker).
 */
export interface PreparedSplit {
  carve: ValidationCarve;
  itemFeatures: ItemFeatures;
  encoders: Encoders;
  items: EncodedItems;
  rows: TrainingRows;
  dataEnd: number;
  /** Priors from the fit rows (the validation window excluded): what the blend weights are chosen with. */
  priors: Priors;
  /** Priors from the split's full training rows: what two-tower+prior scores the test queries with. */
  splitPriors: Priors;
}

export function prepareSplit(dataset: Dataset, split: ProtocolSplit, config: TwoTowerConfig): PreparedSplit {
  const carve = carveValidation(dataset, split, { fraction: config.validationFraction });
  const fitSplit: ProtocolSplit = { ...split, train: carve.fit, queries: carve.queries };
  const trainUsers = trainingUserFeatureChunks(dataset, fitSplit);
  const itemFeatures = itemFeaturesFrom(dataset, carve.fit);
  const encoders: Encoders = fitEncoders(dataset, trainUsers, itemFeatures);
  const items = encodeItems(encoders, dataset, itemFeatures);
  const { user, time } = dataset.interactions;
  const rows: TrainingRows = {
    users: encodeUsers(encoders, trainUsers, dataset),
    items: Int32Array.from(carve.fit, (i) => dataset.interactions.item[i]!),
    // a property of the purchase, not of the features' view: the leaky view gives every row "history"
    returning: Uint8Array.from(carve.fit, (i) => (ordersBefore(dataset, user[i]!, time[i]!) > 0 ? 1 : 0)),
  };
  return { carve, itemFeatures, encoders, items, rows, dataEnd: dataEnd(dataset), priors: buildPriors(dataset, carve.fit), splitPriors: buildPriors(dataset, split.train) };
}

/** Trains one seed on a prepared split (early stopping and blend weights on its validation window). */
export async function fitPrepared(dataset: Dataset, prepared: PreparedSplit, config: TwoTowerConfig, seed: string, callbacks: TrainCallbacks = {}): Promise<FittedTwoTower> {
  const { carve, itemFeatures, encoders, items, rows, dataEnd: end, priors } = prepared;
  const asFitted = (model: TwoTowerModel): FittedTwoTower => ({
    model,
    itemFeatures,
    items,
    itemEmbeddings: itemEmbeddings(model.params, items),
    dataEnd: end,
    hybrid: PRIOR_ONLY_WEIGHTS,
    validationQueries: carve.queries.length,
  });
  const stopping = carve.queries; // carveValidation already caps them at 1500
  const validate =
    stopping.length > 0
      ? (params: TwoTowerModel["params"]) =>
          validationScore(twoTowerScorer(asFitted({ config, encoders, params, history: [], seed, epochsUsed: 0 }), dataset), stopping, dataset.items.length).mrr
      : undefined;
  const model = await trainTwoTower(config, encoders, rows, items, seed, { ...callbacks, validate });
  const fitted = asFitted(model);
  if (carve.queries.length > 0) {
    fitted.hybrid = chooseHybridWeights(dataset, priors, twoTowerScorer(fitted, dataset), config.temperature, carve.queries);
  }
  return fitted;
}

/** two-tower+prior at test time: the fitted model's logits blended with priors from the split's full training rows. */
export function hybridTwoTowerScorer(fitted: FittedTwoTower, dataset: Dataset, split: ProtocolSplit): Scorer {
  return hybridScorer(dataset, buildPriors(dataset, split.train), twoTowerScorer(fitted, dataset), fitted.model.config.temperature, fitted.hybrid);
}

/**
 * At most this many full-catalogue score vectors kept for user embeddings that repeat (users without
 * history have the same features when they share a state, so the same embedding and scores).
 */
const MAX_SHARED_EMBEDDINGS = 64;
/** Embeddings remembered as met once (to keep one met again); forgotten all at once beyond this many. */
const MAX_MET_EMBEDDINGS = 20_000;
/** Scores computed by one matrix product of the two-tower scorer (32 MB of float32). */
const SCORES_PER_PRODUCT = 8_000_000;

/**
 * Scores queries by cosine similarity of the user's embedding (features as of `knownBefore`) and each item's.
 * Full-catalogue queries whose user embeddings are equal get one shared score vector, computed once
 * (cold-start users: one per state), which the ranking metrics then rank once; see `Scorer`.
 */
export function twoTowerScorer(fitted: FittedTwoTower, dataset: Dataset): Scorer {
  const dim = fitted.model.config.embeddingDim;
  const nItems = fitted.items.length;
  const itemsByColumn = transposed(fitted.itemEmbeddings, nItems, dim); // dim x items, once per scorer
  const shared = new Map<string, Float32Array>();
  // embeddings met in earlier batches (a bounded set): one met again is worth keeping
  let met = new Set<string>();
  const keyOf = (users: Float32Array, k: number): string => Buffer.from(users.buffer, users.byteOffset + k * dim * 4, dim * 4).toString("latin1");
  return {
    name: "two-tower",
    scoreBatch(queries: readonly EvalQuery[]): Float32Array[] {
      const features = queries.map((q) => userFeaturesBefore(dataset, q.user, q.knownBefore, fitted.dataEnd));
      const users = userEmbeddings(fitted.model.params, encodeUsers(fitted.model.encoders, features, dataset));
      const out: Float32Array[] = new Array(queries.length);
      // full-catalogue rows to compute: one per distinct embedding not kept from an earlier batch
      const keys = new Map<string, number[]>();
      queries.forEach((q, k) => {
        if (q.candidates !== null) return;
        const key = keyOf(users, k);
        const kept = shared.get(key);
        if (kept !== undefined) out[k] = kept;
        else {
          const same = keys.get(key);
          if (same === undefined) keys.set(key, [k]);
          else same.push(k);
        }
      });
      if (keys.size > 0) {
        const toCompute = [...keys];
        // in chunks of rows, so that the backend's memory (which a WebAssembly backend never gives back)
        // holds at most SCORES_PER_PRODUCT scores at a time however large the catalogue
        const chunk = Math.max(1, Math.floor(SCORES_PER_PRODUCT / nItems));
        const itemMatrix = tf.tensor2d(itemsByColumn, [dim, nItems]);
        try {
          for (let start = 0; start < toCompute.length; start += chunk) {
            const part = toCompute.slice(start, start + chunk);
            const product = tf.tidy(() => tf.matMul(tf.tensor2d(gatherRows(users, part.map(([, ks]) => ks[0]!), dim), [part.length, dim]), itemMatrix));
            const data = product.dataSync() as Float32Array;
            product.dispose();
            part.forEach(([key, ks], r) => {
              const row = data.subarray(r * nItems, (r + 1) * nItems); // a view, not a copy: nothing downstream writes to it
              for (const k of ks) out[k] = row;
              if ((ks.length > 1 || met.has(key)) && shared.size < MAX_SHARED_EMBEDDINGS) shared.set(key, row.slice());
              else met.add(key);
            });
          }
        } finally {
          itemMatrix.dispose();
        }
        if (met.size > MAX_MET_EMBEDDINGS) met = new Set();
      }
      queries.forEach((q, k) => {
        if (q.candidates === null) return;
        out[k] = dotCandidates(users.subarray(k * dim, (k + 1) * dim), fitted.itemEmbeddings, q.candidates, dim);
      });
      return out;
    },
  };
}

function transposed(matrix: Float32Array, rows: number, columns: number): Float32Array {
  const out = new Float32Array(matrix.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) out[c * rows + r] = matrix[r * columns + c]!;
  return out;
}

function gatherRows(matrix: Float32Array, rows: readonly number[], dim: number): Float32Array {
  const out = new Float32Array(rows.length * dim);
  rows.forEach((r, k) => out.set(matrix.subarray(r * dim, (r + 1) * dim), k * dim));
  return out;
}

/** Dot product of one user embedding with each candidate item's embedding. */
export function dotCandidates(user: Float32Array, items: Float32Array, candidates: ArrayLike<number>, dim: number): Float32Array {
  const out = new Float32Array(candidates.length);
  for (let c = 0; c < candidates.length; c++) {
    const base = candidates[c]! * dim;
    let s = 0;
    for (let k = 0; k < dim; k++) s += user[k]! * items[base + k]!;
    out[c] = s;
  }
  return out;
}
