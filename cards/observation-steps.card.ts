import type { ActionRowInput, ActionRowProblems } from '../services/actions/action-rows';
import type { Answers, Problems } from '../services/forms/form-answers';
import type { ObservationPart } from '../services/observations/observation';
import type { ObservationSnapshot } from '../services/observations/observation-snapshot';
import type { StaffMember } from '../services/staff';
import { actionRowQuestions } from './action-rows';
import { formSectionCard } from './form-section.card';
import { observationFacts } from './observation.card';
import { recordCard, type CardButton } from './record.card';
import type { AdaptiveCard } from './render';
import { Verbs } from './verbs';

export interface ObservationSectionCardInput {
  snapshot: ObservationSnapshot;
  part: ObservationPart;
  index: number;
  answers: Answers;
  problems: Problems;
  note: string;
  /** Fingerprints of answers flagged for privacy, carried back so that the same text is then kept. */
  acknowledge?: string;
}

/** One section of the observation (the observer's) or of the reflection (the practitioner's). Every button saves first. */
export function observationSectionCard(input: ObservationSectionCardInput): AdaptiveCard {
  const { snapshot, part, index } = input;
  const { form } = snapshot.parts[part];
  const sections = form.definition.sections;
  const last = index === sections.length - 1;
  const data = (move: string): Record<string, string> => ({ observationId: snapshot.observation.id, part, section: String(index), move, ...(input.acknowledge ? { privacyChecked: input.acknowledge } : {}) });
  const buttons: CardButton[] = [{ title: !last ? 'Save and continue' : part === 'reflection' ? 'Send my reflection' : 'Save and add actions', verb: Verbs.saveObservationSection, data: data('next'), style: 'positive' }];
  if (index > 0) buttons.push({ title: 'Back', verb: Verbs.saveObservationSection, data: data('back'), style: 'default' });
  buttons.push({ title: 'Save for later', verb: Verbs.saveObservationSection, data: data('later'), style: 'default' });
  return formSectionCard({
    heading: part === 'reflection' ? 'Your reflection on the observation' : `Practice observation: ${snapshot.practitioner.name}`,
    progress: `Section ${index + 1} of ${sections.length} · ${form.definition.title}, version ${form.version}`,
    facts: observationFacts(snapshot),
    section: sections[index]!,
    answers: input.answers,
    problems: input.problems,
    note: input.note,
    buttons,
    refresh: { verb: Verbs.openObservation, data: { observationId: snapshot.observation.id, view: 'section', part, section: String(index) } },
  });
}

export interface ObservationActionsCardInput {
  snapshot: ObservationSnapshot;
  rows: ActionRowInput[];
  problems: ActionRowProblems;
  owners: StaffMember[];
  note: string;
}

/** The observer's last step: any actions (owner, due date), then submit to the QA service. */
export function observationActionsCard(input: ObservationActionsCardInput): AdaptiveCard {
  const { snapshot } = input;
  const id = snapshot.observation.id;
  return recordCard({
    heading: `Actions and submit: ${snapshot.practitioner.name}`,
    intro: 'Add any actions from the observation, each with who will do it and by when (QA Loop reminds them), then submit it to the QA service. The practitioner then sees your feedback and is asked for their reflection.',
    facts: observationFacts(snapshot),
    note: input.note,
    noteTone: Object.keys(input.problems).length > 0 ? 'problem' : 'good',
    questions: actionRowQuestions(input.rows, input.problems, input.owners),
    buttons: [
      { title: 'Submit the observation', verb: Verbs.submitObservation, data: { observationId: id }, style: 'positive' },
      { title: 'Back to the form', verb: Verbs.openObservation, data: { observationId: id, view: 'section', part: 'observation', section: String(snapshot.parts.observation.form.definition.sections.length - 1) }, style: 'default' },
    ],
    refresh: { verb: Verbs.openObservation, data: { observationId: id, view: 'actions', part: '', section: '' } },
  });
}
