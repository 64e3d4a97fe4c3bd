import type { Assignment } from '../services/assignments';
import { kindLabels, type QaKind } from '../services/rota';
import { dayLabel, monthLabel } from './labels';
import { expandCard, type AdaptiveCard } from './render';
import template from './templates/assignment.json';

/** Why the card is being shown: it changes the heading and the opening line, not the task. */
export type AssignmentCardMoment = 'assigned' | 'nudge' | 'final-reminder' | 'my-tasks' | 'updated';

const whatItInvolves: Record<QaKind, string> = {
  practice_review:
    "A collaborative practice review: the child's records review with the practitioner, their reflection, and the family's feedback. The QA service moderates it.",
  practice_observation: 'Observe one of your own practitioners at work (a visit, a conference, a review, group or one-to-one work) and give them feedback.',
  thematic_review: "Dip-sample cases against this month's spotlight theme and answer its questions.",
};

const statusLabels: Record<Assignment['status'], string> = {
  assigned: 'Not started',
  started: 'Started',
  done: 'Done',
  excused: 'Excused',
};

export interface AssignmentCardInput {
  assignment: Assignment;
  firstName: string;
  dueDate: string;
  moment: AssignmentCardMoment;
  overdue?: boolean;
  /** Shown after a button: what happens next. */
  nextStep?: string;
  /** A problem with the last press, shown on the card. */
  problem?: string;
  /** Answers to keep in the request form when it comes back with problems, each shown under its field. */
  request?: { value: string; reason: string; problems: { request?: string | undefined; reason?: string | undefined } };
}

function headingAndIntro(input: AssignmentCardInput): [string, string] {
  const kind = kindLabels[input.assignment.kind].toLowerCase();
  const month = monthLabel(input.assignment.month);
  switch (input.moment) {
    case 'assigned':
      return [`Your QA activity for ${month}`, `Hello ${input.firstName}. This month the rota asks you to do a ${kind}.`];
    case 'nudge':
      return [`Reminder: your ${kind} for ${month}`, `Hello ${input.firstName}. Halfway through the month, your ${kind} is not done yet.`];
    case 'final-reminder':
      return [`Last reminder: ${kind} due ${dayLabel(input.dueDate)}`, `Hello ${input.firstName}. Three working days are left to complete your ${kind} for ${month}.`];
    case 'my-tasks':
      if (input.assignment.status === 'done') return [`Your QA activity for ${month}`, `Your ${kind} is done: thank you. The next one arrives on the first working day of the next active month.`];
      if (input.assignment.status === 'excused') return [`Your QA activity for ${month}`, `You are excused from this month's ${kind}.`];
      return input.overdue === true
        ? [`Overdue: your ${kind} for ${month}`, `This was due by ${dayLabel(input.dueDate)}. Please complete it, or ask the QA service to excuse it.`]
        : [`Your QA activity for ${month}`, `Your ${kind} is due by ${dayLabel(input.dueDate)}.`];
    case 'updated':
      return [`Your QA activity for ${month}`, `Your ${kind}.`];
  }
}

export function assignmentCard(input: AssignmentCardInput): AdaptiveCard {
  const { assignment } = input;
  const [heading, intro] = headingAndIntro(input);
  const open = assignment.status === 'assigned' || assignment.status === 'started';
  return expandCard(template, {
    heading,
    intro,
    kindLabel: kindLabels[assignment.kind],
    monthLabel: monthLabel(assignment.month),
    dueLabel: dayLabel(input.dueDate),
    statusLabel: assignment.status === 'excused' && assignment.excuseReason !== null ? `Excused: ${assignment.excuseReason}` : statusLabels[assignment.status],
    whatItInvolves: whatItInvolves[assignment.kind],
    nextStep: input.nextStep ?? '',
    problem: input.problem ?? '',
    assignmentId: assignment.id,
    // Each kind of activity is started and completed through its own cards.
    canThematic: open && assignment.kind === 'thematic_review',
    thematicTitle: assignment.status === 'assigned' ? 'Start the thematic review' : 'Continue the thematic review',
    canReview: open && assignment.kind === 'practice_review',
    reviewTitle: assignment.status === 'assigned' ? 'Start the practice review' : 'Continue the practice review',
    canObserve: open && assignment.kind === 'practice_observation',
    observeTitle: assignment.status === 'assigned' ? 'Record the observation' : 'Continue the observation',
    canRequest: open,
    requestValue: input.request?.value ?? '',
    reasonValue: input.request?.reason ?? '',
    requestChoiceProblem: input.request?.problems.request ?? '',
    reasonProblem: input.request?.problems.reason ?? '',
  });
}
