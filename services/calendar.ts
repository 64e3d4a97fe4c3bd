import { readFileSync } from 'node:fs';
import { z } from 'zod';
import shippedBankHolidays from './bank-holidays.json';
import { QaError } from './errors';

/**
 * The QA cycle calendar. Every date and time here is Europe/London, because that is
 * where the Trust works; instants (Date) are only ever converted at the edges.
 *
 * Civil dates are done with integer day numbers rather than Date objects so that no
 * local time zone (of the server, or of a test machine) can shift a day.
 */

/** A London calendar month, 'YYYY-MM'. */
export type YearMonth = string;
/** A London calendar date, 'YYYY-MM-DD'. */
export type IsoDate = string;
/** A London wall-clock time, 'HH:MM' (24-hour). */
export type ClockTime = string;

export interface CalendarOptions {
  /** Months (1–12) in which no QA cycle runs. Defaults to August and December. */
  pausedMonths?: number[];
  /** Bank holidays as 'YYYY-MM-DD', usually from loadBankHolidays(). */
  bankHolidays: Set<string>;
}

export interface CycleCalendar {
  isActiveMonth(month: YearMonth): boolean;
  /** Monday to Friday and not a bank holiday. */
  isWorkingDay(date: IsoDate): boolean;
  workingDays(month: YearMonth): IsoDate[];
  firstWorkingDay(month: YearMonth): IsoDate;
  lastWorkingDay(month: YearMonth): IsoDate;
  /** The first working day on or after the 15th. */
  midMonthWorkingDay(month: YearMonth): IsoDate;
  /** The n-th last working day: n = 1 is the last, n = 3 leaves three working days including itself. */
  workingDaysBeforeEnd(month: YearMonth, n: number): IsoDate;
  /** Moves n working days forward (back if negative); n = 0 returns the date as given. */
  addWorkingDays(date: IsoDate, n: number): IsoDate;
  /** Active months from 2026-01 up to (not including) this one; negative before 2026. Paused months have none. */
  activeMonthIndex(month: YearMonth): number;
  londonDateOf(instant: Date): IsoDate;
  londonTime(date: IsoDate, time: ClockTime): Date;
  /** On a working day, from `from` (inclusive) to `to` (exclusive), London time. */
  isWithinWorkingHours(instant: Date, from?: ClockTime, to?: ClockTime): boolean;
}

export const DEFAULT_PAUSED_MONTHS: readonly number[] = [8, 12];
/** activeMonthIndex counts from here: the first month of the QA framework. */
const INDEX_ORIGIN: YearMonth = '2026-01';

const LONDON = 'Europe/London';
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

// ---------------------------------------------------------------- validation

const invalid = (message: string): QaError => new QaError('INVALID_INPUT', message);

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DATE_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

function parseMonth(month: YearMonth): { year: number; month: number } {
  const match = typeof month === 'string' ? MONTH_PATTERN.exec(month) : null;
  if (!match) throw invalid(`Month must be YYYY-MM, got ${JSON.stringify(month)}`);
  return { year: Number(match[1]), month: Number(match[2]) };
}

function parseDate(date: IsoDate): { year: number; month: number; day: number } {
  const match = typeof date === 'string' ? DATE_PATTERN.exec(date) : null;
  const parts = match ? { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) } : null;
  // The pattern lets 2026-02-30 through; the day count of the month does not.
  if (!parts || parts.day > daysInMonth(parts.year, parts.month)) {
    throw invalid(`Date must be a real YYYY-MM-DD date, got ${JSON.stringify(date)}`);
  }
  return parts;
}

function parseTime(time: ClockTime): number {
  const match = typeof time === 'string' ? TIME_PATTERN.exec(time) : null;
  if (!match) throw invalid(`Time must be HH:MM (24-hour), got ${JSON.stringify(time)}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

function checkInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) throw invalid('Expected a valid Date instant');
}

function checkInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value)) throw invalid(`${name} must be a whole number, got ${String(value)}`);
}

// ------------------------------------------------------------ civil dates

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** Days since 1970-01-01 (H. Hinnant's days_from_civil): exact for any Gregorian date. */
function dayNumber(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The inverse of dayNumber, formatted; refuses to leave four-digit years. */
function dateOfDayNumber(days: number): IsoDate {
  const z0 = days + 719468;
  const era = Math.floor(z0 / 146097);
  const dayOfEra = z0 - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 0 || year > 9999) throw invalid(`Date falls outside years 0000–9999`);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

const dayNumberOf = (date: IsoDate): number => {
  const { year, month, day } = parseDate(date);
  return dayNumber(year, month, day);
};

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
const weekdayOf = (days: number): number => (((days + 4) % 7) + 7) % 7;

/** Months since year 0, so month arithmetic is plain integer arithmetic. */
const monthNumber = (month: YearMonth): number => {
  const parts = parseMonth(month);
  return parts.year * 12 + parts.month - 1;
};

function monthOfNumber(value: number): YearMonth {
  const year = Math.floor(value / 12);
  if (year < 0 || year > 9999) throw invalid('Month falls outside years 0000–9999');
  return `${pad(year, 4)}-${pad((value % 12) + 1)}`;
}

export const nextMonth = (month: YearMonth): YearMonth => monthOfNumber(monthNumber(month) + 1);
export const previousMonth = (month: YearMonth): YearMonth => monthOfNumber(monthNumber(month) - 1);
/** Signed count of months from `from` to `to`: 2026-01 → 2026-03 is 2, and the reverse is -2. */
export const monthsBetween = (from: YearMonth, to: YearMonth): number => monthNumber(to) - monthNumber(from);

// ------------------------------------------------------------ London time

// hourCycle h23: some engines print midnight as "24" with hour12: false.
const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** London wall-clock fields of an instant. */
function londonFields(instant: Date): { year: number; month: number; day: number; minutes: number; seconds: number } {
  const value: Record<string, number> = {};
  for (const part of londonParts.formatToParts(instant)) {
    if (part.type !== 'literal') value[part.type] = Number(part.value);
  }
  const field = (name: string): number => value[name] ?? 0;
  return {
    year: field('year'),
    month: field('month'),
    day: field('day'),
    minutes: field('hour') * 60 + field('minute'),
    seconds: field('second'),
  };
}

/** London's offset from UTC at an instant, in ms (0 in winter, 3,600,000 in summer). */
function londonOffsetMs(instantMs: number): number {
  const fields = londonFields(new Date(instantMs));
  const wallAsUtc = dayNumber(fields.year, fields.month, fields.day) * DAY_MS + fields.minutes * MINUTE_MS + fields.seconds * 1000;
  return wallAsUtc - Math.floor(instantMs / 1000) * 1000;
}

/** The London date of an instant, e.g. 23:30Z on 31 March 2026 is already 2026-04-01. */
export function londonDateOf(instant: Date): IsoDate {
  checkInstant(instant);
  const fields = londonFields(instant);
  return `${pad(fields.year, 4)}-${pad(fields.month)}-${pad(fields.day)}`;
}

/** The London month of an instant. */
export const monthOf = (instant: Date): YearMonth => londonDateOf(instant).slice(0, 7);

const londonDayFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: LONDON });
/** When something happened, as people read it: "Monday 4 January" (London day); empty when it has not. */
export const whenLabel = (instant: Date | null): string => (instant === null ? '' : londonDayFormat.format(instant));

/**
 * The instant at which London clocks show `time` on `date`. Clocks change at most once a
 * day, so the offsets a day either side are the only candidates. When the clocks go
 * back the time happens twice and the first is meant; when they go forward it does not
 * happen at all, and the winter offset carries it an hour on (01:30 becomes 02:30 BST).
 */
export function londonTime(date: IsoDate, time: ClockTime): Date {
  const wallAsUtc = dayNumberOf(date) * DAY_MS + parseTime(time) * MINUTE_MS;
  const offsetBefore = londonOffsetMs(wallAsUtc - DAY_MS);
  const offsetAfter = londonOffsetMs(wallAsUtc + DAY_MS);
  const matches = [wallAsUtc - offsetBefore, wallAsUtc - offsetAfter].filter(
    (candidate) => candidate + londonOffsetMs(candidate) === wallAsUtc,
  );
  return new Date(matches.length > 0 ? Math.min(...matches) : wallAsUtc - offsetBefore);
}

// ------------------------------------------------------------ bank holidays

const holidayFileSchema = z.object({
  division: z.string().min(1),
  // Year keys are checked below: zod reports a bad record key only as "Invalid key in record".
  dates: z.record(
    z.string(),
    z.array(z.object({ date: z.string().regex(DATE_PATTERN, 'must be YYYY-MM-DD'), title: z.string().min(1) })),
  ),
});

/** Checks a bank holiday file and returns its dates; `source` names it in errors. */
function parseBankHolidays(data: unknown, source: string): Set<string> {
  const refuse = (problem: string): QaError =>
    new QaError('CONFIG_INVALID', `Bank holiday file ${source}: ${problem}`, { detail: { file: source } });
  const result = holidayFileSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `at ${issue.path.length > 0 ? issue.path.join('.') : 'the top level'}: ${issue.message}`);
    throw refuse(problems.join('; '));
  }
  const dates = new Set<string>();
  for (const [year, holidays] of Object.entries(result.data.dates)) {
    if (!/^\d{4}$/.test(year)) throw refuse(`year key ${JSON.stringify(year)} under dates must be four digits, e.g. "2031"`);
    for (const { date } of holidays) {
      try {
        parseDate(date);
      } catch {
        throw refuse(`${date} is not a real date`);
      }
      // A holiday filed under the wrong year is almost always a typing slip.
      if (!date.startsWith(`${year}-`)) throw refuse(`${date} is listed under ${year}`);
      if (dates.has(date)) throw refuse(`${date} is listed twice`);
      dates.add(date);
    }
  }
  return dates;
}

/**
 * England and Wales bank holidays: the shipped list (2026–2030), or a file in the same
 * shape that replaces it, so that a Trust can go beyond 2030, correct a moved holiday or
 * add a one-off one. Beyond the list only weekends are non-working days.
 */
export function loadBankHolidays(overridePath?: string): Set<string> {
  if (overridePath === undefined) return parseBankHolidays(shippedBankHolidays, 'bank-holidays.json (shipped)');
  let text: string;
  try {
    text = readFileSync(overridePath, 'utf8');
  } catch (error) {
    throw new QaError('CONFIG_INVALID', `Bank holiday file ${overridePath}: cannot be read (${(error as Error).message})`, {
      detail: { file: overridePath },
      cause: error,
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new QaError('CONFIG_INVALID', `Bank holiday file ${overridePath}: is not valid JSON (${(error as Error).message})`, {
      detail: { file: overridePath },
      cause: error,
    });
  }
  return parseBankHolidays(data, overridePath);
}

// ------------------------------------------------------------ the calendar

export function createCalendar(options: CalendarOptions): CycleCalendar {
  const pausedList = options.pausedMonths ?? DEFAULT_PAUSED_MONTHS;
  for (const month of pausedList) {
    if (!Number.isInteger(month) || month < 1 || month > 12) throw invalid(`Paused months must be 1 to 12, got ${String(month)}`);
  }
  const paused = new Set(pausedList);
  if (paused.size >= 12) throw invalid('At least one month of the year must be active');
  if (!(options.bankHolidays instanceof Set)) throw invalid('bankHolidays must be a Set of YYYY-MM-DD dates');
  for (const date of options.bankHolidays) parseDate(date);
  const bankHolidays = new Set(options.bankHolidays);

  // activeBefore[k]: active months among January…(k-th month), so counting is O(1) for any year.
  const activeBefore = [0];
  for (let month = 1; month <= 12; month += 1) activeBefore.push((activeBefore[month - 1] ?? 0) + (paused.has(month) ? 0 : 1));
  const activePerYear = activeBefore[12] ?? 0;
  /** Active months from January of year 0 up to, not including, month number n. */
  const activeUpTo = (n: number): number => Math.floor(n / 12) * activePerYear + (activeBefore[n % 12] ?? 0);

  const isActiveMonth = (month: YearMonth): boolean => !paused.has(parseMonth(month).month);

  const isWorkingDayNumber = (days: number): boolean => {
    const weekday = weekdayOf(days);
    return weekday !== 0 && weekday !== 6 && !bankHolidays.has(dateOfDayNumber(days));
  };

  const workingDays = (month: YearMonth): IsoDate[] => {
    const { year, month: monthOfYear } = parseMonth(month);
    const first = dayNumber(year, monthOfYear, 1);
    const days: IsoDate[] = [];
    for (let offset = 0; offset < daysInMonth(year, monthOfYear); offset += 1) {
      if (isWorkingDayNumber(first + offset)) days.push(dateOfDayNumber(first + offset));
    }
    return days;
  };

  // A month without the day asked for only happens with a broken override file; say so plainly.
  const found = (date: IsoDate | undefined, month: YearMonth, what: string): IsoDate => {
    if (date === undefined) throw invalid(`${month} has no ${what}`);
    return date;
  };

  return {
    isActiveMonth,
    isWorkingDay: (date) => isWorkingDayNumber(dayNumberOf(date)),
    workingDays,
    firstWorkingDay: (month) => found(workingDays(month)[0], month, 'working day'),
    lastWorkingDay: (month) => found(workingDays(month).at(-1), month, 'working day'),
    midMonthWorkingDay: (month) =>
      found(
        workingDays(month).find((date) => date.slice(8) >= '15'),
        month,
        'working day on or after the 15th',
      ),
    workingDaysBeforeEnd(month, n) {
      checkInteger('n', n);
      const days = workingDays(month);
      if (n < 1 || n > days.length) throw invalid(`n must be 1 to ${days.length} for ${month}, got ${n}`);
      return days[days.length - n] as IsoDate;
    },
    addWorkingDays(date, n) {
      checkInteger('n', n);
      let days = dayNumberOf(date);
      const step = n < 0 ? -1 : 1;
      for (let left = Math.abs(n); left > 0; ) {
        days += step;
        if (isWorkingDayNumber(days)) left -= 1;
      }
      return dateOfDayNumber(days);
    },
    activeMonthIndex(month) {
      if (!isActiveMonth(month)) throw invalid(`${month} is a paused month and has no place in the cycle`);
      return activeUpTo(monthNumber(month)) - activeUpTo(monthNumber(INDEX_ORIGIN));
    },
    londonDateOf,
    londonTime,
    isWithinWorkingHours(instant, from = '09:00', to = '17:30') {
      checkInstant(instant);
      const start = parseTime(from);
      const end = parseTime(to);
      if (start >= end) throw invalid(`Working hours must start before they end, got ${from}–${to}`);
      if (!isWorkingDayNumber(dayNumberOf(londonDateOf(instant)))) return false;
      const minutes = londonFields(instant).minutes;
      return minutes >= start && minutes < end;
    },
  };
}
