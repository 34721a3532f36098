import { FileError, oneLine } from "./file-error.js";
import { readFileNamed } from "./read-file.js";

/**
 * Reads and parses a JSON file; every failure is a FileError naming the file: missing, a folder,
 * unreadable, or not valid JSON (a truncated or hand-edited file), with the parser's position.
 */
export function readJsonFile(path: string, role = "file"): unknown {
  const text = readFileNamed(path, role).toString("utf8");
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
  } catch (error) {
    const reason = `is not valid JSON (${oneLine((error as Error).message)})`;
    throw new FileError(path, "invalid-json", `${role} ${path} ${reason}`, reason);
  }
}
