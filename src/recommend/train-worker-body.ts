import { parentPort } from "node:worker_threads";
import { fitTwoTower } from "./fit.js";
import { initTensorflow } from "./tf-runtime.js";
import type { InitMessage, JobMessage, WorkerReply } from "./train-pool.js";
import type { Dataset } from "./types.js";

/**
 * The worker side of TrainingPool: receives the dataset once, then training jobs (split, config, seed),
 * runs the same fitTwoTower as the main thread and posts back epochs, batches (at most every
 * BATCH_REPORT_MS) and the fitted model. A failure is posted as an error reply; the pool names the job.
 */
const port = parentPort;
if (port === null) throw new Error("train-worker-body.ts runs only as a worker thread (see train-pool.ts)");

const BATCH_REPORT_MS = 100;
let dataset: Dataset | undefined;

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
    const backend = await initTensorflow(message.backend);
    post({ type: "ready", backend });
    return;
  }
  if (dataset === undefined) throw new Error("training job before the dataset arrived");
  const { id, split, config, seed } = message;
  let lastBatch = 0;
  const fitted = await fitTwoTower(dataset, split, config, seed, {
    onEpoch: (stats) => post({ type: "epoch", id, stats }),
    onBatch: (info) => {
      const now = performance.now();
      if (info.batch !== info.batches && now - lastBatch < BATCH_REPORT_MS) return;
      lastBatch = now;
      post({ type: "batch", id, info });
    },
  });
  post({ type: "done", id, fitted });
}
