import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

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
 * when every one was written are they renamed into place. On failure the temporary files are removed and
 * the targets are left as they were.
 */
export function writeFilesAtomically(files: readonly PendingFile[]): void {
  const written: string[] = [];
  try {
    for (const file of files) {
      mkdirSync(dirname(file.path), { recursive: true });
      const temp = tempPathFor(file.path);
      written.push(temp);
      file.write(temp);
    }
  } catch (error) {
    for (const temp of written) rmSync(temp, { force: true });
    throw error;
  }
  files.forEach((file, i) => renameSync(written[i]!, file.path));
}

/** Writes one text or binary file atomically (temporary file, then rename). */
export function writeFileAtomically(path: string, content: string | Uint8Array): void {
  writeFilesAtomically([{ path, write: (temp) => writeFileSync(temp, content) }]);
}
