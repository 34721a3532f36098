import { join } from "node:path";
import type { ViewOptions } from "vega";
import type { TopLevelSpec } from "vega-lite";

/**
 * vega-lite spec -> SVG text, headless: vega-lite `compile` -> vega `parse` -> `new View(runtime,
 * { renderer: "none" })` -> `toSVG()`. No canvas or DOM is needed for SVG.
 */

type VegaModule = typeof import("vega");
type VegaLiteModule = typeof import("vega-lite");
type VegaSpec = ReturnType<VegaLiteModule["compile"]>["spec"];

/** The two ESM-only packages, loaded once, and how they were loaded. */
export interface VegaModules {
  readonly vega: VegaModule;
  readonly vegaLite: VegaLiteModule;
  /** "import": this module's own `import()`; "esm-import.cjs": through the CommonJS helper (tslab). */
  readonly loadedWith: "import" | "esm-import.cjs";
}

let loading: Promise<VegaModules> | undefined;

/**
 * Loads vega and vega-lite once (later calls share the promise). Tries this module's own `import()`
 * first, which works under tsx, vitest and Node's ESM loader; when that fails (this file compiled to
 * CommonJS, e.g. by tslab, where `import()` becomes `require()` or has no vm callback) it imports them
 * through `esm-import.cjs` next to this file, a CommonJS file whose `import()` stays real.
 */
export function loadVega(): Promise<VegaModules> {
  loading ??= (async () => {
    try {
      const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
      return { vega: vega as VegaModule, vegaLite: vegaLite as VegaLiteModule, loadedWith: "import" as const };
    } catch (error) {
      const helper = commonJsImportHelper();
      if (helper === undefined) throw error;
      const [vega, vegaLite] = await Promise.all([helper("vega"), helper("vega-lite")]);
      return { vega: vega as VegaModule, vegaLite: vegaLite as VegaLiteModule, loadedWith: "esm-import.cjs" as const };
    }
  })();
  // A failed load is not cached: the next call tries again.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/** `esm-import.cjs` when this code runs as CommonJS (where `require` and `__dirname` exist), else undefined. */
function commonJsImportHelper(): ((specifier: string) => Promise<unknown>) | undefined {
  if (typeof require !== "function" || typeof __dirname !== "string") return undefined;
  return require(join(__dirname, "esm-import.cjs")) as (specifier: string) => Promise<unknown>;
}

/** Options of {@link compileSpec} and {@link renderSvg}. */
export interface RenderOptions {
  /**
   * Receives vega-lite's and vega's warnings (e.g. a field missing from the data). Default: they are
   * printed with console.warn, prefixed by the chart title.
   */
  readonly onWarning?: (message: string) => void;
}

/** The text of a spec's title (a string, lines joined by spaces, or `title.text`), "" when untitled. */
export function specTitle(spec: TopLevelSpec): string {
  const title = spec.title;
  if (typeof title === "string") return title;
  if (Array.isArray(title)) return title.join(" ");
  if (title && typeof title === "object" && "text" in title) {
    const text = title.text;
    return typeof text === "string" ? text : Array.isArray(text) ? text.join(" ") : "";
  }
  return "";
}

type VegaLogger = NonNullable<ViewOptions["logger"]>;

/** vega/vega-lite logger: warnings to a callback, errors thrown with the chart's title. */
class ChartLogger implements VegaLogger {
  private current = 2; // vega.Warn

  constructor(
    private readonly chart: string,
    private readonly onWarning: (message: string) => void,
  ) {}

  level(next?: number): number | VegaLogger {
    if (next === undefined) return this.current;
    this.current = next;
    return this;
  }

  error(...args: unknown[]): this {
    throw new Error(`chart ${JSON.stringify(this.chart)}: ${args.map(String).join(" ")}`);
  }

  warn(...args: unknown[]): this {
    this.onWarning(args.map(String).join(" "));
    return this;
  }

  info(): this {
    return this;
  }

  debug(): this {
    return this;
  }
}

function makeLogger(spec: TopLevelSpec, onWarning: RenderOptions["onWarning"]): ChartLogger {
  const chart = specTitle(spec);
  return new ChartLogger(chart, onWarning ?? ((message) => console.warn(`[chart ${JSON.stringify(chart)}] ${message}`)));
}

/** Compiles a vega-lite spec to a vega spec; warnings go to `onWarning`, errors throw. */
export async function compileSpec(spec: TopLevelSpec, options: RenderOptions = {}): Promise<VegaSpec> {
  const { vegaLite } = await loadVega();
  return vegaLite.compile(spec, { logger: makeLogger(spec, options.onWarning) }).spec;
}

/** Renders a vega-lite spec to SVG text (headless vega View, finalized afterwards). */
export async function renderSvg(spec: TopLevelSpec, options: RenderOptions = {}): Promise<string> {
  const { vega } = await loadVega();
  const vegaSpec = await compileSpec(spec, options);
  const view = new vega.View(vega.parse(vegaSpec), { renderer: "none", logger: makeLogger(spec, options.onWarning), logLevel: vega.Warn });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
