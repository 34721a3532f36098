#!/usr/bin/env node
// Entry point of `npx retail-intel`: runs the TypeScript sources directly through tsx's loader.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
