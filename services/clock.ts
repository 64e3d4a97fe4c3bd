/** Time comes from a clock so that tests and replays can set it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const LONDON = 'Europe/London';

const londonFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** "26 Nov 2026, 09:00": how people in the Trust read a time. */
export const formatLondonTime = (at: Date): string => londonFormat.format(at);
