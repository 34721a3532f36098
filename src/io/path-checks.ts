import { statSync, type Stats } from "node:fs";
import { dirname } from "node:path";
import { FileError } from "./file-error.js";

// Checks of user-given paths before any work is done, so that a wrong path fails at once with one line
// that names it, instead of Node's "EEXIST: file already exists, mkdir" after minutes of training.

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
}

const withHint = (message: string, hint: string | undefined): string => (hint ? `${message}; ${hint}` : message);

/** Throws unless `path` is an existing folder. `role` says what it is for, e.g. "raw data folder". */
export function requireDirectory(path: string, role = "folder", hint?: string): void {
  const stats = statOf(path);
  if (!stats) throw new FileError(path, "missing", withHint(`${role} ${path} does not exist`, hint), "does not exist");
  if (!stats.isDirectory()) throw new FileError(path, "not-a-folder", `${role} ${path} is a file, not a folder`, "is a file, not a folder");
}

/** Throws unless `path` is an existing file (not a folder). */
export function requireFile(path: string, role = "file", hint?: string): void {
  const stats = statOf(path);
  if (!stats) throw new FileError(path, "missing", withHint(`${role} ${path} does not exist`, hint), "does not exist");
  if (stats.isDirectory()) throw new FileError(path, "not-a-file", `${role} ${path} is a folder, not a file`, "is a folder, not a file");
}

/** The nearest existing ancestor of `path` when it is not a folder (so `path` cannot be created). */
function fileInTheWay(path: string): string | undefined {
  for (let current = dirname(path); ; current = dirname(current)) {
    const stats = statOf(current);
    if (stats) return stats.isDirectory() ? undefined : current;
    if (dirname(current) === current) return undefined;
  }
}

function checkCreatable(path: string, role: string): void {
  const blocker = fileInTheWay(path);
  if (blocker !== undefined) {
    throw new FileError(path, "not-a-folder", `cannot create ${role} ${path}: ${blocker} is a file, not a folder`, `${blocker} is a file, not a folder`);
  }
}

/** Throws unless `path` is a folder or can be created as one (it is not a file, nor inside one). */
export function checkOutputDirectory(path: string, role = "output folder"): void {
  const stats = statOf(path);
  if (stats && !stats.isDirectory()) throw new FileError(path, "not-a-folder", `${role} ${path} is a file, not a folder`, "is a file, not a folder");
  if (!stats) checkCreatable(path, role);
}

/** Throws unless a file can be written at `path`: it is not a folder and its folder is not a file. */
export function checkOutputFile(path: string, role = "output file"): void {
  const stats = statOf(path);
  if (stats?.isDirectory()) throw new FileError(path, "not-a-file", `${role} ${path} is a folder, not a file`, "is a folder, not a file");
  if (!stats) checkCreatable(path, role);
}
