import { parentPort } from "node:worker_threads";
import { scoreSeed } from "./evaluate.js";
import { fitPrepared } from "./fit.js";
import { PreparedSplits } from "./prepared-splits.js";
import { initTensorflow } from "./tf-runtime.js";
import { fitSummary, type InitMessage, type JobMessage, type WorkerReply } from "./train-pool.js";
import type { Dataset } from "./types.js";

/**
 * The worker side of TrainingPool: receives the dataset once, then training jobs (split, config, seed),
 * prepares each split once (kept for the next seeds of the same split and config), runs the same
 * fitPrepared as the main thread and posts back epochs, batches (at most every BATCH_REPORT_MS) and
 * the fitted model, with its scores on the split's query groups when the job asks (scoreSeed). A failure is posted as an error reply; the pool names the job.
 */
const port = parentPort;
if (port === null) throw new Error("train-worker-body.ts runs only as a worker thread (see train-pool.ts)");

const BATCH_REPORT_MS = 100;
/**
 * Prepared splits kept by a worker (by the pool's key: split and config). Jobs are queued protocol by
 * protocol (every seed of one, then the next), so a worker never needs an earlier one again; at 1M
 * orders each holds several hundred MB.
 */
const KEEP_PREPARED = 1;
let dataset: Dataset | undefined;
let prepared: PreparedSplits | undefined;
let stop: Int32Array | undefined;

const post = (reply: WorkerReply): void => port.postMessage(reply);

port.on("message", (message: InitMessage | JobMessage) => {
  void handle(message).catch((error: unknown) => {
    const e = error instanceof Error ? error : new Error(String(error));
    post({ type: "error", id: message.type === "job" ? message.id : -1, message: e.message, stack: e.stack ?? "" });
  });
});

async function handle(message: InitMessage | JobMessage): Promise<void> {
  if (message.type === "init") {
    dataset = message.dataset;
    stop = message.stop;
    prepared = new PreparedSplits(dataset, KEEP_PREPARED);
    const backend = await initTensorflow(message.backend);
    post({ type: "ready", backend });
    return;
  }
  if (dataset === undefined || prepared === undefined) throw new Error("training job before the dataset arrived");
  const { id, split, config, seed, prepareKey, score, queryBatch, keepModel } = message;
  const { prepared: ready, seconds: prepareSeconds } = prepared.get(prepareKey, split, config);
  let lastBatch = 0;
  const fitted = await fitPrepared(dataset, ready, config, seed, {
    onEpoch: (stats) => post({ type: "epoch", id, stats }),
    onBatch: (info) => {
      // the pool is stopping: end the job between steps (the throw ends fitPrepared)
      if (stop !== undefined && Atomics.load(stop, 0) === 1) throw new Error("training stopped by the pool");
      const now = performance.now();
      if (info.batch !== info.batches && now - lastBatch < BATCH_REPORT_MS) return;
      lastBatch = now;
      post({ type: "batch", id, info });
    },
  });
  const scores = score ? scoreSeed(dataset, split, fitted, ready.splitPriors, queryBatch) : null;
  post({ type: "done", id, result: { summary: fitSummary(fitted), fitted: keepModel ? fitted : null, scores }, prepareSeconds });
}
