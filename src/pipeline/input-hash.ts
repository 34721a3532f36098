import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** Files under `path` (or `path` itself), sorted, skipping dot-files and temporaries. */
function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter((e) => !e.name.startsWith("."))
    .flatMap((e) => (e.isDirectory() ? filesUnder(join(path, e.name)) : [join(path, e.name)]))
    .sort();
}

/**
 * A content hash of everything a notebook run depends on: the notebook file, the source tree, the lockfile,
 * its input files or folders and its effective parameters. Same hash -> the last successful result stands.
 */
export function notebookInputHash(parts: {
  readonly notebookPath: string;
  readonly codePaths: readonly string[];
  readonly inputPaths: readonly string[];
  readonly params: Readonly<Record<string, unknown>>;
  readonly root: string;
}): string {
  const hash = createHash("sha256");
  const add = (label: string, data: string | Buffer): void => {
    hash.update(`${label}\0${data.length}\0`);
    hash.update(data);
  };
  add("params", JSON.stringify(Object.entries(parts.params).sort(([a], [b]) => a.localeCompare(b))));
  for (const path of [parts.notebookPath, ...parts.codePaths, ...parts.inputPaths]) {
    const files = filesUnder(path);
    add("path", `${relative(parts.root, path)}:${files.length}`);
    for (const file of files) add(relative(parts.root, file), readFileSync(file));
  }
  return hash.digest("hex");
}
