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
