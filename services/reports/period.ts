import { nextMonth, previousMonth, type CycleCalendar, type IsoDate, type YearMonth } from '../calendar';
import { QaError } from '../errors';

/**
 * The period a report covers: a London calendar month, a calendar quarter (Q1 is
 * January to March: the framework names no financial year, so quarters are the
 * calendar's) or a calendar year.
 */
export type PeriodKind = 'monthly' | 'quarterly' | 'yearly';

export interface ReportPeriod {
  kind: PeriodKind;
  /** 2027-01, 2027-Q1 or 2027. */
  key: string;
  /** Every month of the period, in order. */
  months: YearMonth[];
  first: YearMonth;
  last: YearMonth;
  /** "January 2027", "Q1 2027 (January to March)", "2027". */
  label: string;
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export const monthName = (month: YearMonth): string => `${MONTH_NAMES[Number(month.slice(5, 7)) - 1] ?? month} ${month.slice(0, 4)}`;
/** "Jan 27": for chart axes. */
export const shortMonthName = (month: YearMonth): string => `${(MONTH_NAMES[Number(month.slice(5, 7)) - 1] ?? month).slice(0, 3)} ${month.slice(2, 4)}`;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/i;
const YEAR = /^(\d{4})$/;

function monthsFrom(first: YearMonth, count: number): YearMonth[] {
  const months = [first];
  while (months.length < count) months.push(nextMonth(months[months.length - 1] as YearMonth));
  return months;
}

function build(kind: PeriodKind, key: string, first: YearMonth, count: number): ReportPeriod {
  const months = monthsFrom(first, count);
  const last = months[months.length - 1] as YearMonth;
  const year = first.slice(0, 4);
  const label =
    kind === 'monthly' ? monthName(first) : kind === 'quarterly' ? `${key.slice(5)} ${year} (${monthName(first).split(' ')[0]} to ${monthName(last).split(' ')[0]})` : year;
  return { kind, key, months, first, last, label };
}

const invalid = (kind: PeriodKind, text: string): QaError =>
  new QaError('INVALID_INPUT', `bad ${kind} period`, {
    userMessage:
      kind === 'monthly'
        ? 'A month is written YYYY-MM, e.g. 2027-01.'
        : kind === 'quarterly'
          ? 'A quarter is written YYYY-Qn, e.g. 2027-Q1 (Q1 is January to March).'
          : 'A year is written YYYY, e.g. 2027.',
    detail: { length: text.length },
  });

/** Reads a period as people write it; a wrong one is an INVALID_INPUT saying how to write it. */
export function parsePeriod(kind: PeriodKind, text: string): ReportPeriod {
  const value = text.trim();
  if (kind === 'monthly') {
    if (!MONTH.test(value)) throw invalid(kind, text);
    return build(kind, value, value, 1);
  }
  if (kind === 'quarterly') {
    const match = QUARTER.exec(value);
    if (match === null) throw invalid(kind, text);
    const quarter = Number(match[2]);
    return build(kind, `${match[1]}-Q${quarter}`, `${match[1]}-${String(quarter * 3 - 2).padStart(2, '0')}`, 3);
  }
  const match = YEAR.exec(value);
  if (match === null) throw invalid(kind, text);
  return build(kind, value, `${value}-01`, 12);
}

/** A period from how it is written alone: 2027-01, 2027-Q1 or 2027. */
export function periodFromKey(text: string): ReportPeriod | undefined {
  const value = text.trim();
  if (MONTH.test(value)) return parsePeriod('monthly', value);
  if (QUARTER.test(value)) return parsePeriod('quarterly', value);
  if (YEAR.test(value)) return parsePeriod('yearly', value);
  return undefined;
}

export const isPeriodKind = (value: string): value is PeriodKind => value === 'monthly' || value === 'quarterly' || value === 'yearly';

/** The calendar quarter a month is in: 2027-02 is 2027-Q1. */
export const quarterOf = (month: YearMonth): string => `${month.slice(0, 4)}-Q${Math.ceil(Number(month.slice(5, 7)) / 3)}`;

/** The twelve months ending with `last`, oldest first: the window of a report's trend. */
export const twelveMonthsTo = (last: YearMonth): YearMonth[] => monthsFrom(previousMonthsBack(last, 11), 12);

function previousMonthsBack(month: YearMonth, count: number): YearMonth {
  let at = month;
  for (let i = 0; i < count; i++) at = previousMonth(at);
  return at;
}

/** The last active month before `month` (the one a monthly report on `month`'s first working day is about). */
export function lastActiveMonthBefore(calendar: CycleCalendar, month: YearMonth): YearMonth {
  let at = previousMonth(month);
  while (!calendar.isActiveMonth(at)) at = previousMonth(at);
  return at;
}

/** The first London day of a month and the last. */
export const firstDayOf = (month: YearMonth): IsoDate => `${month}-01`;
export function lastDayOf(month: YearMonth): IsoDate {
  const [year = 0, number = 1] = month.split('-').map(Number);
  return new Date(Date.UTC(year, number, 0)).toISOString().slice(0, 10);
}
