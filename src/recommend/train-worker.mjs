// Entry point of a two-tower training worker thread (see train-pool.ts). Plain JavaScript so that it
// starts the same way under tsx, vitest, the CLI and a tslab kernel: it registers tsx's ESM loader in
// this thread (loader registrations are per thread; a worker does not inherit the parent's), then
// imports the TypeScript worker body.
import { existsSync } from "node:fs";
import { register } from "tsx/esm/api";

const tsconfig = new URL("../../tsconfig.json", import.meta.url);
register(existsSync(tsconfig) ? { tsconfig: tsconfig.pathname } : {});
await import("./train-worker-body.ts");
