import { randomUUID } from 'node:crypto';
import { noticeCard } from '../../cards/notice.card';
import { observationStartCard } from '../../cards/observation-start.card';
import { mayObserve, practitionersFor } from '../../services/observations/observation-start';
import type { CommandHandler } from './command';

/** A practice observation at any time, not only as the month's assignment. */
export const observe: CommandHandler = async ({ caller, deps }) => {
  const observer = caller.staff;
  if (observer === undefined || !mayObserve(observer, caller.roles)) {
    return noticeCard({ title: 'Not available to you', message: 'Practice observations are recorded by tier managers and Independent Chairs.', tone: 'problem' });
  }
  return observationStartCard({ assignment: undefined, dueDate: '', practitioners: await practitionersFor(deps.services, observer), values: { assignmentId: '', startToken: randomUUID(), practitionerId: '', practitionerEmail: '' }, problems: {} });
};
