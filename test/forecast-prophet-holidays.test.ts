import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DataValidationError } from "../src/io/data-validation-error.js";
import {
  brazilHolidays,
  easterSunday,
  expandHolidayWindows,
  holidayFeatureName,
  holidayIndicator,
  parseHolidaysCsv,
  toAugursHolidays,
  type HolidayRow,
} from "../src/forecast/holidays.js";
import { fitProphet } from "../src/forecast/prophet.js";
import { FIXTURES, loadCase, readCsv } from "./fixtures/prophet/reference-cases.js";

const day = (d: Date): string => d.toISOString().slice(0, 10);
const rowsAsText = (rows: readonly HolidayRow[]): string[] => rows.map((r) => `${day(r.ds)} ${r.holiday} ${r.lowerWindow} ${r.upperWindow}`);

describe("BR holidays (R Prophet 1.0's list)", () => {
  it("equal the holiday table R Prophet built for the revenue cases (2016-2018)", () => {
    for (const file of ["revenue_additive_holidays.holidays.csv", "revenue_mult_log_holidays.holidays.csv"]) {
      const reference = parseHolidaysCsv(readFileSync(join(FIXTURES, file), "utf8"), file);
      expect(reference).toHaveLength(24);
      expect(rowsAsText(brazilHolidays("BR", 2016, 2018))).toEqual(rowsAsText(reference));
    }
  });

  it("equal R Prophet 1.0's generated_holidays for BR, 2014-2030 (names and dates)", () => {
    const { rows } = readCsv("r-prophet-1.0-BR-holidays-2014-2030.csv");
    const r = rows.map(([ds, holiday]) => `${ds} ${holiday}`).sort();
    const ours = brazilHolidays("BR", 2014, 2030).map((h) => `${day(h.ds)} ${h.holiday}`).sort();
    expect(ours).toEqual(r);
    expect(new Set(ours.map((x) => x.slice(11))).size).toBe(8);
  });
});

describe("Easter and the movable BR-retail days", () => {
  it("computus gives the known Easter Sundays", () => {
    const known: Record<number, string> = {
      1818: "1818-03-22", 1943: "1943-04-25", 2000: "2000-04-23", 2008: "2008-03-23", 2014: "2014-04-20", 2015: "2015-04-05",
      2016: "2016-03-27", 2017: "2017-04-16", 2018: "2018-04-01", 2019: "2019-04-21", 2020: "2020-04-12", 2021: "2021-04-04",
      2022: "2022-04-17", 2023: "2023-04-09", 2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28",
      2028: "2028-04-16", 2029: "2029-04-01", 2030: "2030-04-21", 2038: "2038-04-25", 2285: "2285-03-22",
    };
    for (const [year, date] of Object.entries(known)) expect(day(easterSunday(Number(year))), year).toBe(date);
    expect(() => easterSunday(1500)).toThrow(RangeError);
  });

  it("BR-retail adds Carnival (Mon+Tue), Good Friday, Corpus Christi, Black Friday (-1..+3) and Mother's Day (-3..0)", () => {
    const retail = brazilHolidays("BR-retail", 2016, 2019);
    const of = (name: string): string[] => retail.filter((h) => h.holiday === name).map((h) => `${day(h.ds)} ${h.lowerWindow}..${h.upperWindow}`);
    expect(of("Carnival")).toEqual(["2016-02-08 0..1", "2017-02-27 0..1", "2018-02-12 0..1", "2019-03-04 0..1"]);
    expect(of("Good Friday")).toEqual(["2016-03-25 0..0", "2017-04-14 0..0", "2018-03-30 0..0", "2019-04-19 0..0"]);
    expect(of("Corpus Christi")).toEqual(["2016-05-26 0..0", "2017-06-15 0..0", "2018-05-31 0..0", "2019-06-20 0..0"]);
    // The day after US Thanksgiving (4th Thursday): the 5th Friday when November starts on a Friday (2019).
    expect(of("Black Friday")).toEqual(["2016-11-25 -1..3", "2017-11-24 -1..3", "2018-11-23 -1..3", "2019-11-29 -1..3"]);
    expect(of("Mother's Day")).toEqual(["2016-05-08 -3..0", "2017-05-14 -3..0", "2018-05-13 -3..0", "2019-05-12 -3..0"]);
    expect(retail.filter((h) => h.ds.getUTCFullYear() === 2018)).toHaveLength(13);
    expect(brazilHolidays("BR-retail", 2024, 2024).find((h) => h.holiday === "Black Friday")!.ds.toISOString()).toBe("2024-11-29T00:00:00.000Z");
    // Sorted by date.
    expect(retail.map((h) => h.ds.getTime())).toEqual([...retail.map((h) => h.ds.getTime())].sort((a, b) => a - b));
  });

  it("rejects bad arguments", () => {
    expect(() => brazilHolidays("BR", 2020, 2019)).toThrow(RangeError);
    expect(() => brazilHolidays("US" as "BR", 2020, 2020)).toThrow(/kind/);
  });
});

describe("window expansion (Prophet's per-day-offset features, as augurs holidays)", () => {
  it("makes one feature per holiday and offset, named like Prophet's columns, sorted", () => {
    const features = expandHolidayWindows(brazilHolidays("BR-retail", 2017, 2018).filter((h) => h.holiday === "Black Friday" || h.holiday === "Carnival"));
    expect(features.map((f) => f.name)).toEqual([
      "Black Friday_delim_+0", "Black Friday_delim_+1", "Black Friday_delim_+2", "Black Friday_delim_+3", "Black Friday_delim_-1",
      "Carnival_delim_+0", "Carnival_delim_+1",
    ]);
    const minus1 = features.find((f) => f.name === "Black Friday_delim_-1")!;
    expect(minus1.days.map((d) => day(new Date(d)))).toEqual(["2017-11-23", "2018-11-22"]);
    expect(holidayFeatureName("X", -2)).toBe("X_delim_-2");
    const augurs = toAugursHolidays(features);
    expect(augurs.get("Carnival_delim_+1")!.occurrences).toEqual([
      { start: Date.UTC(2017, 1, 28) / 1000, end: Date.UTC(2017, 2, 1) / 1000 },
      { start: Date.UTC(2018, 1, 13) / 1000, end: Date.UTC(2018, 1, 14) / 1000 },
    ]);
    // Sub-daily rows are on the holiday for the whole UTC calendar day, as in Prophet (matching by date).
    const hours = [Date.UTC(2018, 1, 12, 23), Date.UTC(2018, 1, 13, 0), Date.UTC(2018, 1, 13, 23, 59), Date.UTC(2018, 1, 14)];
    expect([...holidayIndicator(augursFeature(features, "Carnival_delim_+1"), hours)]).toEqual([0, 1, 1, 0]);
  });

  it("merges repeated rows and keeps each date once", () => {
    const d = new Date(Date.UTC(2020, 0, 1));
    const features = expandHolidayWindows([
      { ds: d, holiday: "A", lowerWindow: 0, upperWindow: 0 },
      { ds: d, holiday: "A", lowerWindow: -1, upperWindow: 0 },
    ]);
    expect(features.map((f) => [f.name, f.days.length])).toEqual([["A_delim_+0", 1], ["A_delim_-1", 1]]);
  });
});

function augursFeature<T extends { name: string }>(features: readonly T[], name: string): T {
  return features.find((f) => f.name === name)!;
}

describe("parseHolidaysCsv", () => {
  const parse = (text: string): HolidayRow[] => parseHolidaysCsv(text, "h.csv");
  const error = (text: string): DataValidationError => {
    try {
      parse(text);
    } catch (e) {
      if (e instanceof DataValidationError) return e;
      throw e;
    }
    throw new Error("expected a DataValidationError");
  };

  it("reads Prophet's table (quoted fields, CRLF, BOM, pandas' -1.0 windows, windows optional)", () => {
    const rows = parse('\ufeff"ds","holiday","lower_window","upper_window"\r\n"2017-11-24","Black Friday",-1.0,3\r\n2018-01-01,"New Year\'s Day, observed",0,0\r\n\r\n');
    expect(rowsAsText(rows)).toEqual(["2017-11-24 Black Friday -1 3", "2018-01-01 New Year's Day, observed 0 0"]);
    expect(rowsAsText(parse("holiday,ds\nX,2020-02-29 00:00:00\n"))).toEqual(["2020-02-29 X 0 0"]);
  });

  it("names the line and column of a problem", () => {
    let e = error("ds,holiday,lower_window,upper_window\n2020-01-01,A,0,0\n2020-02-30,B,0,0\n");
    expect([e.row, e.column, e.value]).toEqual([3, "ds", "2020-02-30"]);
    expect(e.message).toMatch(/h\.csv, row 3, column 'ds': not a calendar date: found "2020-02-30"; expected YYYY-MM-DD/);
    e = error("ds,holiday,lower_window,upper_window\n2020-01-01,A,1,0\n");
    expect([e.row, e.column]).toEqual([2, "lower_window"]);
    expect(e.message).toMatch(/<= 0/);
    e = error("ds,holiday,lower_window,upper_window\n2020-01-01,A,0,-2\n");
    expect([e.row, e.column]).toEqual([2, "upper_window"]);
    e = error("ds,holiday,lower_window,upper_window\n2020-01-01,A,0,1.5\n");
    expect(e.problem).toMatch(/whole number/);
    e = error("ds,holiday,lower_window,upper_window\n2020-01-01,,0,0\n");
    expect([e.row, e.column]).toEqual([2, "holiday"]);
    e = error("ds,holiday,lower_window,upper_window\n2020-01-01,A_delim_x,0,0\n");
    expect(e.problem).toMatch(/_delim_/);
    e = error("ds,holiday,lower_window,upper_window\n2020-01-01,trend,0,0\n");
    expect(e.problem).toMatch(/reserves/);
    e = error("ds,holiday,lower_window,upper_window\n2020-01-01,A,0\n");
    expect(e.row).toBe(2);
    expect(e.problem).toMatch(/3 fields where the header has 4/);
    e = error('ds,holiday\n2020-01-01,"A\n');
    expect(e.problem).toMatch(/not closed/);
  });

  it("checks the header", () => {
    expect(error("").problem).toMatch(/empty/);
    expect(error("date,holiday\n").column).toBe("ds");
    expect(error("ds,holiday,lower_window\n2020-01-01,A,0\n").column).toBe("upper_window");
    expect(error("ds,holiday,prior_scale\n2020-01-01,A,1\n").problem).toMatch(/prior scales are not supported/);
    expect(error("ds,holiday,colour\n2020-01-01,A,red\n").problem).toMatch(/unknown column/);
    expect(error("ds,holiday\n").problem).toMatch(/no holiday rows/);
  });
});

describe("holidays in a fit", () => {
  it("the reference holiday table as a CSV table fits exactly like holidays: 'BR'", async () => {
    const c = loadCase("revenue_additive_holidays");
    const table = parseHolidaysCsv(readFileSync(join(FIXTURES, "revenue_additive_holidays.holidays.csv"), "utf8"), "revenue_additive_holidays.holidays.csv");
    const fromTable = await fitProphet(c.history, { ...c.config, holidays: table, uncertaintySamples: 0 });
    const fromBr = await fitProphet(c.history, { ...c.config, holidays: "BR", uncertaintySamples: 0 });
    expect(fromTable.params).toEqual(fromBr.params);
  });

  it("BR-retail explains the Black Friday 2017 spike; per-holiday components add up to 'holidays'", async () => {
    const c = loadCase("revenue_additive_holidays");
    const fitted = await fitProphet(c.history, { holidays: "BR-retail", uncertaintySamples: 0 });
    const names = fitted.params.betaNames!;
    for (const offset of ["-1", "+0", "+1", "+2", "+3"]) expect(names).toContain(`Black Friday_delim_${offset}`);
    expect(names).toContain("Carnival_delim_+1");
    const ds = c.history.ds;
    const f = fitted.predict(ds);
    const at = (iso: string): number => ds.findIndex((d) => day(d) === iso);
    const bf = at("2017-11-24");
    expect(f.components["Black Friday"]![bf]!).toBeGreaterThan(40_000); // the spike is ~4.2x a ~35k day
    expect(f.components["Black Friday"]![at("2017-11-01")]).toBe(0);
    const holidayNames = Object.keys(f.components).filter((k) => !["weekly", "yearly", "daily", "holidays"].includes(k));
    expect(holidayNames).toHaveLength(13);
    for (let i = 0; i < ds.length; i += 7) {
      const sum = holidayNames.reduce((s, h) => s + f.components[h]![i]!, 0);
      expect(sum).toBeCloseTo(f.components["holidays"]![i]!, 6);
    }
    // Without Black Friday (BR) the spike stays in the residual.
    const br = (await fitProphet(c.history, { holidays: "BR", uncertaintySamples: 0 })).predict([ds[bf]!]);
    expect(f.yhat[bf]! - br.yhat[0]!).toBeGreaterThan(40_000);
  });
});
