import { DataValidationError } from "./data-validation-error.js";

/** One CSV record and the editor line it starts on (header = line 1). */
export interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

/**
 * Splits small CSV texts (a series, a holiday table) into records, RFC 4180: fields in double quotes may
 * hold commas, line breaks and doubled quotes `""`; CRLF and LF both end a record; a leading BOM is
 * dropped, and so are trailing blank lines. Blank lines between records are kept (as one empty field) so
 * callers can reject or skip them. Throws DataValidationError for a quote inside an unquoted field and
 * for a quoted field that is never closed.
 */
export function parseCsvRecords(input: string, file: string): CsvRecord[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let inQuotes = false;
  let quoteLine = 0;
  const endRecord = (): void => {
    fields.push(field);
    records.push({ line: recordLine, fields });
    fields = [];
    field = "";
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
    } else if (ch === '"') {
      if (field !== "") {
        throw new DataValidationError({ file, row: line, problem: "a quote in the middle of an unquoted field", value: field + ch, expected: "a field quoted from its start" });
      }
      inQuotes = true;
      quoteLine = line;
    } else if (ch === ",") {
      fields.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      recordLine = line;
    } else field += ch;
  }
  if (inQuotes) {
    throw new DataValidationError({ file, row: quoteLine, problem: "a quoted field is not closed before the end of the file (truncated file?)", expected: 'a closing "' });
  }
  if (field !== "" || fields.length > 0) endRecord();
  while (records.length > 0 && isBlankRecord(records[records.length - 1]!)) records.pop();
  return records;
}

export function isBlankRecord(record: CsvRecord): boolean {
  return record.fields.length === 1 && record.fields[0]!.trim() === "";
}
