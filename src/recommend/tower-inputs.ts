/**
 * The towers' input matrices, built in plain JS from the parameters' embedding tables (no
 * TensorFlow.js here, so serving a saved model does not load it).
 */
import type { EncodedItems, EncodedUsers } from "./encoders.js";
import type { Param, TwoTowerParams } from "./two-tower.js";

/** [first table's row | second table's row | numeric features] for each of `rows`: a tower's input matrix. */
function towerInput(first: Param, firstIds: Int32Array, second: Param, secondIds: Int32Array, numeric: Float32Array, count: number, rows: ArrayLike<number>): Float32Array {
  const d1 = first.shape[1]!;
  const d2 = second.shape[1]!;
  const nd = numeric.length / Math.max(1, count);
  const width = d1 + d2 + nd;
  const out = new Float32Array(rows.length * width);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const o = r * width;
    out.set(first.data.subarray(firstIds[row]! * d1, (firstIds[row]! + 1) * d1), o);
    out.set(second.data.subarray(secondIds[row]! * d2, (secondIds[row]! + 1) * d2), o + d1);
    out.set(numeric.subarray(row * nd, (row + 1) * nd), o + d1 + d2);
  }
  return out;
}

/**
 * The user tower's input for the given rows: state embedding, favourite-category embedding,
 * last-category embedding, the mean of the recent products' item-id embeddings (zeros without any;
 * empty slots and unseen products, id 0, are left out of the mean), numeric features.
 */
export function userInputs(params: TwoTowerParams, users: EncodedUsers, rows: ArrayLike<number>): Float32Array {
  const sd = params.stateEmbedding.shape[1]!;
  const cd = params.userCategoryEmbedding.shape[1]!;
  const id = params.itemIdEmbedding.shape[1]!;
  const nd = users.numeric.length / Math.max(1, users.length);
  const slots = users.recent.length / Math.max(1, users.length);
  const width = sd + 2 * cd + id + nd;
  const out = new Float32Array(rows.length * width);
  const table = params.itemIdEmbedding.data;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const o = r * width;
    out.set(params.stateEmbedding.data.subarray(users.state[row]! * sd, (users.state[row]! + 1) * sd), o);
    out.set(params.userCategoryEmbedding.data.subarray(users.category[row]! * cd, (users.category[row]! + 1) * cd), o + sd);
    out.set(params.userLastCategoryEmbedding.data.subarray(users.lastCategory[row]! * cd, (users.lastCategory[row]! + 1) * cd), o + sd + cd);
    const pooled = o + sd + 2 * cd;
    const count = recentCount(users.recent, row, slots);
    if (count > 0) {
      for (let k = 0; k < slots; k++) {
        const item = users.recent[row * slots + k]!;
        if (item === 0) continue;
        for (let j = 0; j < id; j++) out[pooled + j]! += table[item * id + j]! / count;
      }
    }
    out.set(users.numeric.subarray(row * nd, (row + 1) * nd), pooled + id);
  }
  return out;
}

/** Number of non-empty (known product) slots of a user row's recent products. */
export function recentCount(recent: Int32Array, row: number, slots: number): number {
  let count = 0;
  for (let k = 0; k < slots; k++) if (recent[row * slots + k]! !== 0) count++;
  return count;
}

/** The item tower's input for the given rows: item-id embedding, category embedding, numeric features. */
export function itemInputs(params: TwoTowerParams, items: EncodedItems, rows: ArrayLike<number>): Float32Array {
  return towerInput(params.itemIdEmbedding, items.id, params.itemCategoryEmbedding, items.category, items.numeric, items.length, rows);
}
