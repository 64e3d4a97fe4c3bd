import type { Assignment } from '../services/assignments';
import type { StartObservationInput, StartObservationProblems } from '../services/observations/observation-start';
import type { StaffMember } from '../services/staff';
import { dayLabel, monthLabel } from './labels';
import { recordCard } from './record.card';
import type { AdaptiveCard } from './render';
import { Verbs } from './verbs';

export interface ObservationStartCardInput {
  /** The monthly assignment it completes, if any. */
  assignment: Assignment | undefined;
  dueDate: string;
  practitioners: StaffMember[];
  values: StartObservationInput;
  problems: StartObservationProblems;
}

/** Starting a practice observation: whose practice. The form's own questions follow, a section at a time. */
export function observationStartCard(input: ObservationStartCardInput): AdaptiveCard {
  const { values, problems, assignment } = input;
  return recordCard({
    heading: 'Record a practice observation',
    intro:
      assignment === undefined
        ? 'Observe one of your own practitioners at work and give them feedback. It goes to the QA service.'
        : `Your QA activity for ${monthLabel(assignment.month)}, due by ${dayLabel(input.dueDate)}. Observe one of your own practitioners at work and give them feedback.`,
    note: problems.practitioner === undefined ? '' : 'Not started yet: see the note beside the practitioner.',
    noteTone: 'problem',
    questions: [
      {
        id: 'practitionerId',
        label: 'Practitioner observed',
        input: 'choice',
        choiceStyle: 'compact',
        choices: input.practitioners.map((person) => ({ title: `${person.name}, ${person.team}`, value: person.id })),
        value: values.practitionerId,
        problem: problems.practitioner ?? '',
      },
      { id: 'practitionerEmail', label: 'Or their work email, if they are not in the list', input: 'text', maxLength: 320, value: values.practitionerEmail },
    ],
    buttons: [{ title: 'Start', verb: Verbs.startObservation, data: { assignmentId: values.assignmentId, startToken: values.startToken }, style: 'positive' }],
  });
}
