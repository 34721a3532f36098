import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../src/cli/main.js";
import { DataValidationError } from "../src/io/data-validation-error.js";
import { loadOlist } from "../src/data/load-olist.js";
import { tableSpec, type TableName } from "../src/data/olist-schema.js";
import { generateOlistSample } from "../src/data/sample/index.js";

// One small generated data set; each case writes it fresh into a folder, breaks one thing, and checks
// that the error names the file, the editor row (header = 1) and the column.
const pristine = generateOlistSample({ orders: 2000, seed: "bad-input" });
let root: string;
let raw: string;

const fileOf = (table: TableName): string => tableSpec(table).file;
const read = (table: TableName): string => readFileSync(join(raw, fileOf(table)), "utf8");
const write = (table: TableName, text: string | Buffer): void => writeFileSync(join(raw, fileOf(table)), text);
/** Lines of a file whose records never span lines (every table but reviews). */
const linesOf = (table: TableName): string[] => read(table).split("\n");

function splitFields(line: string): string[] {
  // Safe for the tables used below: no field holds a comma.
  return line.split(",");
}

function replaceField(table: TableName, editorLine: number, column: string, value: string): string {
  const lines = linesOf(table);
  const index = tableSpec(table).columns.findIndex((c) => c.name === column);
  const fields = splitFields(lines[editorLine - 1]!);
  const original = fields[index]!;
  fields[index] = value;
  lines[editorLine - 1] = fields.join(",");
  write(table, lines.join("\n"));
  return original;
}

/** "São ..." in Latin-1 (0xe3 for ã) in the customer_city field of one editor line of the customers file. */
function writeLatin1City(editorLine: number): void {
  replaceField("customers", editorLine, "customer_city", "S\u0000o paulo");
  const bytes = readFileSync(join(raw, fileOf("customers")));
  bytes[bytes.indexOf(0)] = 0xe3;
  write("customers", bytes);
}

function expectProblem(expected: { file: string; row?: number; column?: string; message?: RegExp }): DataValidationError {
  let caught: unknown;
  try {
    loadOlist(raw);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(DataValidationError);
  const error = caught as DataValidationError;
  expect(error.file).toBe(expected.file);
  expect(error.row).toBe(expected.row);
  expect(error.column).toBe(expected.column);
  if (expected.message) expect(error.message).toMatch(expected.message);
  return error;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "retail-intel-bad-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeEach(() => {
  raw = mkdtempSync(join(root, "raw-"));
  for (const [file, text] of pristine) writeFileSync(join(raw, file), text);
});

describe("bad input gets one clear error naming file, row and column", () => {
  it("accepts the untouched sample", () => {
    expect(() => loadOlist(raw)).not.toThrow();
  });

  it("a missing file", () => {
    rmSync(join(raw, fileOf("orders")));
    expectProblem({ file: fileOf("orders"), row: undefined, column: undefined, message: /file not found/ });
  });

  it("a missing column", () => {
    const lines = linesOf("order_items").map((l) => (l === "" ? l : splitFields(l).slice(0, -1).join(",")));
    write("order_items", lines.join("\n"));
    expectProblem({ file: fileOf("order_items"), row: 1, column: "freight_value", message: /missing column/ });
  });

  it("a renamed column", () => {
    write("order_items", read("order_items").replace('"price"', '"preco"'));
    const error = expectProblem({ file: fileOf("order_items"), row: 1, column: "price" });
    expect(error.message).toMatch(/'preco' is in its place/);
  });

  it("an unparsable date", () => {
    replaceField("orders", 12, "order_purchase_timestamp", "2017-02-30 10:00:00");
    const error = expectProblem({ file: fileOf("orders"), row: 12, column: "order_purchase_timestamp" });
    expect(error.value).toBe("2017-02-30 10:00:00");
    expect(error.message).toMatch(/YYYY-MM-DD HH:MM:SS/);
  });

  it("a negative price", () => {
    replaceField("order_items", 7, "price", "-10.50");
    const error = expectProblem({ file: fileOf("order_items"), row: 7, column: "price", message: /out of range/ });
    expect(error.value).toBe("-10.50");
  });

  it("a duplicate primary key", () => {
    const lines = linesOf("sellers");
    lines[7] = lines[2]!; // editor line 8 repeats line 3
    write("sellers", lines.join("\n"));
    const error = expectProblem({ file: fileOf("sellers"), row: 8, column: "seller_id", message: /duplicate key/ });
    expect(error.message).toMatch(/first seen on row 3/);
  });

  it("an empty file", () => {
    write("sellers", "");
    expectProblem({ file: fileOf("sellers"), row: undefined, column: undefined, message: /empty/ });
  });

  it("a truncated last line", () => {
    const text = read("order_payments").replace(/\n$/, "");
    const lastLine = text.split("\n").length;
    const cut = text.slice(0, text.lastIndexOf(",", text.lastIndexOf(",") - 1));
    write("order_payments", cut);
    expectProblem({ file: fileOf("order_payments"), row: lastLine, column: "payment_installments", message: /truncated/ });
  });

  it("a truncated file that ends inside a quoted review", () => {
    const text = read("order_reviews");
    const lastLine = text.split("\n").length; // the text ends with a newline: this is the next line
    const orderId = linesOf("orders")[1]!.split(",")[0]!;
    write("order_reviews", `${text}"ffffffffffffffffffffffffffffffff",${orderId},5,,"Produto chegou antes do prazo,\nmuito`);
    expectProblem({ file: fileOf("order_reviews"), row: lastLine, column: "review_comment_message", message: /never closed/ });
  });

  it("a non-UTF-8 byte", () => {
    const lines = linesOf("customers");
    const bytes = Buffer.concat([
      Buffer.from(`${lines.slice(0, 19).join("\n")}\n`),
      Buffer.from([0x53, 0xe3, 0x6f]), // "São" in Latin-1
      Buffer.from(`${lines[19]}\n${lines.slice(20).join("\n")}`),
    ]);
    write("customers", bytes);
    expectProblem({ file: fileOf("customers"), row: 20, column: "customer_id", message: /not valid UTF-8/ });
  });

  it("a non-UTF-8 byte names the column whose field holds it", () => {
    writeLatin1City(20);
    const error = expectProblem({ file: fileOf("customers"), row: 20, column: "customer_city" });
    expect(error.message).toMatch(/^olist_customers_dataset\.csv, row 20, column 'customer_city': byte 0xe3 at offset \d+ is not valid UTF-8/);
  });

  it("a non-UTF-8 byte in a quoted review that spans lines and holds commas: the byte's line and the review's column", () => {
    const text = read("order_reviews");
    const records = parseRecordsWithLines(text);
    const messageIndex = tableSpec("order_reviews").columns.findIndex((c) => c.name === "review_comment_message");
    const target = records.find((r) => r.fields[messageIndex]!.includes("\n") && r.fields[messageIndex]!.includes(","))!;
    expect(target).toBeDefined();
    const message = target.fields[messageIndex]!;
    const bytes = Buffer.from(text);
    const start = bytes.indexOf(Buffer.from(message));
    expect(start).toBeGreaterThan(0);
    const at = start + Buffer.byteLength(message); // just before the closing quote: after every comma and line break of the text
    write("order_reviews", Buffer.concat([bytes.subarray(0, at), Buffer.from([0xe3]), bytes.subarray(at)]));
    const line = target.line + message.split("\n").length - 1;
    const error = expectProblem({ file: fileOf("order_reviews"), row: line, column: "review_comment_message" });
    expect(error.message).toContain(`byte 0xe3 at offset ${at} is not valid UTF-8`);
  });

  it("a non-UTF-8 byte in a .csv.gz file: the .gz file named, the same row and column", () => {
    writeLatin1City(20);
    const path = join(raw, fileOf("customers"));
    writeFileSync(`${path}.gz`, gzipSync(readFileSync(path)));
    rmSync(path);
    const error = expectProblem({ file: `${fileOf("customers")}.gz`, row: 20, column: "customer_city" });
    expect(error.message).toMatch(/^olist_customers_dataset\.csv\.gz, row 20, column 'customer_city': byte 0xe3 at offset \d+ of the decompressed text is not valid UTF-8/);
  });

  it("a row with a missing field", () => {
    const lines = linesOf("products");
    lines[4] = splitFields(lines[4]!).slice(0, -2).join(",");
    write("products", lines.join("\n"));
    expectProblem({ file: fileOf("products"), row: 5, column: "product_height_cm", message: /7 fields/ });
  });

  it("a value outside a closed set", () => {
    replaceField("orders", 30, "order_status", "lost");
    expectProblem({ file: fileOf("orders"), row: 30, column: "order_status", message: /unknown value/ });
  });

  it("an item whose product does not exist", () => {
    replaceField("order_items", 9, "product_id", "0123456789abcdef0123456789abcdef");
    expectProblem({ file: fileOf("order_items"), row: 9, column: "product_id", message: /no such product_id/ });
  });

  it("counts editor lines across reviews whose text spans several lines", () => {
    const text = read("order_reviews");
    const records = parseRecordsWithLines(text);
    const multi = records.findIndex((r) => r.fields.some((f) => f.includes("\n")));
    expect(multi).toBeGreaterThan(0);
    const target = records.slice(multi + 1).find((r) => r.fields.every((f) => !f.includes(",") && !f.includes("\n")))!;
    expect(target.line).toBeGreaterThan(records.indexOf(target) + 2); // later than its record number: lines were spanned
    const scoreIndex = tableSpec("order_reviews").columns.findIndex((c) => c.name === "review_score");
    const lineText = text.split("\n")[target.line - 1]!;
    const fields = lineText.split(",");
    expect(fields[scoreIndex]).toMatch(/^[1-5]$/);
    fields[scoreIndex] = "9";
    const lines = text.split("\n");
    lines[target.line - 1] = fields.join(",");
    write("order_reviews", lines.join("\n"));
    expectProblem({ file: fileOf("order_reviews"), row: target.line, column: "review_score", message: /out of range/ });
  });
});

describe("the CLI exits non-zero and writes nothing on bad input", () => {
  it("features leaves no output and validate no report", async () => {
    replaceField("order_items", 7, "price", "-1");
    const out = join(root, "processed-bad");
    const report = join(root, "report-bad.json");
    expect(await main(["features", "--raw", raw, "--out", out])).toBe(1);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    expect(await main(["validate", "--raw", raw, "--report", report])).toBe(1);
    expect(existsSync(report)).toBe(false);
  });

  it("a non-UTF-8 byte: validate exits 1 with one line naming file, row and column, and writes no report", async () => {
    writeLatin1City(20);
    const report = join(root, "report-latin1.json");
    let stderr = "";
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
    try {
      expect(await main(["validate", "--raw", raw, "--report", report])).toBe(1);
    } finally {
      spy.mockRestore();
    }
    expect(stderr.split("\n").filter((l) => l.startsWith("error:"))).toEqual([
      expect.stringMatching(/^error: invalid input data: olist_customers_dataset\.csv, row 20, column 'customer_city': byte 0xe3 at offset \d+ is not valid UTF-8/),
    ]);
    expect(existsSync(report)).toBe(false);
  });

  it("wrong usage exits 2", async () => {
    expect(await main(["sample", "--orders", "-5", "--out", join(root, "x")])).toBe(2);
    expect(await main(["validate", "--nonsense"])).toBe(2);
    expect(await main(["no-such-command"])).toBe(2);
  });
});

/** A tiny RFC 4180 reader for the test: records with the editor line each starts on. */
function parseRecordsWithLines(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = "";
  let inQuotes = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') inQuotes = false;
      else {
        if (ch === "\n") line++;
        field += ch;
      }
    } else if (ch === '"') inQuotes = true;
    else if (ch === ",") {
      fields.push(field);
      field = "";
    } else if (ch === "\n") {
      fields.push(field);
      records.push({ line: start, fields });
      fields = [];
      field = "";
      line++;
      start = line;
    } else if (ch !== "\r") field += ch;
  }
  if (field !== "" || fields.length > 0) records.push({ line: start, fields: [...fields, field] });
  return records.slice(1); // drop the header
}
