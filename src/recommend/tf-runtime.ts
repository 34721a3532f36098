import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";

export { tf };

let ready: Promise<string> | undefined;

/**
 * Selects the TensorFlow.js backend once per process: RETAIL_INTEL_TF_BACKEND when set (e.g. `cpu` for
 * cross-checks), else tfjs-node's native `tensorflow` backend when @tensorflow/tfjs-node is installed,
 * else the wasm backend (XNNPACK, SIMD, one thread in Node). tfjs-node cannot be installed on machines
 * without internet access (its install script downloads libtensorflow), so wasm is the usual one.
 */
export function initTensorflow(backend = process.env["RETAIL_INTEL_TF_BACKEND"]): Promise<string> {
  ready ??= (async () => {
    const chosen = backend ?? ((await loadTfjsNode()) ? "tensorflow" : "wasm");
    if (!(await tf.setBackend(chosen))) throw new Error(`TensorFlow.js backend "${chosen}" could not be initialised`);
    await tf.ready();
    return tf.getBackend();
  })();
  return ready;
}

async function loadTfjsNode(): Promise<boolean> {
  const name = "@tensorflow/tfjs-node"; // a variable, so TypeScript does not require the optional package
  try {
    await import(name);
    return tf.findBackend("tensorflow") !== null;
  } catch {
    return false;
  }
}

/**
 * a @ b with a gradient whose matmuls never ask for a transposed operand: the wasm backend runs
 * transposed matmuls in a slow scalar loop but plain ones through XNNPACK, so the gradient transposes
 * explicitly first (2-3x faster training steps, see TOOLCHAIN.md).
 */
export const matMul: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D = tf.customGrad((...args: unknown[]) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy as tf.Tensor2D)];
    },
  };
}) as unknown as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/**
 * mean over rows of log(sum(exp(row))), with the gradient written as softmax / rows: tf.logSumExp's
 * own gradient goes through max's gradient (an Equal over the whole matrix), slow on wasm.
 */
export const meanLogSumExp: (logits: tf.Tensor2D) => tf.Scalar = tf.customGrad((...args: unknown[]) => {
  const [logits, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
  const rows = logits.shape[0];
  const max = tf.max(logits, 1, true);
  const exp = tf.exp(tf.sub(logits, max));
  const sum = tf.sum(exp, 1, true);
  const softmax = tf.div(exp, sum);
  save([softmax]);
  return {
    value: tf.mean(tf.add(tf.log(sum), max)) as tf.Scalar,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(saved[0]!, tf.div(dy, rows))],
  };
}) as unknown as (logits: tf.Tensor2D) => tf.Scalar;
