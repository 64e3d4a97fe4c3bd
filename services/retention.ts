import type { CycleJob, JobContext, JobOutcome } from './cycle-jobs';
import { nextMonth } from './calendar';
import type { FormDefinition } from './forms/form-definition';
import type { Answers } from './forms/form-answers';
import { briefingKinds } from './briefings/briefing-messages';

/**
 * How long QA Loop keeps what could identify a child or describe their case, and the
 * messages it sent. After `caseDetailMonths` from when a piece of work was finished, its
 * case reference and every free-text answer are removed; grades, choices and dates stay,
 * so the reports still count it. Sent messages (whose cards repeat that detail) are
 * deleted after `messagesMonths`. 0 keeps them. The audit log is kept: it holds no case
 * detail, only who did what to which record.
 */
export interface RetentionSettings {
  caseDetailMonths: number;
  messagesMonths: number;
}

export const defaultRetention: RetentionSettings = { caseDetailMonths: 36, messagesMonths: 6 };

export const REMOVED = 'REMOVED';

/** The answers with every free-text answer taken out. */
export function withoutFreeText(definition: FormDefinition, answers: Answers): Answers {
  const text = new Set(definition.sections.flatMap((section) => section.questions.filter((q) => q.type === 'text' || q.type === 'longtext').map((q) => q.id)));
  return Object.fromEntries(Object.entries(answers).filter(([id]) => !text.has(id)));
}

/** The instant `months` calendar months before `now` (UTC is close enough for months). */
export function monthsBefore(now: Date, months: number): Date {
  const cutoff = new Date(now.getTime());
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
  return cutoff;
}

async function runRetention(context: JobContext): Promise<JobOutcome> {
  const now = context.clock.now();
  const { caseDetailMonths, messagesMonths } = context.retention;
  const detail = { reviews: 0, observations: 0, feedback: 0, messages: 0, jobRuns: 0 };
  if (caseDetailMonths > 0) {
    const cutoff = monthsBefore(now, caseDetailMonths);
    for (const subject of await context.repos.retention.finishedBefore(cutoff)) {
      const responses = await context.repos.responses.listFor(subject.id, subject.kind);
      await context.transaction(async (repos) => {
        for (const response of responses) {
          const form = await repos.forms.findById(response.formId);
          if (form !== undefined) await repos.retention.replaceAnswers(response.id, withoutFreeText(form.definition, response.answers), now);
        }
        await repos.retention.anonymise(subject, now);
        await repos.audit.append({ actor: 'qa-loop', actorRole: null, action: 'retention.anonymised', recordKind: subject.kind, recordId: subject.id, source: 'job', detail: { months: caseDetailMonths } }, now);
      });
      detail[subject.kind === 'review' ? 'reviews' : subject.kind === 'observation' ? 'observations' : 'feedback']++;
    }
  }
  if (messagesMonths > 0) {
    // Briefing copies keep their outcome (the reports count delivery), not their content.
    detail.messages = await context.repos.retention.deleteMessagesBefore(monthsBefore(now, messagesMonths), [briefingKinds.copy]);
    detail.jobRuns = await context.repos.retention.deleteJobRunsBefore(monthsBefore(now, messagesMonths));
    if (detail.messages > 0) {
      await context.repos.audit.append({ actor: 'qa-loop', actorRole: null, action: 'retention.messages-deleted', recordKind: 'outbox', recordId: null, source: 'job', detail: { count: detail.messages, jobRuns: detail.jobRuns, months: messagesMonths } }, now);
    }
  }
  return { queued: 0, detail };
}

/** Monthly, on the first working day at 09:00: anonymise and delete what is past its period. */
export const retentionJob: CycleJob = {
  name: 'retention',
  description: 'Removes case detail and old sent messages past their retention period',
  schedule: '0 9 * * 1-5',
  periodFor: (month) => month,
  dueAt: (context, month) => context.calendar.londonTime(context.calendar.firstWorkingDay(month), '09:00'),
  closesAt: (context, month) => context.calendar.londonTime(`${nextMonth(month)}-01`, '00:00'),
  run: (context) => runRetention(context),
};
