/** Types of notebook-env.cjs: loading this repo's ESM TypeScript sources from a tslab (CommonJS) cell. */

/** The repository root (absolute path). */
export declare const repoRoot: string;

/**
 * Imports a source module of this repo (path relative to the repo root, absolute, or file: URL; `.ts`
 * optional, `.js` mapped to `.ts`) after registering tsx's ESM loader once; resolves to its namespace.
 */
export declare function load(specifier: string): Promise<any>;

/** `import()` from CommonJS (for ESM-only packages such as vega). */
export declare function importEsm(specifier: string): Promise<any>;

/** The absolute file `load` would import for `specifier`; throws when there is none. */
export declare function resolveSource(specifier: string): string;
