import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * Sends Jupyter display_data messages from a tslab kernel, with several MIME types in ONE message.
 *
 * tslab's public `display.raw(contentType, data)` sends a single type. Underneath, it calls
 * `lastWriteDisplayData(content, update)` of tslab's `dist/jupyter.js`: the kernel sets that function at
 * the start of every cell execution, and it publishes `content` ({ data, metadata, transient }) as a
 * display_data message on IOPub, parented to the running cell. This module calls the same function with
 * a whole bundle. tslab's executor puts `globalThis.__tslab__ = { exports, require }` in the kernel
 * process, and its `require("tslab")` returns the kernel's own tslab instance, so the `jupyter.js` found
 * beside that instance is the one the kernel writes to (even if another tslab copy is installed).
 */

/** MIME type -> data, e.g. `{ "text/html": "<b>x</b>", "application/vnd.vegalite.v5+json": spec }`. */
export type MimeBundle = Readonly<Record<string, unknown>>;

/** Receives display bundles; the kernel's sender, or a test's recorder. */
export type DisplaySink = (data: MimeBundle, metadata?: Readonly<Record<string, unknown>>) => void;

export interface DisplayContent {
  data: MimeBundle;
  metadata: Readonly<Record<string, unknown>>;
  transient: Record<string, unknown>;
}

interface TslabJupyterModule {
  lastWriteDisplayData: ((content: DisplayContent, update: boolean) => void) | null;
}

interface TslabPublicModule {
  display: { raw(contentType: string, data: string): unknown };
}

interface TslabGlobal {
  require?: (id: string) => unknown;
}

let override: DisplaySink | undefined;
let overrideSet = false;

/**
 * Replaces where display bundles go (tests, other frontends); `undefined` restores detection of the
 * tslab kernel. Returns the previous override.
 */
export function setDisplaySink(sink: DisplaySink | undefined): DisplaySink | undefined {
  const previous = override;
  override = sink;
  overrideSet = sink !== undefined;
  return previous;
}

/** The kernel's tslab public module when running inside a tslab kernel, else undefined. */
function kernelTslab(): TslabPublicModule | undefined {
  const g = (globalThis as { __tslab__?: TslabGlobal }).__tslab__;
  if (typeof g?.require !== "function") return undefined;
  try {
    const api = g.require("tslab") as TslabPublicModule | undefined;
    return api && typeof api.display?.raw === "function" ? api : undefined;
  } catch {
    return undefined;
  }
}

/** tslab's `dist/jupyter.js` of the same installation as `api`, found through Node's module cache. */
function jupyterModuleOf(api: TslabPublicModule): TslabJupyterModule | undefined {
  const req = createRequire(join(process.cwd(), "retail-intel-report.cjs"));
  const entry = Object.values(req.cache).find((m) => m?.exports === api);
  if (!entry) return undefined;
  try {
    const mod = req(join(dirname(entry.filename), "jupyter.js")) as Partial<TslabJupyterModule>;
    return "lastWriteDisplayData" in mod ? (mod as TslabJupyterModule) : undefined;
  } catch {
    return undefined;
  }
}

/** tslab's display_data sender; with `update` it sends update_display_data for `transient.display_id`. */
export type CellDisplayWriter = (content: DisplayContent, update: boolean) => void;

/**
 * The tslab kernel's display writer for the cell executing now, or undefined outside a kernel. The kernel
 * sets a new function for every cell, so the identity of the result tells cells apart.
 */
export function currentCellDisplayWriter(): CellDisplayWriter | undefined {
  const api = kernelTslab();
  const write = api ? jupyterModuleOf(api)?.lastWriteDisplayData : undefined;
  return typeof write === "function" ? write : undefined;
}

/** Types tried, best first, when only tslab's single-type `display.raw` is available. */
const SINGLE_TYPE_PREFERENCE = ["text/html", "image/svg+xml", "text/markdown", "text/plain"];

/**
 * Where a display bundle goes now: the test override, else the tslab kernel's display_data sender, else
 * undefined (not in a kernel: callers just return their results).
 */
export function currentDisplaySink(): DisplaySink | undefined {
  if (overrideSet) return override;
  const api = kernelTslab();
  if (!api) return undefined;
  const jupyter = jupyterModuleOf(api);
  if (jupyter) {
    return (data, metadata = {}) => {
      // Read at call time: the kernel replaces it for every cell.
      const write = jupyter.lastWriteDisplayData;
      if (typeof write !== "function") throw new Error("tslab kernel is not executing a cell (lastWriteDisplayData is not set)");
      write({ data, metadata, transient: {} }, false);
    };
  }
  // A tslab without the internal sender: show the best single type through the public API.
  return (data) => {
    const type = SINGLE_TYPE_PREFERENCE.find((t) => typeof data[t] === "string");
    if (type !== undefined) api.display.raw(type, data[type] as string);
  };
}

/** True inside a tslab kernel (or when a sink was set with {@link setDisplaySink}). */
export function canDisplay(): boolean {
  return currentDisplaySink() !== undefined;
}
