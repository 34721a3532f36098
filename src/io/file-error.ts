/** Why a path given by the user could not be used. */
export type FileProblemKind = "missing" | "not-a-folder" | "not-a-file" | "unreadable" | "invalid-json" | "damaged";

/**
 * A file or folder that cannot be read or written as asked: the message is one line naming the path
 * and what is wrong with it (e.g. "raw data folder data/rwa does not exist").
 */
export class FileError extends Error {
  override name = "FileError";
  readonly path: string;
  readonly kind: FileProblemKind;
  /** The problem without the path, e.g. "is not valid JSON (Unterminated string ... at position 12)". */
  readonly reason: string;

  constructor(path: string, kind: FileProblemKind, message: string, reason: string) {
    super(message);
    this.path = path;
    this.kind = kind;
    this.reason = reason;
  }
}

/** An error text on one line: V8 quotes the offending source, newlines and all, in JSON syntax errors. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
