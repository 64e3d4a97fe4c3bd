import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import shipped from '../../services/bank-holidays.json';
import {
  createCalendar,
  loadBankHolidays,
  londonDateOf,
  londonTime,
  monthOf,
  monthsBetween,
  nextMonth,
  previousMonth,
} from '../../services/calendar';
import { QaError } from '../../services/errors';

const calendar = createCalendar({ bankHolidays: loadBankHolidays() });

/** Weekday of a 'YYYY-MM-DD' worked out independently of the module under test. */
const weekdayName = (date: string): string =>
  new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' });

const utc = (date: Date): string => date.toISOString();

/** The QaError a call throws, so tests can look at its code and message. */
const thrown = (call: () => unknown): QaError => {
  try {
    call();
  } catch (error) {
    if (error instanceof QaError) return error;
    throw error;
  }
  throw new Error('expected a QaError');
};

const monthsOf = (year: number): string[] => Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);

describe('bank holidays shipped for England and Wales', () => {
  test('2026 is exactly the published list, with Boxing Day moved to Monday 28 December', () => {
    expect(shipped.division).toBe('england-and-wales');
    expect(shipped.dates['2026']).toEqual([
      { date: '2026-01-01', title: 'New Year’s Day' },
      { date: '2026-04-03', title: 'Good Friday' },
      { date: '2026-04-06', title: 'Easter Monday' },
      { date: '2026-05-04', title: 'Early May bank holiday' },
      { date: '2026-05-25', title: 'Spring bank holiday' },
      { date: '2026-08-31', title: 'Summer bank holiday' },
      { date: '2026-12-25', title: 'Christmas Day' },
      { date: '2026-12-28', title: 'Boxing Day (substitute day)' },
    ]);
  });

  test('covers 2026 to 2030 with eight holidays a year, each on a weekday of its own year', () => {
    expect(Object.keys(shipped.dates)).toEqual(['2026', '2027', '2028', '2029', '2030']);
    for (const [year, holidays] of Object.entries(shipped.dates)) {
      expect(holidays).toHaveLength(8);
      for (const { date } of holidays) {
        expect(date.startsWith(`${year}-`)).toBe(true);
        expect(['Saturday', 'Sunday']).not.toContain(weekdayName(date));
      }
    }
    expect(loadBankHolidays().size).toBe(40);
  });

  test('Easter and substitute days in later years', () => {
    const holidays = loadBankHolidays();
    // Easter Sundays: 28 Mar 2027, 16 Apr 2028, 1 Apr 2029, 21 Apr 2030.
    for (const date of ['2027-03-26', '2027-03-29', '2028-04-14', '2028-04-17', '2029-03-30', '2029-04-02', '2030-04-19', '2030-04-22']) {
      expect(holidays.has(date)).toBe(true);
    }
    // Christmas 2027 is a weekend: Monday and Tuesday stand in.
    expect(holidays.has('2027-12-27')).toBe(true);
    expect(holidays.has('2027-12-28')).toBe(true);
    // 1 January 2028 is a Saturday: Monday 3 January stands in.
    expect(holidays.has('2028-01-03')).toBe(true);
    expect(holidays.has('2028-01-01')).toBe(false);
  });
});

describe('months', () => {
  test('next, previous and the signed distance between months, across year ends', () => {
    expect(nextMonth('2026-12')).toBe('2027-01');
    expect(nextMonth('2026-01')).toBe('2026-02');
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(monthsBetween('2026-01', '2026-03')).toBe(2);
    expect(monthsBetween('2026-11', '2027-02')).toBe(3);
    expect(monthsBetween('2027-02', '2026-11')).toBe(-3);
    expect(monthsBetween('2026-05', '2026-05')).toBe(0);
  });

  test('the month of an instant is the London month', () => {
    // 23:30Z on 31 March 2026 is 00:30 BST on 1 April.
    expect(monthOf(new Date('2026-03-31T23:30:00Z'))).toBe('2026-04');
    // In winter London is on UTC: 23:30Z on 30 November is still November.
    expect(monthOf(new Date('2026-11-30T23:30:00Z'))).toBe('2026-11');
    expect(londonDateOf(new Date('2026-06-30T23:00:00Z'))).toBe('2026-07-01');
    expect(londonDateOf(new Date('2026-06-30T22:59:59Z'))).toBe('2026-06-30');
  });
});

describe('active months', () => {
  test('2026 has ten active months by default; August and December are paused', () => {
    const active = monthsOf(2026).filter((month) => calendar.isActiveMonth(month));
    expect(active).toHaveLength(10);
    expect(calendar.isActiveMonth('2026-08')).toBe(false);
    expect(calendar.isActiveMonth('2026-12')).toBe(false);
    expect(calendar.isActiveMonth('2026-09')).toBe(true);
  });

  test('the index counts active months from January 2026 and skips the paused ones', () => {
    expect(calendar.activeMonthIndex('2026-01')).toBe(0);
    expect(calendar.activeMonthIndex('2026-02')).toBe(1);
    expect(calendar.activeMonthIndex('2026-07')).toBe(6);
    expect(calendar.activeMonthIndex('2026-09')).toBe(7);
    expect(calendar.activeMonthIndex('2026-11')).toBe(9);
    expect(calendar.activeMonthIndex('2027-01')).toBe(10);
    expect(calendar.activeMonthIndex('2036-01')).toBe(100);
    expect(calendar.activeMonthIndex('2125-11')).toBe(99 * 10 + 9);
  });

  test('the index goes negative before 2026 and steps by one through every active month', () => {
    expect(calendar.activeMonthIndex('2025-11')).toBe(-1);
    expect(calendar.activeMonthIndex('2025-01')).toBe(-10);
    let expected = calendar.activeMonthIndex('2023-01');
    expect(expected).toBe(-30);
    for (let month = '2023-01'; month !== '2031-01'; month = nextMonth(month)) {
      if (!calendar.isActiveMonth(month)) continue;
      expect(calendar.activeMonthIndex(month)).toBe(expected);
      expected += 1;
    }
    expect(expected).toBe(50);
  });

  test('a paused month has no index', () => {
    expect(thrown(() => calendar.activeMonthIndex('2026-08')).code).toBe('INVALID_INPUT');
  });

  test('custom paused months', () => {
    const summerOff = createCalendar({ pausedMonths: [7, 8], bankHolidays: new Set() });
    expect(summerOff.isActiveMonth('2026-12')).toBe(true);
    expect(summerOff.isActiveMonth('2026-07')).toBe(false);
    expect(summerOff.activeMonthIndex('2026-09')).toBe(6);
    expect(summerOff.activeMonthIndex('2027-01')).toBe(10);

    const neverPaused = createCalendar({ pausedMonths: [], bankHolidays: new Set() });
    expect(monthsOf(2026).every((month) => neverPaused.isActiveMonth(month))).toBe(true);
    expect(neverPaused.activeMonthIndex('2027-01')).toBe(12);
    expect(neverPaused.activeMonthIndex('2025-12')).toBe(-1);

    // January paused: the first active month of 2026 is February, index 0.
    const januaryOff = createCalendar({ pausedMonths: [1], bankHolidays: new Set() });
    expect(januaryOff.activeMonthIndex('2026-02')).toBe(0);
    expect(januaryOff.activeMonthIndex('2025-12')).toBe(-1);
  });

  test.each([[[0]], [[13]], [[2.5]], [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]]])('paused months %j are refused', (pausedMonths) => {
    expect(thrown(() => createCalendar({ pausedMonths, bankHolidays: new Set() })).code).toBe('INVALID_INPUT');
  });

  test('a malformed bank holiday in the set is refused', () => {
    expect(thrown(() => createCalendar({ bankHolidays: new Set(['2026-13-01']) })).code).toBe('INVALID_INPUT');
  });
});

describe('working days', () => {
  test('weekends and bank holidays are not working days', () => {
    expect(calendar.isWorkingDay('2026-06-01')).toBe(true); // Monday
    expect(calendar.isWorkingDay('2026-06-06')).toBe(false); // Saturday
    expect(calendar.isWorkingDay('2026-06-07')).toBe(false); // Sunday
    expect(calendar.isWorkingDay('2026-04-03')).toBe(false); // Good Friday
    expect(calendar.isWorkingDay('2026-12-28')).toBe(false); // Boxing Day substitute
    expect(calendar.isWorkingDay('2026-12-29')).toBe(true);
  });

  test('working days of a month', () => {
    expect(calendar.workingDays('2026-02')).toHaveLength(20);
    // April 2026: 22 weekdays less Good Friday and Easter Monday.
    const april = calendar.workingDays('2026-04');
    expect(april).toHaveLength(20);
    expect(april).not.toContain('2026-04-03');
    expect(april.slice(0, 3)).toEqual(['2026-04-01', '2026-04-02', '2026-04-07']);
  });

  test('first working day of a month', () => {
    expect(calendar.firstWorkingDay('2026-06')).toBe('2026-06-01'); // Monday
    expect(calendar.firstWorkingDay('2026-01')).toBe('2026-01-02'); // Friday, after New Year's Day
    expect(calendar.firstWorkingDay('2026-03')).toBe('2026-03-02'); // 1 March is a Sunday
    expect(calendar.firstWorkingDay('2027-03')).toBe('2027-03-01'); // Monday
    expect(calendar.firstWorkingDay('2028-01')).toBe('2028-01-04'); // weekend, then the substitute Monday
  });

  test('last working day of a month', () => {
    expect(calendar.lastWorkingDay('2026-05')).toBe('2026-05-29'); // 31 May is a Sunday
    expect(calendar.lastWorkingDay('2026-08')).toBe('2026-08-28'); // 31 August is the Summer bank holiday
    expect(calendar.lastWorkingDay('2026-09')).toBe('2026-09-30');
  });

  test('mid-month working day: the first on or after the 15th', () => {
    expect(calendar.midMonthWorkingDay('2026-06')).toBe('2026-06-15'); // Monday
    expect(calendar.midMonthWorkingDay('2026-03')).toBe('2026-03-16'); // 15th is a Sunday
    expect(calendar.midMonthWorkingDay('2026-08')).toBe('2026-08-17'); // 15th is a Saturday
    expect(calendar.midMonthWorkingDay('2028-04')).toBe('2028-04-18'); // 15th Saturday, 17th Easter Monday
  });

  test('working days before the end: the n-th last working day', () => {
    expect(calendar.workingDaysBeforeEnd('2026-09', 3)).toBe('2026-09-28'); // Mon; 28, 29, 30 remain
    expect(calendar.workingDaysBeforeEnd('2026-09', 1)).toBe('2026-09-30');
    expect(calendar.workingDaysBeforeEnd('2026-10', 3)).toBe('2026-10-28'); // ends Saturday 31st
    expect(calendar.workingDaysBeforeEnd('2026-05', 3)).toBe('2026-05-27'); // ends Sunday 31st
    expect(calendar.workingDaysBeforeEnd('2026-08', 3)).toBe('2026-08-26'); // ends on a bank holiday
    expect(calendar.workingDaysBeforeEnd('2026-02', 20)).toBe('2026-02-02');
    expect(thrown(() => calendar.workingDaysBeforeEnd('2026-02', 21)).code).toBe('INVALID_INPUT');
    expect(thrown(() => calendar.workingDaysBeforeEnd('2026-02', 0)).code).toBe('INVALID_INPUT');
    expect(thrown(() => calendar.workingDaysBeforeEnd('2026-02', 1.5)).code).toBe('INVALID_INPUT');
  });

  test('adding working days skips weekends and bank holidays, both ways', () => {
    expect(calendar.addWorkingDays('2026-06-05', 1)).toBe('2026-06-08'); // Friday → Monday
    expect(calendar.addWorkingDays('2026-06-06', 1)).toBe('2026-06-08'); // from a Saturday
    expect(calendar.addWorkingDays('2026-12-24', 1)).toBe('2026-12-29'); // over Christmas
    expect(calendar.addWorkingDays('2026-04-02', 1)).toBe('2026-04-07'); // over Easter
    expect(calendar.addWorkingDays('2026-06-01', 10)).toBe('2026-06-15');
    expect(calendar.addWorkingDays('2026-12-29', -2)).toBe('2026-12-23');
    expect(calendar.addWorkingDays('2026-06-06', 0)).toBe('2026-06-06');
    expect(calendar.addWorkingDays('2026-12-31', 1)).toBe('2027-01-04'); // New Year's Day, weekend
  });

  test('beyond the shipped data only weekends are non-working', () => {
    expect(calendar.isWorkingDay('2031-01-01')).toBe(true); // a Wednesday with no list to say otherwise
    expect(calendar.isWorkingDay('2031-01-04')).toBe(false); // Saturday
  });
});

describe('London time', () => {
  test('09:00 either side of the spring change (29 March 2026)', () => {
    expect(utc(londonTime('2026-03-27', '09:00'))).toBe('2026-03-27T09:00:00.000Z');
    expect(utc(londonTime('2026-03-30', '09:00'))).toBe('2026-03-30T08:00:00.000Z');
  });

  test('09:00 either side of the autumn change (25 October 2026)', () => {
    expect(utc(londonTime('2026-10-23', '09:00'))).toBe('2026-10-23T08:00:00.000Z');
    expect(utc(londonTime('2026-10-26', '09:00'))).toBe('2026-10-26T09:00:00.000Z');
  });

  test('on spring-forward day a time that never happens is carried an hour on', () => {
    expect(utc(londonTime('2026-03-29', '00:59'))).toBe('2026-03-29T00:59:00.000Z');
    expect(utc(londonTime('2026-03-29', '01:30'))).toBe('2026-03-29T01:30:00.000Z'); // shown as 02:30 BST
    expect(utc(londonTime('2026-03-29', '02:00'))).toBe('2026-03-29T01:00:00.000Z');
    expect(utc(londonTime('2026-03-29', '09:00'))).toBe('2026-03-29T08:00:00.000Z');
  });

  test('on fall-back day a time that happens twice means the first', () => {
    expect(utc(londonTime('2026-10-25', '00:30'))).toBe('2026-10-24T23:30:00.000Z');
    expect(utc(londonTime('2026-10-25', '01:30'))).toBe('2026-10-25T00:30:00.000Z'); // BST, not GMT
    expect(utc(londonTime('2026-10-25', '02:00'))).toBe('2026-10-25T02:00:00.000Z');
  });

  test('midnight and the last minute of a day', () => {
    expect(utc(londonTime('2026-07-01', '00:00'))).toBe('2026-06-30T23:00:00.000Z');
    expect(utc(londonTime('2026-12-31', '23:59'))).toBe('2026-12-31T23:59:00.000Z');
    expect(calendar.londonDateOf(londonTime('2026-07-01', '00:00'))).toBe('2026-07-01');
  });

  test('working hours are 09:00 up to 17:30 London time on working days', () => {
    expect(calendar.isWithinWorkingHours(new Date('2026-06-01T08:00:00Z'))).toBe(true); // 09:00 BST
    expect(calendar.isWithinWorkingHours(new Date('2026-06-01T07:59:00Z'))).toBe(false); // 08:59 BST
    expect(calendar.isWithinWorkingHours(new Date('2026-06-01T16:29:00Z'))).toBe(true); // 17:29 BST
    expect(calendar.isWithinWorkingHours(new Date('2026-06-01T16:30:00Z'))).toBe(false); // 17:30 BST
    expect(calendar.isWithinWorkingHours(new Date('2026-11-02T17:00:00Z'))).toBe(true); // 17:00 GMT
    expect(calendar.isWithinWorkingHours(new Date('2026-06-06T10:00:00Z'))).toBe(false); // Saturday
    expect(calendar.isWithinWorkingHours(new Date('2026-05-25T10:00:00Z'))).toBe(false); // bank holiday
    expect(calendar.isWithinWorkingHours(new Date('2026-06-01T07:30:00Z'), '08:30', '16:00')).toBe(true);
    expect(thrown(() => calendar.isWithinWorkingHours(new Date('2026-06-01T10:00:00Z'), '17:00', '09:00')).code).toBe('INVALID_INPUT');
  });
});

describe('input checks', () => {
  test.each(['2026-1', '2026-13', '2026-00', '26-01', '2026/01', '', '2026-01-01'])('month %j is refused', (month) => {
    const error = thrown(() => calendar.isActiveMonth(month));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/YYYY-MM/);
  });

  test.each(['2026-02-29', '2026-04-31', '2026-6-1', '2026-06-01T00:00', 'tomorrow'])('date %j is refused', (date) => {
    const error = thrown(() => calendar.isWorkingDay(date));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/YYYY-MM-DD/);
  });

  test('a leap day is a real date', () => {
    expect(calendar.isWorkingDay('2028-02-29')).toBe(true);
  });

  test.each(['9:00', '24:00', '09:60', '0900'])('time %j is refused', (time) => {
    expect(thrown(() => londonTime('2026-06-01', time)).code).toBe('INVALID_INPUT');
  });

  test('an invalid instant is refused', () => {
    expect(thrown(() => monthOf(new Date('not a date'))).code).toBe('INVALID_INPUT');
    expect(thrown(() => calendar.addWorkingDays('2026-06-01', Number.NaN)).code).toBe('INVALID_INPUT');
  });
});

describe('bank holiday override file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'qa-loop-holidays-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const writeFile = (name: string, content: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content), 'utf8');
    return path;
  };

  test('a good file replaces the shipped list, and a calendar follows it', () => {
    const path = writeFile('good.json', {
      division: 'england-and-wales',
      dates: {
        '2031': [
          { date: '2031-01-01', title: 'New Year’s Day' },
          { date: '2031-04-11', title: 'Good Friday' },
        ],
        '2026': [{ date: '2026-06-19', title: 'Trust away day' }],
      },
    });
    const holidays = loadBankHolidays(path);
    expect([...holidays].sort()).toEqual(['2026-06-19', '2031-01-01', '2031-04-11']);
    const trust = createCalendar({ bankHolidays: holidays });
    expect(trust.isWorkingDay('2031-01-01')).toBe(false);
    expect(trust.isWorkingDay('2026-06-19')).toBe(false);
    expect(trust.isWorkingDay('2026-12-25')).toBe(true); // not in this file
    expect(trust.addWorkingDays('2026-06-18', 1)).toBe('2026-06-22');
  });

  test.each([
    ['missing.json', null, /cannot be read/],
    ['not-json.json', '{ "division": ', /not valid JSON/],
    ['no-dates.json', { division: 'england-and-wales' }, /dates/],
    ['bad-year.json', { division: 'england-and-wales', dates: { '26': [] } }, /four digits/],
    ['bad-date.json', { division: 'england-and-wales', dates: { '2031': [{ date: '01/01/2031', title: 'x' }] } }, /YYYY-MM-DD/],
    ['unreal-date.json', { division: 'england-and-wales', dates: { '2031': [{ date: '2031-02-30', title: 'x' }] } }, /2031-02-30 is not a real date/],
    ['no-title.json', { division: 'england-and-wales', dates: { '2031': [{ date: '2031-01-01' }] } }, /title/],
    ['wrong-year.json', { division: 'england-and-wales', dates: { '2031': [{ date: '2032-01-01', title: 'x' }] } }, /2032-01-01 is listed under 2031/],
    [
      'twice.json',
      { division: 'england-and-wales', dates: { '2031': [{ date: '2031-01-01', title: 'x' }, { date: '2031-01-01', title: 'y' }] } },
      /2031-01-01 is listed twice/,
    ],
  ])('%s is refused with a message naming the file and the problem', (name, content, problem) => {
    const path = content === null ? join(dir, name) : writeFile(name, content);
    const error = thrown(() => loadBankHolidays(path));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(path);
    expect(error.message).toMatch(problem);
  });
});
