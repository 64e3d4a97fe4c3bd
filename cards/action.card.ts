import type { ActionView } from '../services/actions/action-service';
import { whenLabel } from '../services/calendar';
import { dayLabel } from './labels';
import { recordCard, type CardButton, type CardQuestion } from './record.card';
import type { AdaptiveCard } from './render';
import { Verbs } from './verbs';

/** Why an action is being shown. */
export type ActionMoment = 'list' | 'assigned' | 'due' | 'overdue-to-manager' | 'updated';

export interface ActionCardInput {
  view: ActionView;
  moment: ActionMoment;
  /** Who gave it, for a newly assigned action. */
  by?: string;
  note?: string;
  problem?: string;
  /** The note typed, kept when the card comes back with a problem. */
  noteValue?: string;
}

function heading({ view, moment, by }: ActionCardInput): [string, string] {
  const due = dayLabel(view.action.dueDate);
  switch (moment) {
    case 'assigned':
      return ['A new action for you', `${by ?? 'Your manager'} gave you this action from a ${view.source}. It is due by ${due}.`];
    case 'due':
      return view.overdue ? [`Overdue action: was due ${due}`, `This action from a ${view.source} is overdue. Please complete it and close it here.`] : [`Reminder: action due ${due}`, `This action from a ${view.source} is due soon.`];
    case 'overdue-to-manager':
      return [`Overdue action: ${view.ownerName}`, `An action from a ${view.source} was due by ${due} and is not closed. You are told as ${view.ownerName}'s manager.`];
    case 'list':
    case 'updated':
      return [view.action.status === 'done' ? 'Action closed' : view.overdue ? `Overdue action: was due ${due}` : `Action due ${due}`, `From a ${view.source}.`];
  }
}

/** One action: what, whose, by when, and (for its owner, while open) a way to close it with a note. */
export function actionCard(input: ActionCardInput): AdaptiveCard {
  const { view } = input;
  const { action } = view;
  const [title, intro] = heading(input);
  const canClose = action.status === 'open' && input.moment !== 'overdue-to-manager';
  const questions: CardQuestion[] = canClose
    ? [{ id: 'note', label: 'What was done (required to close it)', input: 'text', multiline: true, maxLength: 2000, value: input.noteValue ?? '', problem: input.problem ?? '' }]
    : [];
  const buttons: CardButton[] = canClose ? [{ title: 'Close this action', verb: Verbs.closeAction, data: { actionId: action.id }, style: 'positive' }] : [];
  return recordCard({
    heading: title,
    intro,
    facts: [
      { title: 'Owner', value: view.ownerName },
      { title: 'Due by', value: dayLabel(action.dueDate) },
      { title: 'Status', value: action.status === 'done' ? `Closed ${whenLabel(action.completedAt)}` : view.overdue ? 'Overdue' : 'Open' },
    ],
    note: input.note ?? '',
    noteTone: input.problem === undefined ? 'good' : 'problem',
    groups: [{ title: 'The action', facts: [], texts: [{ label: 'What needs doing', text: action.description }, ...(action.completionNote === null ? [] : [{ label: 'What was done', text: action.completionNote }])] }],
    questions,
    buttons,
  });
}
