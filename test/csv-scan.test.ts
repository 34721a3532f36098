import { describe, expect, it } from "vitest";
import { firstInvalidUtf8Offset, scanCsv } from "../src/data/csv-scan.js";
import { DataValidationError } from "../src/io/data-validation-error.js";

const scan = (text: string | Buffer) => scanCsv(Buffer.isBuffer(text) ? text : Buffer.from(text), "t.csv");

function errorOf(text: string | Buffer): DataValidationError {
  try {
    scan(text);
  } catch (error) {
    return error as DataValidationError;
  }
  throw new Error("expected a DataValidationError");
}

describe("scanCsv", () => {
  it("maps records to editor lines when quoted fields span lines", () => {
    const layout = scan('"a","b"\n1,"x\ny"\n2,"p,q"\n3,"r\r\ns\nt"\n4,z\n');
    expect(layout.header).toEqual(["a", "b"]);
    expect(layout.recordCount).toBe(4);
    expect(Array.from(layout.recordLines)).toEqual([2, 4, 5, 8]);
  });

  it("strips a BOM, accepts CRLF and a missing final newline", () => {
    const layout = scan(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("a,b\r\n1,2\r\n3,4")]));
    expect(layout.header).toEqual(["a", "b"]);
    expect(layout.recordCount).toBe(2);
    expect(layout.body.subarray(0, 3).toString()).toBe("a,b");
  });

  it("drops trailing blank lines but rejects a blank line between rows", () => {
    expect(scan("a,b\n1,2\n\n\n").body.toString()).toBe("a,b\n1,2\n");
    const error = errorOf("a,b\n1,2\n\n3,4\n");
    expect(error.row).toBe(3);
    expect(error.message).toMatch(/blank line/);
  });

  it("names the first missing column of a short row and calls a short last line truncated", () => {
    const short = errorOf("a,b,c\n1,2,3\n4,5\n6,7,8\n");
    expect([short.row, short.column]).toEqual([3, "c"]);
    expect(short.message).not.toMatch(/truncated/);
    const truncated = errorOf("a,b,c\n1,2,3\n4,5");
    expect([truncated.row, truncated.column]).toEqual([3, "c"]);
    expect(truncated.message).toMatch(/truncated/);
  });

  it("reports a row with too many fields", () => {
    const error = errorOf("a,b\n1,2\n3,4,5\n");
    expect(error.row).toBe(3);
    expect(error.message).toMatch(/3 fields/);
  });

  it("reports an unterminated quote as a truncated file, on the record's first line", () => {
    const error = errorOf('a,b\n1,2\n3,"unfinished\ntext');
    expect(error.row).toBe(3);
    expect(error.column).toBe("b");
    expect(error.message).toMatch(/never closed/);
  });

  it("rejects empty and whitespace-only files", () => {
    expect(errorOf("").message).toMatch(/empty/);
    expect(errorOf(Buffer.from([0xef, 0xbb, 0xbf, 0x0a])).message).toMatch(/empty/);
  });

  it("names the line of a non-UTF-8 byte", () => {
    const error = errorOf(Buffer.concat([Buffer.from("a,b\n1,2\n3,"), Buffer.from([0xe9]), Buffer.from("\n")]));
    expect(error.row).toBe(3);
    expect(error.column).toBe("b");
    expect(error.message).toMatch(/^t\.csv, row 3, column 'b': byte 0xe9 at offset 10 is not valid UTF-8/);
  });

  it("counts fields as the CSV parser does: commas, escaped quotes and line breaks in a quoted field, a BOM", () => {
    const before = Buffer.from('\ufeffid,text,score\n1,"a, ""b""\nc, ');
    const error = errorOf(Buffer.concat([before, Buffer.from([0xe3]), Buffer.from('o",5\n')]));
    expect(error.row).toBe(3);
    expect(error.column).toBe("text");
    expect(error.message).toContain(`byte 0xe3 at offset ${before.length}`);
    const after = errorOf(Buffer.concat([Buffer.from('id,text,score\n1,"a, b",'), Buffer.from([0xe3]), Buffer.from("\n")]));
    expect(after.column).toBe("score");
  });
});

describe("firstInvalidUtf8Offset", () => {
  it("accepts valid multi-byte text", () => {
    expect(firstInvalidUtf8Offset(Buffer.from("São Paulo, 🛒, €"))).toBe(-1);
  });
  it("finds Latin-1 bytes, overlong forms, surrogates and cut sequences", () => {
    expect(firstInvalidUtf8Offset(Uint8Array.from([0x61, 0xe3, 0x6f]))).toBe(1);
    expect(firstInvalidUtf8Offset(Uint8Array.from([0x61, 0xc0, 0xaf]))).toBe(1);
    expect(firstInvalidUtf8Offset(Uint8Array.from([0xed, 0xa0, 0x80]))).toBe(0);
    expect(firstInvalidUtf8Offset(Uint8Array.from([0x61, 0x62, 0xe2, 0x82]))).toBe(2);
  });
});
