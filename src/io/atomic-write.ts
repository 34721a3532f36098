import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { checkOutputFile } from "./path-checks.js";

/** A file to produce: `write` puts the content at the temporary path it is given. */
export interface PendingFile {
  readonly path: string;
  readonly write: (tempPath: string) => void;
}

function tempPathFor(path: string): string {
  return join(dirname(path), `.tmp-${process.pid}-${basename(path)}`);
}

/**
 * Writes several files all-or-nothing: each goes to a temporary file beside its target first, and only
 * when every one was written are they renamed into place. On failure the temporary files and any folder
 * this call created are removed and the targets are left as they were. A target that is a folder, or
 * whose folder is a file, fails first (FileError) with nothing written.
 */
export function writeFilesAtomically(files: readonly PendingFile[]): void {
  for (const file of files) checkOutputFile(file.path);
  const createdDirs: string[] = [];
  const written: string[] = [];
  try {
    for (const file of files) {
      const created = mkdirSync(dirname(file.path), { recursive: true });
      if (created !== undefined) createdDirs.push(created);
      const temp = tempPathFor(file.path);
      written.push(temp);
      file.write(temp);
    }
  } catch (error) {
    for (const temp of written) rmSync(temp, { force: true });
    // mkdirSync returns the top folder it created: everything under it is this call's own
    for (const dir of createdDirs.reverse()) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let renamed = 0;
  try {
    for (; renamed < files.length; renamed++) renameSync(written[renamed]!, files[renamed]!.path);
  } catch (error) {
    for (const temp of written.slice(renamed)) rmSync(temp, { force: true });
    throw error;
  }
}

/** Writes one text or binary file atomically (temporary file, then rename). */
export function writeFileAtomically(path: string, content: string | Uint8Array): void {
  writeFilesAtomically([{ path, write: (temp) => writeFileSync(temp, content) }]);
}
