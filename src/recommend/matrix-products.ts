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
import type { InferenceSession, Tensor } from "onnxruntime-node";
import { tf } from "./tf-runtime.js";
import { transpose } from "./transpose.js";

export type MatrixEngine = "onnxruntime" | "tfjs";

/** What a product may add in the same call: alpha · op(a) · op(b) + bias (one value per output column), then ReLU. */
export interface ProductExtras {
  alpha?: number;
  bias?: Float32Array;
  relu?: boolean;
}

/** op(a) · op(b), row-major; op transposes when asked. `a` is rows x cols as stored (before op). */
export type MatrixProduct = (a: Float32Array, aRows: number, aCols: number, transA: boolean, b: Float32Array, bRows: number, bCols: number, transB: boolean, extras?: ProductExtras) => Promise<Float32Array>;

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
    product: async (a, aRows, aCols, transA, b, bRows, bCols, transB, extras = {}) => {
      const left = tf.tensor2d(transA ? transpose(a, aRows, aCols) : a, transA ? [aCols, aRows] : [aRows, aCols]);
      const right = tf.tensor2d(transB ? transpose(b, bRows, bCols) : b, transB ? [bCols, bRows] : [bRows, bCols]);
      const out = tf.matMul(left, right);
      const data = out.dataSync() as Float32Array;
      left.dispose();
      right.dispose();
      out.dispose();
      return applyExtras(data, transB ? bRows : bCols, extras);
    },
  };
}

/** alpha · x + bias per column, then ReLU, in place on a rows x `cols` matrix. */
function applyExtras(x: Float32Array, cols: number, { alpha = 1, bias, relu = false }: ProductExtras): Float32Array {
  if (alpha === 1 && !bias && !relu) return x;
  for (let i = 0; i < x.length; i++) {
    const v = alpha * x[i]! + (bias ? bias[i % cols]! : 0);
    x[i] = relu && !(v > 0) ? 0 : v;
  }
  return x;
}

export async function onnxProducts(): Promise<MatrixProducts> {
  const ort = await import("onnxruntime-node");
  const options = { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: "sequential" as const };
  // one session per transpose pattern, alpha, bias and ReLU, built when first asked for; shapes symbolic
  const sessions = new Map<string, Promise<InferenceSession>>();
  const check = await ort.InferenceSession.create(gemmModel({ transA: false, transB: false, alpha: 1, bias: false, relu: false }), options); // fails here, not mid-training, when the runtime cannot run
  sessions.set("false/false/1/false/false", Promise.resolve(check));
  return {
    engine: "onnxruntime",
    product: async (a, aRows, aCols, transA, b, bRows, bCols, transB, { alpha = 1, bias, relu = false } = {}) => {
      const shape = { transA, transB, alpha, bias: bias !== undefined, relu };
      const key = `${transA}/${transB}/${alpha}/${shape.bias}/${relu}`;
      let session = sessions.get(key);
      if (!session) sessions.set(key, (session = ort.InferenceSession.create(gemmModel(shape), options)));
      const feeds: Record<string, Tensor> = { A: new ort.Tensor("float32", a, [aRows, aCols]), B: new ort.Tensor("float32", b, [bRows, bCols]) };
      if (bias) feeds["C"] = new ort.Tensor("float32", bias, [bias.length]);
      const result = await (await session).run(feeds);
      return result["Y"]!.data as Float32Array;
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

/** A fixed32 field holding a float (wire type 5). */
function float32Field(field: number, value: number): number[] {
  const bytes = new Uint8Array(new Float32Array([value]).buffer);
  return [...varint((field << 3) | 5), ...bytes];
}

/** ValueInfoProto of a float tensor with symbolic dimensions. */
function tensorInfo(name: string, dimNames: string[]): number[] {
  const dims = dimNames.flatMap((param) => bytesField(1, stringField(2, param)));
  const tensorType = [...intField(1, 1 /* FLOAT */), ...bytesField(2, dims)];
  return [...stringField(1, name), ...bytesField(2, bytesField(1, tensorType))];
}

const matrixInfo = (name: string): number[] => tensorInfo(name, [`${name}_rows`, `${name}_cols`]);
const vectorInfo = (name: string): number[] => tensorInfo(name, [`${name}_length`]);

/** Y = alpha · op(A) · op(B) (+ C, a row of column biases), then ReLU when asked. */
function gemmModel(shape: { transA: boolean; transB: boolean; alpha: number; bias: boolean; relu: boolean }): Uint8Array {
  const intAttribute = (name: string, value: number): number[] => [...stringField(1, name), ...intField(3, value), ...intField(20, 2 /* INT */)];
  const floatAttribute = (name: string, value: number): number[] => [...stringField(1, name), ...float32Field(2, value), ...intField(20, 1 /* FLOAT */)];
  const gemmOut = shape.relu ? "G" : "Y";
  const gemm = [
    ...stringField(1, "A"),
    ...stringField(1, "B"),
    ...(shape.bias ? stringField(1, "C") : []),
    ...stringField(2, gemmOut),
    ...stringField(4, "Gemm"),
    ...bytesField(5, intAttribute("transA", shape.transA ? 1 : 0)),
    ...bytesField(5, intAttribute("transB", shape.transB ? 1 : 0)),
    ...bytesField(5, floatAttribute("alpha", shape.alpha)),
  ];
  const nodes = [...bytesField(1, gemm), ...(shape.relu ? bytesField(1, [...stringField(1, "G"), ...stringField(2, "Y"), ...stringField(4, "Relu")]) : [])];
  const inputs = [matrixInfo("A"), matrixInfo("B"), ...(shape.bias ? [vectorInfo("C")] : [])].flatMap((info) => bytesField(11, info));
  const graph = [...nodes, ...stringField(2, "gemm"), ...inputs, ...bytesField(12, matrixInfo("Y"))];
  const opset = [...stringField(1, ""), ...intField(2, 13)];
  return Uint8Array.from([...intField(1, 8 /* IR version */), ...bytesField(8, opset), ...bytesField(7, graph)]);
}
