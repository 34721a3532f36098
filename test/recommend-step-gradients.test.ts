import seedrandom from "seedrandom";
import { beforeAll, describe, expect, it } from "vitest";
import { onnxProducts, tfjsProducts, type MatrixProducts } from "../src/recommend/matrix-products.js";
import { expNonPositive, stepGradients, type TowerWeights } from "../src/recommend/step-gradients.js";
import { initTensorflow, tf } from "../src/recommend/tf-runtime.js";

let engines: MatrixProducts[];
beforeAll(async () => {
  await initTensorflow();
  engines = [tfjsProducts(), await onnxProducts()];
});

function random(rng: () => number, length: number, scale = 1): Float32Array {
  return Float32Array.from({ length }, () => (rng() * 2 - 1) * scale);
}

function weights(rng: () => number, width: number, hidden: number, dim: number): TowerWeights {
  return { w1: random(rng, width * hidden, 0.5), b1: random(rng, hidden, 0.1), w2: random(rng, hidden * dim, 0.5), b2: random(rng, dim, 0.1) };
}

/** The same loss built from plain TensorFlow.js ops, differentiated by tf.grads: the reference. */
function autodiffReference(xu: Float32Array, xi: Float32Array, n: number, user: TowerWeights, item: TowerWeights, items: Int32Array, temperature: number, logQ?: Float32Array) {
  const t2 = (a: Float32Array, rows: number) => tf.tensor2d(a, [rows, a.length / rows]);
  const inputs = [t2(xu, n), t2(xi, n), t2(user.w1, xu.length / n), tf.tensor1d(user.b1), t2(user.w2, user.b1.length), tf.tensor1d(user.b2), t2(item.w1, xi.length / n), tf.tensor1d(item.b1), t2(item.w2, item.b1.length), tf.tensor1d(item.b2)];
  const mask = new Float32Array(n * n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (r !== c && items[r] === items[c]) mask[r * n + c] = -1e9;
  const tower = (x: tf.Tensor, w1: tf.Tensor, b1: tf.Tensor, w2: tf.Tensor, b2: tf.Tensor) => {
    const out = tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x as tf.Tensor2D, w1 as tf.Tensor2D), b1)) as tf.Tensor2D, w2 as tf.Tensor2D), b2);
    return tf.div(out, tf.sqrt(tf.add(tf.sum(tf.square(out), 1, true), 1e-12)));
  };
  const loss = (...t: tf.Tensor[]) => {
    const u = tower(t[0]!, t[2]!, t[3]!, t[4]!, t[5]!);
    const i = tower(t[1]!, t[6]!, t[7]!, t[8]!, t[9]!);
    let logits: tf.Tensor = tf.div(tf.matMul(u as tf.Tensor2D, i as tf.Tensor2D, false, true), temperature);
    if (logQ) logits = tf.sub(logits, tf.tensor2d(logQ, [1, n]));
    const positive = tf.sum(tf.mul(logits, tf.eye(n)), 1);
    return tf.mean(tf.sub(tf.logSumExp(tf.add(logits, tf.tensor2d(mask, [n, n])), 1), positive)) as tf.Scalar;
  };
  const { value, grads } = tf.valueAndGrads(loss)(inputs);
  return { loss: value.dataSync()[0]!, grads: grads.map((g) => g.dataSync() as Float32Array) };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe("stepGradients", () => {
  for (const [label, withLogQ, removeAccidentalHits] of [
    ["log-q correction and accidental hits removed", true, true],
    ["plain in-batch softmax", false, false],
  ] as const) {
    it(`matches TensorFlow.js autodiff, with either engine's matrix products: ${label}`, async () => {
     for (const { product, engine } of engines) {
      const rng = seedrandom(label);
      const n = 24;
      const [uw, iw, hidden, dim] = [11, 7, 9, 5];
      const xu = random(rng, n * uw);
      const xi = random(rng, n * iw);
      const user = weights(rng, uw, hidden, dim);
      const item = weights(rng, iw, hidden, dim);
      const items = Int32Array.from({ length: n }, () => Math.floor(rng() * 15)); // repeats: accidental hits
      const logQ = withLogQ ? Float32Array.from(items, (it) => -1 - it / 5) : undefined;
      const ours = await stepGradients(product, xu, xi, n, user, item, { temperature: 0.1, items, removeAccidentalHits, logQ });
      const ref = tf.tidy(() => autodiffReference(xu, xi, n, user, item, removeAccidentalHits ? items : Int32Array.from({ length: n }, (_, i) => i), 0.1, logQ));
      expect(Math.abs(ours.loss - ref.loss)).toBeLessThan(1e-4);
      const mine = [ours.user.input, ours.item.input, ours.user.w1, ours.user.b1, ours.user.w2, ours.user.b2, ours.item.w1, ours.item.b1, ours.item.w2, ours.item.b2];
      mine.forEach((g, k) => expect(maxAbsDiff(g, ref.grads[k]!), `${engine}: gradient ${k}`).toBeLessThan(2e-4));
      expect(Math.max(...mine.map((g) => Math.max(...Array.from(g, Math.abs))))).toBeGreaterThan(1e-3); // not trivially zero
     }
    });
  }

  it("gives a masked logit no weight: the loss ignores what the hit's column holds", async () => {
    const product = engines[1]!.product;
    const rng = seedrandom("hits");
    const n = 6;
    const xu = random(rng, n * 4);
    const xi = random(rng, n * 3);
    const user = weights(rng, 4, 5, 3);
    const item = weights(rng, 3, 5, 3);
    const items = Int32Array.of(0, 1, 2, 3, 4, 0); // rows 0 and 5 bought the same item
    const base = await stepGradients(product, xu, xi, n, user, item, { temperature: 0.2, items, removeAccidentalHits: true });
    const moved = xi.slice();
    for (let j = 0; j < 3; j++) moved[5 * 3 + j]! += 3; // row 5's item input changes: only row 5's own terms see it
    const other = await stepGradients(product, xu, moved, n, user, item, { temperature: 0.2, items, removeAccidentalHits: true });
    expect(other.loss).not.toBeCloseTo(base.loss, 6);
    // row 0's gradient wrt its user input sees column 5 only through the mask: none
    const without = await stepGradients(product, xu, xi, n, user, item, { temperature: 0.2, items, removeAccidentalHits: false });
    expect(maxAbsDiff(base.user.input.subarray(0, 4), without.user.input.subarray(0, 4))).toBeGreaterThan(1e-6);
  });
});

describe("expNonPositive", () => {
  it("is within 2e-8 relative of Math.exp on (-745, 0], and 0 below and at -Infinity", () => {
    const rng = seedrandom("exp");
    for (let i = 0; i < 20000; i++) {
      const x = i < 10 ? -i * 1e-3 : -rng() * (i % 2 ? 30 : 744);
      expect(Math.abs(expNonPositive(x) - Math.exp(x)) / Math.exp(x)).toBeLessThan(2e-8);
    }
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(-746)).toBe(0);
    expect(expNonPositive(Number.NEGATIVE_INFINITY)).toBe(0);
  });
});
