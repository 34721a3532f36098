import { isUtf8 } from "node:buffer";
import { DataValidationError } from "../io/data-validation-error.js";

/**
 * The record structure of a CSV file, found by one quote-aware pass over its bytes.
 * Polars parses the values fast but forgives what we must report (ragged rows, blank lines,
 * a truncated last line) and cannot say which editor line a record starts on when quoted
 * fields hold newlines; this pass does both.
 */
export interface CsvLayout {
  readonly header: readonly string[];
  /** Number of data records (header excluded). */
  readonly recordCount: number;
  /** Editor line (1-based, header = 1) on which each data record starts. */
  readonly recordLines: Int32Array;
  /** The bytes to hand to a CSV parser: BOM removed, trailing blank lines dropped. */
  readonly body: Buffer;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

export function stripBom(bytes: Buffer): Buffer {
  return bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2] ? bytes.subarray(3) : bytes;
}

/** Byte offset of the first invalid UTF-8 sequence, or -1 when the bytes are valid UTF-8. */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  if (isUtf8(bytes)) return -1;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i += 1;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function lineOfOffset(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === LF) line++;
  return line;
}

/** 0-based index, within its record, of the field the byte at `offset` belongs to (quotes respected). */
function fieldIndexAt(bytes: Uint8Array, offset: number): number {
  let field = 0;
  let inQuotes = false;
  for (let i = 0; i < offset; i++) {
    const b = bytes[i];
    if (b === QUOTE) inQuotes = !inQuotes; // an escaped "" toggles twice
    else if (!inQuotes && b === COMMA) field++;
    else if (!inQuotes && b === LF) field = 0;
  }
  return field;
}

/** Index of the LF that ends the header record, or -1 when the file is a header alone without one. */
function headerEndOf(bytes: Uint8Array): number {
  let inQuotes = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === QUOTE) inQuotes = !inQuotes;
    else if (b === LF && !inQuotes) return i;
  }
  return -1;
}

function parseHeader(bytes: Buffer, end: number): string[] {
  const text = bytes.subarray(0, end).toString("utf8").replace(/\r$/, "");
  const fields: string[] = [];
  let current = "";
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"' && text[i + 1] === '"') {
        current += '"';
        i++;
      } else if (ch === '"') inQuotes = false;
      else current += ch;
    } else if (ch === '"') inQuotes = true;
    else if (ch === ",") {
      fields.push(current);
      current = "";
    } else current += ch;
  }
  fields.push(current);
  return fields.map((f) => f.trim());
}

/**
 * Checks that `raw` is UTF-8 CSV with a header and rectangular records, and maps records to editor lines.
 * Throws DataValidationError for an empty file, a non-UTF-8 byte, a blank line between records,
 * a record with the wrong number of fields, or an unterminated quote (a truncated file).
 */
export function scanCsv(raw: Buffer, file: string): CsvLayout {
  const badByte = firstInvalidUtf8Offset(raw);
  if (badByte >= 0) {
    const stripped = stripBom(raw);
    const headerEnd = headerEndOf(stripped);
    const header = parseHeader(stripped, headerEnd < 0 ? stripped.length : headerEnd);
    throw new DataValidationError({
      file,
      row: lineOfOffset(raw, badByte),
      column: header[fieldIndexAt(raw, badByte)],
      problem: `byte 0x${raw[badByte]!.toString(16).padStart(2, "0")} at offset ${badByte}${file.endsWith(".gz") ? " of the decompressed text" : ""} is not valid UTF-8`,
      expected: "a UTF-8 encoded file (re-export it as UTF-8)",
    });
  }
  const bytes = stripBom(raw);
  if (bytes.toString("utf8").trim() === "") {
    throw new DataValidationError({ file, problem: "the file is empty", expected: "a header line and data rows" });
  }

  const headerEnd = headerEndOf(bytes);
  const header = parseHeader(bytes, headerEnd < 0 ? bytes.length : headerEnd);
  const expectedFields = header.length;

  let recordLines = new Int32Array(1024);
  let recordCount = 0;
  let line = headerEnd < 0 ? 1 : 2;
  let contentEnd = headerEnd < 0 ? bytes.length : headerEnd + 1;
  let i = headerEnd < 0 ? bytes.length : headerEnd + 1;
  const n = bytes.length;
  let pendingBlankLine = -1;

  while (i < n) {
    const recordStart = i;
    const recordLine = line;
    let fields = 1;
    let inQuotes = false;
    let quoteOpenedLine = -1;
    for (; i < n; i++) {
      const b = bytes[i];
      if (inQuotes) {
        if (b === QUOTE) {
          if (bytes[i + 1] === QUOTE) i++;
          else inQuotes = false;
        } else if (b === LF) line++;
      } else if (b === QUOTE) {
        inQuotes = true;
        quoteOpenedLine = line;
      } else if (b === COMMA) fields++;
      else if (b === LF) break;
    }
    if (inQuotes) {
      throw new DataValidationError({
        file,
        row: recordLine,
        column: header[fields - 1],
        problem: `a quoted field opened on line ${quoteOpenedLine} is never closed; the file looks truncated`,
        expected: "a closing double quote and a complete last line",
      });
    }
    const recordEnd = i; // index of LF or n
    const atEof = i >= n;
    i++; // past LF
    line++;
    const isBlank = recordEnd === recordStart || (recordEnd - recordStart === 1 && bytes[recordStart] === CR);
    if (isBlank) {
      if (pendingBlankLine < 0) pendingBlankLine = recordLine;
      continue;
    }
    if (pendingBlankLine >= 0) {
      throw new DataValidationError({
        file,
        row: pendingBlankLine,
        problem: "blank line between data rows",
        expected: "one record per line with no blank lines",
      });
    }
    if (fields !== expectedFields) {
      const truncated = atEof && fields < expectedFields;
      throw new DataValidationError({
        file,
        row: recordLine,
        column: fields < expectedFields ? header[fields] : undefined,
        problem: truncated
          ? `the last line has ${fields} of ${expectedFields} fields; the file looks truncated`
          : `the row has ${fields} fields`,
        expected: `${expectedFields} fields as in the header`,
      });
    }
    if (recordCount === recordLines.length) {
      const grown = new Int32Array(recordLines.length * 2);
      grown.set(recordLines);
      recordLines = grown;
    }
    recordLines[recordCount++] = recordLine;
    contentEnd = Math.min(recordEnd + 1, n);
  }

  return { header, recordCount, recordLines: recordLines.subarray(0, recordCount), body: bytes.subarray(0, contentEnd) };
}
