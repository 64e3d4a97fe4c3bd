import { nextMonth } from '../calendar';
import type { CycleJob } from '../cycle-jobs';
import { queueNotice } from '../notices';
import { collateMonth } from './spotlights-service';

/**
 * The last working day of an active month: the month's spotlight is collated and each QA
 * manager is sent the preview to edit and post. It never posts to a channel by itself:
 * what the channels see is the QA manager's choice.
 */
export const spotlightPreview: CycleJob = {
  name: 'spotlight-preview',
  description: "Collates the month's spotlight and sends the QA managers the preview",
  // Weekdays at nine, as the other cycle jobs (the constant is not imported: cycle-jobs imports this file).
  schedule: '0 9 * * 1-5',
  periodFor: (month) => month,
  dueAt: (context, month) => (context.calendar.isActiveMonth(month) ? context.calendar.londonTime(context.calendar.lastWorkingDay(month), '09:00') : undefined),
  // A week into the next month the QA manager has moved on; they can still type "spotlight".
  closesAt: (context, month) => context.calendar.londonTime(`${nextMonth(month)}-08`, '00:00'),
  async run(context, month) {
    if ((await context.repos.themes.forMonth(month)) === undefined) return { queued: 0, detail: { themes: 0, cases: 0 } };
    const { view } = await collateMonth(context, month, 'qa-loop', 'job');
    const qaManagers = (await context.repos.staff.listAll()).filter((person) => person.active && person.roles.includes('qa_manager'));
    let queued = 0;
    for (const person of qaManagers) {
      if (await queueNotice(context, context.compose, person, { type: 'spotlight-preview', person, view }, `spotlight-preview:${month}:${person.id}`)) queued++;
    }
    return { queued, detail: { themes: 1, cases: view.snapshot.spotlight.content.figures.casesSampled } };
  },
};
