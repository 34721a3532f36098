// PyTorch CPU peer of the tfjs two-tower recommender: runs scripts/bench/two_tower_torch.py and parses
// its one JSON line. Returns { unavailable } when python or torch is missing.
// Usage: npx tsx scripts/bench/torch-peer.ts   (runs with defaults, prints the result as JSON)
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface TorchPeerResult {
  torchVersion: string;
  threads: number;
  batch: number;
  steps: number;
  seconds: number;
  stepsPerSecond: number;
  samplesPerSecond: number;
  lossFirst: number;
  lossLast: number;
  nItems: number;
  lazyEmbeddings: boolean;
}

export interface TorchPeerOptions {
  nItems?: number;
  nCategories?: number;
  nStates?: number;
  batch?: number;
  steps?: number;
  warmup?: number;
  threads?: number;
  seed?: number;
  logq?: boolean;
  /** Sparse embedding gradients + SparseAdam (lazy Adam), the update rule of our model; default dense Adam. */
  lazyEmbeddings?: boolean;
  /** Python interpreter; default /usr/bin/python3. */
  python?: string;
}

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "two_tower_torch.py");
const EXIT_TORCH_MISSING = 3;

export function runTorchPeer(options: TorchPeerOptions = {}): TorchPeerResult | { unavailable: string } {
  const python = options.python ?? "/usr/bin/python3";
  const args = [SCRIPT];
  const numeric: [keyof TorchPeerOptions, string][] = [
    ["nItems", "--n-items"],
    ["nCategories", "--n-categories"],
    ["nStates", "--n-states"],
    ["batch", "--batch"],
    ["steps", "--steps"],
    ["warmup", "--warmup"],
    ["threads", "--threads"],
    ["seed", "--seed"],
  ];
  for (const [key, flag] of numeric) {
    const value = options[key];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isInteger(value)) throw new Error(`runTorchPeer: ${key} must be an integer, got ${String(value)}`);
    args.push(flag, String(value));
  }
  if (options.logq) args.push("--logq");
  if (options.lazyEmbeddings) args.push("--lazy-embeddings");

  const run = spawnSync(python, args, { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  if (run.error) {
    const code = (run.error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EACCES") return { unavailable: `python not found or not executable: ${python} (${code})` };
    throw new Error(`torch peer: could not run ${python}: ${run.error.message}`);
  }
  const stderr = run.stderr.trim();
  if (run.status === EXIT_TORCH_MISSING) return { unavailable: stderr || `torch is not importable by ${python}` };
  if (run.status !== 0) {
    const how = run.status === null ? `signal ${run.signal ?? "?"}` : `exit code ${run.status}`;
    throw new Error(`torch peer failed (${how}): ${python} ${args.join(" ")}\n${stderr}`);
  }
  const line = run.stdout.trim().split("\n").pop() ?? "";
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    throw new Error(`torch peer printed no JSON line; stdout: ${JSON.stringify(run.stdout)}\nstderr: ${stderr}`);
  }
  return toResult(raw);
}

function toResult(raw: unknown): TorchPeerResult {
  if (typeof raw !== "object" || raw === null) throw new Error(`torch peer: expected a JSON object, got ${JSON.stringify(raw)}`);
  const o = raw as Record<string, unknown>;
  const num = (key: string): number => {
    const v = o[key];
    if (typeof v !== "number") throw new Error(`torch peer: field ${key} is not a number: ${JSON.stringify(v)}`);
    return v;
  };
  const version = o["torch_version"];
  if (typeof version !== "string") throw new Error(`torch peer: field torch_version is not a string: ${JSON.stringify(version)}`);
  return {
    torchVersion: version,
    threads: num("threads"),
    batch: num("batch"),
    steps: num("steps"),
    seconds: num("seconds"),
    stepsPerSecond: num("steps_per_second"),
    samplesPerSecond: num("samples_per_second"),
    lossFirst: num("loss_first"),
    lossLast: num("loss_last"),
    nItems: num("n_items"),
    lazyEmbeddings: o["lazy_embeddings"] === true,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(runTorchPeer())}\n`);
}
