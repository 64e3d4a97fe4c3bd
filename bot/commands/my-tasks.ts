import { assignmentCard } from '../../cards/assignment.card';
import { firstNameOf, monthLabel } from '../../cards/labels';
import { noticeCard } from '../../cards/notice.card';
import type { AdaptiveCard } from '../../cards/render';
import { dueDateFor, tasksFor } from '../../services/assignment-actions';
import type { CommandHandler } from './command';

/** Everything waiting for this person in one place: overdue first, then this month. */
export const myTasks: CommandHandler = async ({ caller, deps }) => {
  const person = caller.staff;
  if (person === undefined) {
    return noticeCard({ title: 'Nothing for you here yet', message: 'You are not on the QA rota, so QA Loop has no activity for you. If you should be, please ask the QA service.', tone: 'info' });
  }
  const tasks = await tasksFor(deps.services, person);
  const firstName = firstNameOf(person.name);
  const cards: AdaptiveCard[] = tasks.overdue.map((assignment) =>
    assignmentCard({ assignment, firstName, dueDate: dueDateFor(deps.services, assignment), moment: 'my-tasks', overdue: true }),
  );
  if (tasks.current !== undefined) {
    cards.push(assignmentCard({ assignment: tasks.current, firstName, dueDate: dueDateFor(deps.services, tasks.current), moment: 'my-tasks' }));
  } else if (!tasks.monthIsActive) {
    cards.push(noticeCard({ title: `${monthLabel(tasks.month)} is a month for reflection`, message: 'There is no QA activity this month: a time to reflect, gather family feedback and share learning.', tone: 'info' }));
  } else if (cards.length === 0) {
    cards.push(noticeCard({ title: 'Nothing waiting', message: `You have no QA activity for ${monthLabel(tasks.month)} yet. It arrives on the first working day of the month.`, tone: 'info' }));
  }
  return cards.length === 1 ? cards[0]! : cards;
};
