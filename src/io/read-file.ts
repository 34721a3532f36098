import { readFileSync } from "node:fs";
import { FileError, oneLine } from "./file-error.js";

/** The bytes of a user-given file, or a FileError naming it: missing, a folder, or unreadable. */
export function readFileNamed(path: string, role = "file"): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new FileError(path, "missing", `${role} ${path} does not exist`, "does not exist");
    if (code === "EISDIR") throw new FileError(path, "not-a-file", `${role} ${path} is a folder, not a file`, "is a folder, not a file");
    const reason = `cannot be read (${oneLine((error as Error).message)})`;
    throw new FileError(path, "unreadable", `${role} ${path} ${reason}`, reason);
  }
}
