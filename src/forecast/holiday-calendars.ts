import { MS_PER_DAY } from "../io/time.js";
/**
 * Brazilian holiday calendars, as day lists in UTC.
 *
 * - `BR`: R Prophet 1.0's country list for Brazil (its `generated_holidays` table, built from the Python
 *   `holidays` package): eight fixed-date national holidays, with Prophet's English names. The table in R
 *   Prophet 1.0 covers 1995-2044 with the same eight dates every year.
 * - `BR-retail`: `BR` plus the movable days that move Brazilian retail: Carnival (Monday and Tuesday,
 *   Easter - 48 and - 47), Good Friday (Easter - 2), Corpus Christi (Easter + 60), Black Friday (the Friday after the
 *   fourth Thursday of November, as in the US, with the Thursday before and the weekend and Cyber Monday after) and Mother's Day
 *   (second Sunday of May, with the three days before, when the gifts are bought).
 */

export { MS_PER_DAY } from "../io/time.js";

/** A holiday day rule: name, window in days around the date, and the date in a given year. */
export interface HolidayRule {
  readonly name: string;
  readonly lowerWindow: number;
  readonly upperWindow: number;
  /** The holiday's date in `year` (UTC midnight). */
  date(year: number): Date;
}

function utcDate(year: number, monthIndex: number, day: number): Date {
  return new Date(Date.UTC(year, monthIndex, day));
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * MS_PER_DAY);
}

/**
 * Easter Sunday of a Gregorian year (the anonymous Gregorian computus of Meeus/Jones/Butcher: the first
 * Sunday after the ecclesiastical full moon on or after 21 March).
 */
export function easterSunday(year: number): Date {
  if (!Number.isInteger(year) || year < 1583) throw new RangeError(`easterSunday: expected a Gregorian year (integer >= 1583), got ${year}`);
  const a = year % 19; // position in the 19-year Metonic cycle
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3); // lunar correction
  const h = (19 * a + b - d - g + 15) % 30; // epact-related: days from 21 March to the full moon
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7; // days from the full moon to the next Sunday
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31); // 3 = March, 4 = April
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return utcDate(year, month - 1, day);
}

/** The n-th (1-based) given weekday (0 = Sunday ... 6 = Saturday) of a month (0-based month index), UTC. */
export function nthWeekdayOfMonth(year: number, monthIndex: number, weekday: number, n: number): Date {
  const first = utcDate(year, monthIndex, 1);
  const shift = (weekday - first.getUTCDay() + 7) % 7;
  return utcDate(year, monthIndex, 1 + shift + 7 * (n - 1));
}

function fixed(name: string, monthIndex: number, day: number): HolidayRule {
  return { name, lowerWindow: 0, upperWindow: 0, date: (year) => utcDate(year, monthIndex, day) };
}

function easterOffset(name: string, offset: number, lowerWindow = 0, upperWindow = 0): HolidayRule {
  return { name, lowerWindow, upperWindow, date: (year) => addDays(easterSunday(year), offset) };
}

/** R Prophet 1.0's `BR` holidays (names exactly as Prophet writes them). */
export const BR_HOLIDAY_RULES: readonly HolidayRule[] = [
  fixed("New Year's Day", 0, 1),
  fixed("Tiradentes", 3, 21),
  fixed("Worker's Day", 4, 1),
  fixed("Independence Day", 8, 7),
  fixed("Our Lady of the Apparition", 9, 12),
  fixed("All Souls' Day", 10, 2),
  fixed("Republic Proclamation Day", 10, 15),
  fixed("Christmas", 11, 25),
];

/** Black Friday's window: Thursday before (-1) through Cyber Monday (+3). */
export const BLACK_FRIDAY_WINDOW = { lowerWindow: -1, upperWindow: 3 } as const;
/** Mother's Day window: the three days before (gift buying) through the Sunday itself. */
export const MOTHERS_DAY_WINDOW = { lowerWindow: -3, upperWindow: 0 } as const;

/** The days `BR-retail` adds to `BR`. */
export const BR_RETAIL_EXTRA_RULES: readonly HolidayRule[] = [
  // One holiday over two days: Carnival Monday (+0) and Tuesday (+1) get their own effects.
  easterOffset("Carnival", -48, 0, 1),
  easterOffset("Good Friday", -2),
  easterOffset("Corpus Christi", 60),
  {
    name: "Black Friday",
    ...BLACK_FRIDAY_WINDOW,
    // The day after the fourth Thursday (US Thanksgiving): the fourth Friday, or the fifth when
    // November starts on a Friday (2013, 2019, 2024, 2030).
    date: (year) => addDays(nthWeekdayOfMonth(year, 10, 4, 4), 1),
  },
  {
    name: "Mother's Day",
    ...MOTHERS_DAY_WINDOW,
    date: (year) => nthWeekdayOfMonth(year, 4, 0, 2),
  },
];

export function holidayRules(kind: "BR" | "BR-retail"): readonly HolidayRule[] {
  return kind === "BR" ? BR_HOLIDAY_RULES : [...BR_HOLIDAY_RULES, ...BR_RETAIL_EXTRA_RULES];
}
