import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { datasetForWorkers } from "./dataset.js";
import { fitPrepared, type FittedTwoTower, type PreparedSplit } from "./fit.js";
import { PreparedSplits } from "./prepared-splits.js";
import { initTensorflow } from "./tf-runtime.js";
import type { TwoTowerConfig } from "./config.js";
import type { SeedEvaluation } from "./evaluate.js";
import type { HybridWeights } from "./hybrid.js";
import type { EpochStats, TrainCallbacks } from "./two-tower.js";
import type { Dataset, ProtocolName, ProtocolSplit } from "./types.js";

/** Default number of training worker threads: two, or fewer on a machine with fewer cores. */
export function defaultTrainingWorkers(): number {
  return Math.min(2, availableParallelism());
}

/** One seed's training: what a worker needs besides the dataset, which it receives once. */
export interface TrainingJob {
  protocol: ProtocolName;
  seed: number;
  split: ProtocolSplit;
  config: TwoTowerConfig;
  /** Query batch of scoreQueries when the job also scores (fitAndScore). */
  queryBatch?: number;
  /**
   * fitAndScore: also hand back the whole fitted model (default true). Without it only its summary
   * comes back: at 1M orders a fitted model is about 250 MB to copy from the worker and hold.
   */
  keepModel?: boolean;
}

/** What an evaluation reads of every trained seed: its training history and the choices made on the validation window. */
export interface FitSummary {
  history: EpochStats[];
  epochsUsed: number;
  validationQueries: number;
  hybrid: HybridWeights;
}

export function fitSummary(fitted: FittedTwoTower): FitSummary {
  return { history: fitted.model.history, epochsUsed: fitted.model.epochsUsed, validationQueries: fitted.validationQueries, hybrid: fitted.hybrid };
}

/** A trained seed: its summary, the model unless the job let it go (keepModel false), and its scores when the job scored it (fitAndScore). */
export interface JobResult {
  summary: FitSummary;
  fitted: FittedTwoTower | null;
  scores: SeedEvaluation | null;
}

export interface InitMessage {
  type: "init";
  dataset: Dataset;
  backend: string;
  /** Shared by the pool and its workers: set to 1 when the pool stops; a training worker then stops after its current step. */
  stop: Int32Array;
}
export interface JobMessage {
  type: "job";
  id: number;
  split: ProtocolSplit;
  config: TwoTowerConfig;
  seed: string;
  /** Same key, same split and config: the worker reuses its prepared split. */
  prepareKey: string;
  /** Also score the fitted seed on the split's query groups (scoreSeed). */
  score: boolean;
  queryBatch?: number;
  /** Post back the whole fitted model, not only its summary. */
  keepModel: boolean;
}
type BatchInfo = Parameters<NonNullable<TrainCallbacks["onBatch"]>>[0];
export type WorkerReply =
  | { type: "ready"; backend: string }
  | { type: "epoch"; id: number; stats: EpochStats }
  | { type: "batch"; id: number; info: BatchInfo }
  | { type: "done"; id: number; result: JobResult; prepareSeconds: number | null }
  | { type: "error"; id: number; message: string; stack: string };

interface Pending {
  id: number;
  job: TrainingJob;
  prepareKey: string;
  score: boolean;
  callbacks: TrainCallbacks;
  resolve: (result: JobResult) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  busy: Pending | null;
  /** The worker is running a job (until it replies done or error), even after the pool has given up on it. */
  running: boolean;
  /** Called when the running job replies. */
  onIdle: (() => void) | null;
}

/**
 * How long a stopping pool waits for a worker to finish its current step before terminating it anyway
 * (a worker scoring a seed checks the stop flag only when it trains again).
 */
const STOP_GRACE_MS = 10_000;

const WORKER_ENTRY = new URL("./train-worker.mjs", import.meta.url);

/** The error of a failed job: names the protocol and seed, keeps the worker's message and stack. */
export class TrainingJobError extends Error {
  constructor(
    readonly protocol: ProtocolName,
    readonly seed: number,
    message: string,
    readonly workerStack = "",
  ) {
    super(`two-tower training failed (${protocol}, seed ${seed}): ${message}`);
    this.name = "TrainingJobError";
  }
}

/**
 * Trains two-tower seeds on worker threads, each with its own TensorFlow.js wasm backend (one thread
 * each, as in the main thread, so a seed gives bit-identical weights wherever it trains). The dataset is
 * posted to each worker once (structured clone); each job posts its split (typed arrays), config and
 * seed, and gets back the fitted model (a worker prepares each split once, prepareSplit, for all its seeds); epoch and batch progress arrive as messages and reach the
 * job's callbacks on the main thread. Jobs queue in submission order. With `workers` 0 jobs train in
 * the main thread, one at a time. The first failure stops every worker and rejects every
 * pending job; `close()` stops the workers (call it in a finally). Idle workers are unref'd, so
 * a forgotten pool does not keep the process alive; Ctrl-C stops them (see listenForSignals).
 */
export class TrainingPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private failure: Error | null = null;
  private inProcess: Promise<unknown> = Promise.resolve();
  private readonly splitIds = new WeakMap<ProtocolSplit, number>();
  /**
   * Workers are stopped by this flag, then terminated once idle, never mid-step: terminating a worker
   * inside an ONNX Runtime call aborts the whole process ("terminate called after throwing an
   * instance of 'Napi::Error'").
   */
  private readonly stopFlag = new Int32Array(new SharedArrayBuffer(4));
  /** What the workers receive (shared typed arrays, made once for all of them). */
  private workerDataset: Dataset | undefined;
  /** With 0 workers: jobs run in order, so only the current split's preparation is kept. */
  private readonly preparedHere: PreparedSplits;
  /** Split preparations run (each worker prepares a split once, the main thread once with 0 workers) and their seconds. */
  readonly stats = { jobs: 0, preparations: 0, prepareSeconds: 0 };

  private constructor(
    private readonly dataset: Dataset,
    readonly workers: number,
  ) {
    this.preparedHere = new PreparedSplits(dataset, 1);
  }

  static async open(dataset: Dataset, workers = defaultTrainingWorkers()): Promise<TrainingPool> {
    if (!Number.isInteger(workers) || workers < 0) throw new Error(`workers must be a whole number >= 0, got ${workers}`);
    const pool = new TrainingPool(dataset, workers);
    if (workers === 0) return pool;
    const backend = await initTensorflow();
    for (let k = 0; k < workers; k++) pool.slots.push(pool.spawn(backend));
    pool.workerDataset = undefined; // the workers hold it now
    pool.listenForSignals();
    try {
      await Promise.all(pool.slots.map((s) => s.ready));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  private spawn(backend: string): Slot {
    // referenced until ready (the process waits for it), then unref'd whenever idle
    const worker = new Worker(WORKER_ENTRY, { execArgv: [], stdout: false, stderr: false });
    let ready!: () => void;
    let failed!: (e: Error) => void;
    const slot: Slot = { worker, busy: null, running: false, onIdle: null, ready: new Promise<void>((res, rej) => ((ready = res), (failed = rej))) };
    slot.ready.catch(() => {});
    worker.on("message", (reply: WorkerReply) => {
      if (reply.type === "ready") {
        if (slot.busy === null) worker.unref();
        return ready();
      }
      if (reply.type === "done" || reply.type === "error") {
        slot.running = false;
        slot.onIdle?.();
      }
      const job = slot.busy;
      if (job === null || ("id" in reply && reply.id !== job.id && reply.id !== -1)) return;
      if (reply.type === "epoch") job.callbacks.onEpoch?.(reply.stats);
      else if (reply.type === "batch") job.callbacks.onBatch?.(reply.info);
      else if (reply.type === "done") {
        this.countPreparation(reply.prepareSeconds);
        this.finish(slot);
        job.resolve(reply.result);
      } else {
        const error = new TrainingJobError(job.job.protocol, job.job.seed, reply.message, reply.stack);
        this.finish(slot);
        job.reject(error);
        this.fail(error);
      }
    });
    const lost = (why: string) => {
      const error = new Error(`training worker ${why}`);
      failed(error);
      const job = slot.busy;
      slot.busy = null;
      if (job) {
        const named = new TrainingJobError(job.job.protocol, job.job.seed, `worker ${why}`);
        job.reject(named);
        this.fail(named);
      } else if (this.failure === null) this.fail(error);
    };
    worker.on("error", (e) => lost(`crashed: ${e.message}`));
    worker.on("exit", (code) => {
      slot.running = false;
      slot.onIdle?.();
      if (this.failure === null) lost(`exited with code ${code}`);
    });
    worker.postMessage({ type: "init", dataset: (this.workerDataset ??= datasetForWorkers(this.dataset)), backend, stop: this.stopFlag } satisfies InitMessage);
    return slot;
  }

  /** Trains one seed; resolves with the fitted model (as fitTwoTower on the main thread would). */
  async fit(job: TrainingJob, callbacks: TrainCallbacks = {}): Promise<FittedTwoTower> {
    return (await this.run({ ...job, keepModel: true }, false, callbacks)).fitted!;
  }

  /** Trains one seed and scores it on its split's query groups where it trained (scoreSeed); the model comes back unless job.keepModel is false. */
  async fitAndScore(job: TrainingJob, callbacks: TrainCallbacks = {}): Promise<{ summary: FitSummary; fitted: FittedTwoTower | null; scores: SeedEvaluation }> {
    const { summary, fitted, scores } = await this.run(job, true, callbacks);
    return { summary, fitted, scores: scores! };
  }

  private run(job: TrainingJob, score: boolean, callbacks: TrainCallbacks): Promise<JobResult> {
    if (this.failure) return Promise.reject(this.failure);
    this.stats.jobs += 1;
    const prepareKey = this.prepareKey(job);
    if (this.workers === 0) {
      const run = this.inProcess.then(async (): Promise<JobResult> => {
        const prepared = this.prepareHere(prepareKey, job);
        const fitted = await fitPrepared(this.dataset, prepared, job.config, String(job.seed), callbacks);
        const scores = score ? (await import("./evaluate.js")).scoreSeed(this.dataset, job.split, fitted, prepared.splitPriors, job.queryBatch) : null;
        return { summary: fitSummary(fitted), fitted: job.keepModel === false ? null : fitted, scores };
      });
      this.inProcess = run.catch(() => {});
      return run.catch((e: unknown) => {
        throw new TrainingJobError(job.protocol, job.seed, e instanceof Error ? e.message : String(e), e instanceof Error ? e.stack : "");
      });
    }
    return new Promise<JobResult>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, prepareKey, score, callbacks, resolve, reject });
      this.dispatch();
    });
  }

  /** One key per split object and config: the seeds of a split share its preparation. */
  private prepareKey(job: TrainingJob): string {
    let id = this.splitIds.get(job.split);
    if (id === undefined) this.splitIds.set(job.split, (id = this.nextId++));
    return `${id}|${JSON.stringify(job.config)}`;
  }

  private prepareHere(key: string, job: TrainingJob): PreparedSplit {
    const { prepared, seconds } = this.preparedHere.get(key, job.split, job.config);
    this.countPreparation(seconds);
    return prepared;
  }

  private countPreparation(seconds: number | null): void {
    if (seconds === null) return;
    this.stats.preparations += 1;
    this.stats.prepareSeconds += seconds;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy !== null || this.queue.length === 0) continue;
      const next = this.queue.shift()!;
      slot.busy = next;
      slot.running = true;
      slot.worker.ref();
      const message: JobMessage = { type: "job", id: next.id, split: next.job.split, config: next.job.config, seed: String(next.job.seed), prepareKey: next.prepareKey, score: next.score, keepModel: next.job.keepModel !== false, ...(next.job.queryBatch === undefined ? {} : { queryBatch: next.job.queryBatch }) };
      slot.worker.postMessage(message);
    }
  }

  private finish(slot: Slot): void {
    slot.busy = null;
    slot.worker.unref();
    this.dispatch();
  }

  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.fail(new Error(`two-tower training interrupted (${signal})`));
    this.stopListening();
    // nobody else handles the signal (a CLI run): take Node's default action, as if no pool were listening
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };

  /**
   * Ctrl-C (SIGINT) or SIGTERM terminates the workers at once and rejects every job: in a kernel or a
   * runner that handles the signal itself, training stops with the cell; otherwise the process then
   * ends as it would have without the pool.
   */
  private listenForSignals(): void {
    process.on("SIGINT", this.onSignal);
    process.on("SIGTERM", this.onSignal);
  }

  private stopListening(): void {
    process.off("SIGINT", this.onSignal);
    process.off("SIGTERM", this.onSignal);
  }

  private fail(error: Error): void {
    this.stopListening();
    if (this.failure) return;
    this.failure = error;
    for (const pending of this.queue.splice(0)) pending.reject(error);
    for (const slot of this.slots) {
      const job = slot.busy;
      slot.busy = null;
      job?.reject(error);
    }
    void this.stopWorkers();
  }

  /** Asks every worker to stop after its current step, and terminates each once it is idle (or after STOP_GRACE_MS). */
  private stopWorkers(): Promise<unknown> {
    Atomics.store(this.stopFlag, 0, 1);
    return Promise.all(
      this.slots.map(async (slot) => {
        if (slot.running) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, STOP_GRACE_MS);
            slot.onIdle = () => (clearTimeout(timer), resolve());
          });
        }
        return slot.worker.terminate();
      }),
    );
  }

  /** Terminates the workers; pending jobs are rejected. */
  async close(): Promise<void> {
    this.stopListening();
    if (this.failure === null) this.failure = new Error("training pool closed");
    for (const pending of this.queue.splice(0)) pending.reject(this.failure);
    for (const slot of this.slots) {
      slot.busy?.reject(this.failure);
      slot.busy = null;
    }
    await this.stopWorkers();
  }
}
