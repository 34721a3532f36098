/**
 * Matrix products for the two-tower training step: ONNX Runtime's CPU Gemm (onnxruntime-node, whose
 * CPU binaries ship in the npm package) when it loads, else TensorFlow.js (wasm backend).
 *
 * Why not TensorFlow.js alone: its wasm backend (XNNPACK, 128-bit SIMD, one thread under Node)
 * multiplies the step's matrices at ~37 GFLOP/s on this machine kind, ONNX Runtime's MLAS at
 * 130-200 GFLOP/s on one thread, with transposed operands at no extra cost (`npm run bench` prints
 * both). The step's ~206 MFLOP of products alone took 5.6 ms on wasm, about the whole PyTorch step.
 * RETAIL_INTEL_MATMUL=tfjs forces the fallback (e.g. to cross-check); both are deterministic for a
 * given engine, and each worker thread loads its own.
 */
import { tf } from "./tf-runtime.js";
import { transpose } from "./transpose.js";

export type MatrixEngine = "onnxruntime" | "tfjs";

/** op(a) · op(b), row-major; op transposes when asked. `a` is rows x cols as stored (before op). */
export type MatrixProduct = (a: Float32Array, aRows: number, aCols: number, transA: boolean, b: Float32Array, bRows: number, bCols: number, transB: boolean) => Promise<Float32Array>;

export interface MatrixProducts {
  engine: MatrixEngine;
  product: MatrixProduct;
}

let ready: Promise<MatrixProducts> | undefined;

/** The engine of this thread, loaded once: RETAIL_INTEL_MATMUL when set, else ONNX Runtime when it loads, else TensorFlow.js. */
export function matrixProducts(choice = process.env["RETAIL_INTEL_MATMUL"]): Promise<MatrixProducts> {
  ready ??= (async () => {
    if (choice !== undefined && choice !== "onnxruntime" && choice !== "tfjs") throw new Error(`RETAIL_INTEL_MATMUL must be onnxruntime or tfjs, got "${choice}"`);
    if (choice === "tfjs") return tfjsProducts();
    const onnx = await onnxProducts().catch((error: unknown) => {
      if (choice === "onnxruntime") throw new Error(`RETAIL_INTEL_MATMUL=onnxruntime: onnxruntime-node does not load here (${(error as Error).message})`);
      return null;
    });
    return onnx ?? tfjsProducts();
  })();
  return ready;
}

export function tfjsProducts(): MatrixProducts {
  return {
    engine: "tfjs",
    // the wasm backend runs transposed operands in a slow scalar loop: transpose in JS first
    product: async (a, aRows, aCols, transA, b, bRows, bCols, transB) => {
      const left = tf.tensor2d(transA ? transpose(a, aRows, aCols) : a, transA ? [aCols, aRows] : [aRows, aCols]);
      const right = tf.tensor2d(transB ? transpose(b, bRows, bCols) : b, transB ? [bCols, bRows] : [bRows, bCols]);
      const out = tf.matMul(left, right);
      const data = out.dataSync() as Float32Array;
      left.dispose();
      right.dispose();
      out.dispose();
      return data;
    },
  };
}

export async function onnxProducts(): Promise<MatrixProducts> {
  const ort = await import("onnxruntime-node");
  const options = { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: "sequential" as const };
  // one session per transpose pattern, shapes symbolic
  const sessions = await Promise.all([0, 1, 2, 3].map((k) => ort.InferenceSession.create(gemmModel(k >= 2, k % 2 === 1), options)));
  return {
    engine: "onnxruntime",
    product: async (a, aRows, aCols, transA, b, bRows, bCols, transB) => {
      const session = sessions[(transA ? 2 : 0) + (transB ? 1 : 0)]!;
      const result = await session.run({ A: new ort.Tensor("float32", a, [aRows, aCols]), B: new ort.Tensor("float32", b, [bRows, bCols]) });
      return result["C"]!.data as Float32Array;
    },
  };
}

/*
 * An ONNX model of one Gemm node, C = op(A) · op(B), written as protobuf bytes by hand (a dozen
 * fields of onnx.proto's ModelProto; a protobuf library for them would be a larger dependency than the code).
 */
const utf8 = new TextEncoder();

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let byte = v & 0x7f;
    v = Math.floor(v / 128);
    if (v > 0) byte |= 0x80;
    out.push(byte);
  } while (v > 0);
  return out;
}

const intField = (field: number, value: number): number[] => [...varint(field << 3), ...varint(value)];
const bytesField = (field: number, payload: number[]): number[] => [...varint((field << 3) | 2), ...varint(payload.length), ...payload];
const stringField = (field: number, text: string): number[] => bytesField(field, [...utf8.encode(text)]);

/** ValueInfoProto of a float 2-D tensor with symbolic dimensions. */
function matrixInfo(name: string): number[] {
  const dims = [`${name}_rows`, `${name}_cols`].flatMap((param) => bytesField(1, stringField(2, param)));
  const tensorType = [...intField(1, 1 /* FLOAT */), ...bytesField(2, dims)];
  return [...stringField(1, name), ...bytesField(2, bytesField(1, tensorType))];
}

function gemmModel(transA: boolean, transB: boolean): Uint8Array {
  const intAttribute = (name: string, value: number): number[] => [...stringField(1, name), ...intField(3, value), ...intField(20, 2 /* INT */)];
  const node = [...stringField(1, "A"), ...stringField(1, "B"), ...stringField(2, "C"), ...stringField(4, "Gemm"), ...bytesField(5, intAttribute("transA", transA ? 1 : 0)), ...bytesField(5, intAttribute("transB", transB ? 1 : 0))];
  const graph = [...bytesField(1, node), ...stringField(2, "gemm"), ...bytesField(11, matrixInfo("A")), ...bytesField(11, matrixInfo("B")), ...bytesField(12, matrixInfo("C"))];
  const opset = [...stringField(1, ""), ...intField(2, 13)];
  return Uint8Array.from([...intField(1, 8 /* IR version */), ...bytesField(8, opset), ...bytesField(7, graph)]);
}
