import { requireDirectory } from "../io/path-checks.js";

/** Throws a FileError unless `dir` is a folder: the processed tables are read from it. */
export function requireProcessedDir(dir: string): void {
  requireDirectory(dir, "processed tables folder", `run \`npx retail-intel features --out ${dir}\` first`);
}
