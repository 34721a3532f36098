/**
 * Loads Prophet's model code once per process: the augurs bindings (`@bsull/augurs/prophet`, Rust compiled
 * to WebAssembly) and Prophet's Stan model (`@bsull/augurs-prophet-wasmstan`, Stan compiled to WebAssembly).
 *
 * augurs' default initialiser fetches `prophet_bg.wasm` by URL, which Node's fetch cannot do for `file://`;
 * we read the bytes from the installed package instead. The package folder is found with Node's resolver
 * from this file (`createRequire(import.meta.url)`), so the same code works under tsx, vitest and in a tslab
 * kernel (where `src/report/notebook-env.cjs` imports our sources with a real `import()`).
 *
 * This is the one place in `src/forecast` that touches the file system, and only to read the wasm bytes.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Prophet, ProphetOptions } from "@bsull/augurs/prophet";

/** The optimiser object augurs calls: `{ optimize(init, data, opts) }` (Prophet's Stan model, MAP by L-BFGS/Newton). */
export type ProphetOptimizer = ProphetOptions["optimizer"];

export interface ProphetRuntime {
  /** augurs' Prophet class, ready to construct. */
  readonly Prophet: typeof Prophet;
  /** The Stan optimiser from `@bsull/augurs-prophet-wasmstan` (the current instance: see renewOptimizer). */
  readonly optimizer: ProphetOptimizer;
  /** Versions of the two packages, for run metadata. */
  readonly versions: { readonly augurs: string; readonly wasmstan: string };
}

let loading: Promise<ProphetRuntime> | undefined;
let current: ProphetOptimizer | undefined;
let wasmstanEntry = "";
let instances = 1;

/**
 * Replaces the Stan optimiser with a fresh instance of the wasmstan module (its own wasm memory). Call
 * it after the optimiser traps ("unreachable"): a trap leaves the instance's heap as it was mid-call,
 * and a later optimize on it can loop forever (seen after ~130 fits: an L-BFGS trap, then BFGS on the
 * same instance never returned). The module is imported again under another URL, which instantiates it anew.
 */
export async function renewOptimizer(): Promise<void> {
  if (!wasmstanEntry) return;
  instances += 1;
  const { optimizer } = (await import(`${wasmstanEntry}?instance=${instances}`)) as { optimizer: unknown };
  current = optimizer as ProphetOptimizer;
}

function packageVersion(packageJsonPath: string): string {
  try {
    return (JSON.parse(readFileSync(packageJsonPath, "utf8")) as { version?: string }).version ?? "unknown";
  } catch {
    return "unknown";
  }
}

async function load(): Promise<ProphetRuntime> {
  const require = createRequire(import.meta.url);
  let bindingFile: string;
  let wasmstanFile: string;
  try {
    bindingFile = require.resolve("@bsull/augurs/prophet");
    wasmstanFile = require.resolve("@bsull/augurs-prophet-wasmstan");
  } catch (error) {
    throw new Error(
      `Prophet runtime: cannot find @bsull/augurs and @bsull/augurs-prophet-wasmstan from ${dirname(new URL(import.meta.url).pathname)} ` +
        `(run npm install): ${(error as Error).message}`,
    );
  }
  const augursDir = dirname(bindingFile);
  const bindings = await import("@bsull/augurs/prophet");
  await bindings.default({ module_or_path: readFileSync(join(augursDir, "prophet_bg.wasm")) });
  const { optimizer } = await import("@bsull/augurs-prophet-wasmstan");
  current = optimizer as unknown as ProphetOptimizer;
  wasmstanEntry = pathToFileURL(wasmstanFile).href;
  return {
    Prophet: bindings.Prophet,
    get optimizer() {
      return current!;
    },
    versions: {
      augurs: packageVersion(join(augursDir, "package.json")),
      wasmstan: packageVersion(join(dirname(wasmstanFile), "package.json")),
    },
  };
}

/** The Prophet runtime, loaded on first call and shared afterwards (a failed load is retried on the next call). */
export function loadProphetRuntime(): Promise<ProphetRuntime> {
  if (loading === undefined) {
    const attempt = load();
    loading = attempt;
    attempt.catch(() => {
      if (loading === attempt) loading = undefined;
    });
  }
  return loading;
}
