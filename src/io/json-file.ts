import { FileError, oneLine } from "./file-error.js";
import { readFileNamed } from "./read-file.js";

/**
 * Reads and parses a JSON file; every failure is a FileError naming the file: missing, a folder,
 * unreadable, or not valid JSON (a truncated or hand-edited file), with the parser's position.
 */
export function readJsonFile(path: string, role = "file"): unknown {
  const text = readFileNamed(path, role).toString("utf8");
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    const reason = `is not valid JSON (${withPosition(oneLine((error as Error).message), body.length)})`;
    throw new FileError(path, "invalid-json", `${role} ${path} ${reason}`, reason);
  }
}

/** V8 gives no position when the text stops early (a cut file); the position is then its end. */
function withPosition(message: string, length: number): string {
  return /position \d+/.test(message) ? message : `${message} at position ${length}`;
}
