// Does tfjs-backend-wasm's threaded SIMD build run threaded under Node? Run in its own process (the
// backend can be initialised once): `npx tsx scripts/bench/wasm-threads-probe.ts [threads]`. Forces
// WASM_HAS_MULTITHREAD_SUPPORT (tfjs sets it false in Node, tfjs issue #3830) and prints one JSON line:
// { ok, threads, matmulMs } when the threaded backend initialises, else { ok: false, error }.
import * as tf from "@tensorflow/tfjs";
import * as wasm from "@tensorflow/tfjs-backend-wasm";

const threads = Number(process.argv[2] ?? 2);
const report = (result: Record<string, unknown>): never => {
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
};
// tfjs logs the failure (and emscripten rethrows in uncaught handlers): keep stderr quiet, report in the JSON line
let firstError = "";
const record = (...args: unknown[]): void => {
  const found = args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).find((m) => /Error|ERR_/.test(m));
  if (found) firstError ||= found.split("\n")[0]!;
};
console.warn = record;
console.error = record;
console.log = record;
process.on("uncaughtException", (e) => (firstError ||= e.message));
setTimeout(() => report({ ok: false, error: firstError || "backend initialisation did not finish in 20 s" }), 20_000).unref();
tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
wasm.setThreadsCount(threads);
try {
  if (!(await tf.setBackend("wasm"))) report({ ok: false, error: firstError || "tf.setBackend('wasm') returned false" });
  await tf.ready();
  const a = tf.randomNormal([512, 512]) as tf.Tensor2D;
  for (let i = 0; i < 5; i++) tf.tidy(() => tf.matMul(a, a).dataSync());
  const start = performance.now();
  for (let i = 0; i < 50; i++) tf.tidy(() => tf.matMul(a, a).dataSync());
  report({ ok: true, threads: wasm.getThreadsCount(), matmulMs: (performance.now() - start) / 50 });
} catch (error) {
  report({ ok: false, error: firstError || (error instanceof Error ? error.message : String(error)) });
}
