import { LONDON } from '../clock';
import type { CycleJob, JobContext, JobOutcome } from '../cycle-jobs';
import { remindUnacknowledged } from './briefing-acknowledgements';
import { sendDueBriefings } from './briefing-send';
import { sweepRecalled } from './briefing-sweep';

/** Scheduled briefings are looked for every five minutes; a run is keyed by its five-minute slot. */
export const SLOT_MINUTES = 5;

const londonClock = new Intl.DateTimeFormat('en-GB', { timeZone: LONDON, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** The London slot an instant falls in, as "YYYY-MM-DDTHH:MM" (minutes floored to the slot). */
export function slotOf(context: Pick<JobContext, 'calendar'>, instant: Date): string {
  const [hour = '00', minute = '00'] = londonClock.format(instant).split(':');
  const floored = String(Math.floor(Number(minute) / SLOT_MINUTES) * SLOT_MINUTES).padStart(2, '0');
  return `${context.calendar.londonDateOf(instant)}T${hour}:${floored}`;
}

const slotStart = (context: Pick<JobContext, 'calendar'>, slot: string): Date => context.calendar.londonTime(slot.slice(0, 10), slot.slice(11, 16));

async function runScheduledSends(context: JobContext): Promise<JobOutcome> {
  const queued = await sendDueBriefings(context);
  // Recalls with copies still to finish (sent, retried or not installed after the recall), however old.
  let swept = 0;
  let cancelled = 0;
  for (const briefing of await context.repos.briefings.listRecalledUnfinished()) {
    const outcome = await sweepRecalled(context, briefing);
    swept += outcome.removed;
    cancelled += outcome.cancelled;
  }
  return { queued: queued + swept, detail: { swept, cancelled } };
}

/**
 * Every five minutes in working hours: scheduled briefings whose London time has come go
 * out, and recalled briefings with copies still to finish are swept (see sweepRecalled). Each
 * slot runs once (a restart or a second instance does not repeat it); a slot missed while
 * the bot was down is covered by the next, which sends everything due by then.
 */
export const briefingSends: CycleJob = {
  name: 'briefing-sends',
  description: 'Sends scheduled seven-minute briefings when due, and finishes recalls',
  schedule: '*/5 9-17 * * 1-5',
  periodFor: (month) => month,
  periodsAt: (context, now) => [slotOf(context, now)],
  dueAt: (context, slot) => slotStart(context, slot),
  closesAt: (context, slot) => new Date(slotStart(context, slot).getTime() + SLOT_MINUTES * 60_000),
  run: (context) => runScheduledSends(context),
};

/**
 * Every working day at nine: one reminder, after the briefing's number of working days,
 * to each person who has not acknowledged it. The period is the London day.
 */
export const briefingReminders: CycleJob = {
  name: 'briefing-reminders',
  description: 'Reminds people once who have not acknowledged a seven-minute briefing',
  schedule: '0 9 * * 1-5',
  periodFor: (month) => `${month}-01`,
  periodsAt: (context, now) => [context.calendar.londonDateOf(now)],
  dueAt: (context, day) => (context.calendar.isWorkingDay(day) ? context.calendar.londonTime(day, '09:00') : undefined),
  closesAt: (context, day) => context.calendar.londonTime(day, '17:30'),
  run: async (context, day) => {
    const { queued, briefings } = await remindUnacknowledged(context, day);
    return { queued, detail: { briefings } };
  },
};
