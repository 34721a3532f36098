/**
 * The two-tower training step's loss and gradients, written out by hand: the matrix products run on
 * the engine of matrix-products.ts (ONNX Runtime's Gemm, or TensorFlow.js), everything elementwise
 * (bias, ReLU, L2 norm, the in-batch softmax) in fused JS loops. Autodiff through tf ops made one pass over the 512 x 512
 * logits per op and per gradient op, and a tape of ~60 tensors a step: 2x the time of the products.
 *
 * Per tower:  Z = X·W1 + b1,  H = relu(Z),  O = H·W2 + b2,  E = O / |O|  (row-wise L2)
 * Loss:       L_ij = E_u,i · E_i,j / τ − logq_j (masked: −∞ where row j bought row i's item, j ≠ i)
 *             loss = mean_i (logsumexp_j L_ij − L_ii)
 * Gradients:  G = (softmax(L) − I) / n;  dE_u = G·E_i / τ;  dE_i = Gᵀ·E_u / τ
 *             dO = (dE − E·rowsum(dE ⊙ E)) / |O|;  dW2 = Hᵀ·dO;  dH = dO·W2ᵀ;  dZ = dH ⊙ [Z > 0]
 *             dW1 = Xᵀ·dZ;  dX = dZ·W1ᵀ  (and the biases' gradients are column sums).
 */
import type { MatrixProduct } from "./matrix-products.js";

export interface TowerWeights {
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  b2: Float32Array;
}

export interface TowerGradients {
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  b2: Float32Array;
  /** Gradient of the loss with respect to the tower's input rows (n x input width). */
  input: Float32Array;
}

export interface StepGradients {
  loss: number;
  user: TowerGradients;
  item: TowerGradients;
}

export interface BatchLoss {
  temperature: number;
  /** Item index of each row: another row with the same item is not a negative (accidental hit), when `removeAccidentalHits`. */
  items: Int32Array;
  removeAccidentalHits: boolean;
  /** log q of each row's item, subtracted from its logit column (log-q correction); none without it. */
  logQ?: Float32Array;
}

/**
 * Turns the n x n logits into G = (softmax − I) / n · scale, in place, and returns the mean loss
 * (logsumexp of each row minus its diagonal); `hits`: the columns masked out of each row.
 * A function of its own (not inside the async step) so that V8 optimises its loops.
 */
function softmaxGradientInPlace(g: Float32Array, n: number, hits: Map<number, number[]> | null, scale: number): number {
  let loss = 0;
  for (let r = 0; r < n; r++) {
    const row = r * n;
    const masked = hits?.get(r);
    if (masked) for (const c of masked) g[row + c] = -Infinity;
    let max = -Infinity;
    for (let c = 0; c < n; c++) if (g[row + c]! > max) max = g[row + c]!;
    const positive = g[row + r]!;
    let sum = 0;
    for (let c = 0; c < n; c++) {
      const e = expNonPositive(g[row + c]! - max);
      g[row + c] = e;
      sum += e;
    }
    loss += Math.log(sum) + max - positive;
    const factor = scale / (sum * n);
    for (let c = 0; c < n; c++) g[row + c]! *= factor;
    g[row + r]! -= scale / n;
  }
  return loss / n;
}

/** For each row, the other rows of the batch with the same item (accidental hits), for the rows that have any. */
function accidentalHits(items: Int32Array): Map<number, number[]> {
  const rowsOf = new Map<number, number[]>();
  items.forEach((item, r) => {
    const list = rowsOf.get(item);
    if (list) list.push(r);
    else rowsOf.set(item, [r]);
  });
  const hits = new Map<number, number[]>();
  for (const list of rowsOf.values()) {
    if (list.length > 1) for (const r of list) hits.set(r, list.filter((c) => c !== r));
  }
  return hits;
}

interface TowerForward {
  x: Float32Array;
  width: number;
  /** The hidden layer, relu(x·W1 + b1) (n x hidden); h > 0 exactly where the pre-activation is. */
  h: Float32Array;
  /** L2-normalised output (n x dim). */
  e: Float32Array;
  /** Row norms of the output before normalisation. */
  norms: Float64Array;
}

async function forward(product: MatrixProduct, x: Float32Array, n: number, width: number, w: TowerWeights): Promise<TowerForward> {
  const hidden = w.b1.length;
  const dim = w.b2.length;
  const h = await product(x, n, width, false, w.w1, width, hidden, false, { bias: w.b1, relu: true });
  const e = await product(h, n, hidden, false, w.w2, hidden, dim, false, { bias: w.b2 });
  const norms = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let sq = 0;
    for (let j = 0; j < dim; j++) sq += e[r * dim + j]! ** 2;
    const norm = Math.sqrt(sq + 1e-12);
    norms[r] = norm;
    for (let j = 0; j < dim; j++) e[r * dim + j]! /= norm;
  }
  return { x, width, h, e, norms };
}

async function backward(product: MatrixProduct, f: TowerForward, dE: Float32Array, n: number, w: TowerWeights): Promise<TowerGradients> {
  const hidden = w.b1.length;
  const dim = w.b2.length;
  const dO = new Float32Array(n * dim);
  for (let r = 0; r < n; r++) {
    let dot = 0;
    for (let j = 0; j < dim; j++) dot += dE[r * dim + j]! * f.e[r * dim + j]!;
    const inv = 1 / f.norms[r]!;
    for (let j = 0; j < dim; j++) dO[r * dim + j] = (dE[r * dim + j]! - f.e[r * dim + j]! * dot) * inv;
  }
  const w2 = await product(f.h, n, hidden, true, dO, n, dim, false);
  const dZ = await product(dO, n, dim, false, w.w2, hidden, dim, true);
  for (let i = 0; i < dZ.length; i++) if (!(f.h[i]! > 0)) dZ[i] = 0;
  const w1 = await product(f.x, n, f.width, true, dZ, n, hidden, false);
  const input = await product(dZ, n, hidden, false, w.w1, f.width, hidden, true);
  return { w1, b1: columnSums(dZ, n, hidden), w2, b2: columnSums(dO, n, dim), input };
}

const POW2_NEGATIVE = Float64Array.from({ length: 1100 }, (_, k) => 2 ** -k);

/**
 * exp(x) for x <= 0 (a logit minus its row's maximum), within 2e-8 relative of Math.exp and ~2x
 * faster (the softmax takes one per logit, 262,144 a step): x = −m·ln 2 + r with |r| <= ln 2 / 2,
 * exp(r) by its Taylor series to r⁷, 2^−m from a table. -Infinity (a masked logit) gives 0.
 */
export function expNonPositive(x: number): number {
  if (!(x > -745)) return 0;
  const m = (-x * Math.LOG2E + 0.5) | 0;
  const r = x + m * Math.LN2;
  return (1 + r * (1 + r * (1 / 2 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r / 5040))))))) * POW2_NEGATIVE[m]!;
}

function columnSums(a: Float32Array, rows: number, cols: number): Float32Array {
  const sums = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) sums[c]! += a[r * cols + c]!;
  return Float32Array.from(sums);
}

/**
 * The batch's mean in-batch softmax loss and the gradients of every dense weight and of both towers'
 * input rows. `xu` / `xi`: n rows of the user / item tower's input.
 */
export async function stepGradients(product: MatrixProduct, xu: Float32Array, xi: Float32Array, n: number, user: TowerWeights, item: TowerWeights, batch: BatchLoss): Promise<StepGradients> {
  const fu = await forward(product, xu, n, xu.length / n, user);
  const fi = await forward(product, xi, n, xi.length / n, item);
  const dim = user.b2.length;
  const scale = 1 / batch.temperature;
  // logits, then in place: G = (softmax − I) / n, already scaled by 1/τ for the products below
  const g = await product(fu.e, n, dim, false, fi.e, n, dim, true, { alpha: scale, bias: batch.logQ ? Float32Array.from(batch.logQ, (q) => -q) : undefined });
  const loss = softmaxGradientInPlace(g, n, batch.removeAccidentalHits ? accidentalHits(batch.items) : null, scale);
  const dEu = await product(g, n, n, false, fi.e, n, dim, false);
  const dEi = await product(g, n, n, true, fu.e, n, dim, false);
  return { loss, user: await backward(product, fu, dEu, n, user), item: await backward(product, fi, dEi, n, item) };
}
