import { describe, expect, it } from "vitest";
import { DataValidationError } from "../src/io/data-validation-error.js";
import { parseDs, parseSeriesCsv } from "../src/forecast/series-input.js";

function errorOf(text: string, options?: { log?: boolean }): DataValidationError {
  try {
    parseSeriesCsv(text, "series.csv", options);
  } catch (error) {
    if (error instanceof DataValidationError) return error;
    throw error;
  }
  throw new Error("expected a DataValidationError");
}

const where = (e: DataValidationError) => ({ file: e.file, row: e.row, column: e.column, value: e.value });

describe("parseSeriesCsv", () => {
  it("reads ds,y in any column order with extra columns, BOM, CRLF and quotes, sorted by ds", () => {
    const text = '\uFEFFnote,y,ds\r\n"b, late",2.5,2020-01-03\r\n"a ""quoted""",1,"2020-01-01"\r\nc,,2020-01-02\r\n';
    const series = parseSeriesCsv(text, "series.csv");
    expect(series.ds.map((d) => d.toISOString())).toEqual([
      "2020-01-01T00:00:00.000Z",
      "2020-01-02T00:00:00.000Z",
      "2020-01-03T00:00:00.000Z",
    ]);
    expect(series.y).toEqual([1, null, 2.5]);
  });

  it("reads times with a space or T, with or without seconds and Z, as UTC", () => {
    const series = parseSeriesCsv("ds,y\n2020-01-01 06:30,1\n2020-01-01T07:00:05Z,2\n2020-01-01 08:00:00,-3e2\n2020-01-01T09:00:00.250,4", "s.csv");
    expect(series.ds.map((d) => d.toISOString())).toEqual([
      "2020-01-01T06:30:00.000Z",
      "2020-01-01T07:00:05.000Z",
      "2020-01-01T08:00:00.000Z",
      "2020-01-01T09:00:00.250Z",
    ]);
    expect(series.y).toEqual([1, 2, -300, 4]);
    expect(parseDs("2020-01-01T00:00:00+02:00")).toMatch(/time zone/);
    expect(parseDs("2021-02-29")).toBe("no such date");
  });

  it("names the header line and the column when ds or y is missing", () => {
    const e = errorOf("date,y\n2020-01-01,1\n2020-01-02,2\n");
    expect(where(e)).toEqual({ file: "series.csv", row: 1, column: "ds", value: "date,y" });
    expect(e.message).toMatch(/^series\.csv, row 1, column 'ds': missing column 'ds'/);
    expect(where(errorOf("ds,revenue\n2020-01-01,1\n"))).toMatchObject({ row: 1, column: "y" });
  });

  it("reports an unparsable or impossible date with its editor line (quoted line breaks counted)", () => {
    const e = errorOf('ds,y,note\n2020-01-01,1,"two\nlines"\n2020-13-01,2,x\n');
    expect(where(e)).toEqual({ file: "series.csv", row: 4, column: "ds", value: "2020-13-01" });
    expect(where(errorOf("ds,y\n2020-01-01,1\n01/02/2020,2\n"))).toEqual({ file: "series.csv", row: 3, column: "ds", value: "01/02/2020" });
    expect(where(errorOf("ds,y\n2020-02-30,1\n2020-03-01,2\n"))).toMatchObject({ row: 2, column: "ds", value: "2020-02-30" });
    expect(where(errorOf("ds,y\n2020-01-01T00:00:00+01:00,1\n2020-01-02,2\n"))).toMatchObject({ row: 2, column: "ds" });
  });

  it("reports a duplicate ds at its second row and names the first", () => {
    const e = errorOf("ds,y\n2020-01-01,1\n2020-01-02,2\n2020-01-01 00:00:00,3\n");
    expect(where(e)).toEqual({ file: "series.csv", row: 4, column: "ds", value: "2020-01-01 00:00:00" });
    expect(e.problem).toBe("duplicate ds: the same date and time as row 2");
  });

  it("rejects infinity and text as y (NaN is a missing value, as Prophet reads it)", () => {
    expect(where(errorOf("ds,y\n2020-01-01,1\n2020-01-02,Infinity\n"))).toEqual({ file: "series.csv", row: 3, column: "y", value: "Infinity" });
    expect(where(errorOf("ds,y\n2020-01-01,inf\n2020-01-02,2\n"))).toEqual({ file: "series.csv", row: 2, column: "y", value: "inf" });
    expect(where(errorOf("ds,y\n2020-01-01,1e999\n2020-01-02,2\n"))).toMatchObject({ row: 2, column: "y", value: "1e999" });
    expect(where(errorOf("ds,y\n2020-01-01,1\n2020-01-02,12abc\n"))).toMatchObject({ row: 3, column: "y", value: "12abc" });
  });

  it("needs at least 2 rows with a y value", () => {
    const e = errorOf("ds,y\n2020-01-01,1\n2020-01-02,\n");
    expect(where(e)).toEqual({ file: "series.csv", row: undefined, column: "y", value: undefined });
    expect(e.problem).toMatch(/only 1 row\(s\) with a y value \(2 data rows\)/);
    expect(where(errorOf("ds,y\n"))).toMatchObject({ column: "y" });
    expect(errorOf("").problem).toBe("the file is empty");
    expect(where(errorOf("\nds,y\n2020-01-01,1\n"))).toMatchObject({ row: 1 });
  });

  it("rejects a negative y only when the series is fitted in log space", () => {
    const text = "ds,y\n2020-01-01,1\n2020-01-02,-0.5\n2020-01-03,0\n";
    expect(parseSeriesCsv(text, "series.csv").y).toEqual([1, -0.5, 0]);
    const e = errorOf(text, { log: true });
    expect(where(e)).toEqual({ file: "series.csv", row: 3, column: "y", value: "-0.5" });
    expect(e.message).toMatch(/log/);
  });

  it("reports short rows, blank lines between rows and unclosed quotes", () => {
    expect(where(errorOf("ds,y,note\n2020-01-01,1,a\n2020-01-02,2\n"))).toMatchObject({ row: 3, column: "note" });
    expect(where(errorOf("ds,y\n2020-01-01,1\n\n2020-01-02,2\n"))).toMatchObject({ row: 3 });
    expect(where(errorOf('ds,y\n2020-01-01,1\n"2020-01-02,2\n'))).toMatchObject({ row: 3 });
    expect(parseSeriesCsv("ds,y\n2020-01-01,1\n2020-01-02,2\n\n\n", "s.csv").y).toEqual([1, 2]);
  });
});
