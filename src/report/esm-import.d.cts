/** `import(specifier)` performed from a CommonJS file, so it works where a cell's own `import()` is rewritten to `require`. */
declare function importEsm(specifier: string): Promise<any>;
export = importEsm;
