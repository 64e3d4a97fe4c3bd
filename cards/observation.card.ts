import { whenLabel } from '../services/calendar';
import { answerLabel, findQuestion } from '../services/forms/form-answers';
import { gradeLabels } from '../services/forms/grades';
import type { ObservationSnapshot, ObservationStanding } from '../services/observations/observation-snapshot';
import { dayLabel } from './labels';
import { recordCard, type CardButton, type CardGroup, type Fact } from './record.card';
import type { AdaptiveCard } from './render';
import { answerGroups } from './review-groups';
import { Verbs } from './verbs';

export type ObservationMoment = 'view' | 'feedback' | 'reflected';

export interface ObservationCardInput {
  snapshot: ObservationSnapshot;
  standing: ObservationStanding;
  moment?: ObservationMoment;
  note?: string;
}

/** The facts heading every card of an observation. */
export function observationFacts(snapshot: ObservationSnapshot): Fact[] {
  const { observation, parts } = snapshot;
  const answers = parts.observation.response.answers;
  const setting = findQuestion(parts.observation.form.definition, 'setting');
  const facts: Fact[] = [
    { title: 'Practitioner', value: `${snapshot.practitioner.name} (${observation.team})` },
    { title: 'Observed by', value: snapshot.observer.name },
  ];
  if (answers.observed_on !== undefined) facts.push({ title: 'Date', value: dayLabel(answers.observed_on) });
  if (setting !== undefined && answers.setting !== undefined) facts.push({ title: 'Setting', value: answerLabel(setting, answers.setting) });
  if (snapshot.focusDay !== undefined) facts.push({ title: 'Practice Focused Day', value: snapshot.focusDay.theme });
  return facts;
}

const open = (observationId: string, view: string, part = '', section = ''): Record<string, string> => ({ observationId, view, part, section });

function headingAndIntro(input: ObservationCardInput): [string, string] {
  const { snapshot } = input;
  const { observation } = snapshot;
  switch (input.moment ?? 'view') {
    case 'feedback':
      return ['Feedback from your practice observation', `${snapshot.observer.name} observed your practice and has shared their feedback. Please add your own reflection: press "Add your reflection".`];
    case 'reflected':
      return ['Reflection added to your observation', `${snapshot.practitioner.name} has added their reflection on the session you observed.`];
    case 'view':
      return observation.status === 'draft'
        ? [`Practice observation: ${snapshot.practitioner.name}`, `In progress: ${snapshot.observer.name} is recording it.`]
        : [`Practice observation: ${snapshot.practitioner.name}`, `Submitted to the QA service ${whenLabel(observation.submittedAt)}.`];
  }
}

function buttonsFor(snapshot: ObservationSnapshot, standing: ObservationStanding): CardButton[] {
  const { observation, parts } = snapshot;
  const buttons: CardButton[] = [];
  if (standing === 'observer' && observation.status === 'draft') {
    const resume = parts.observation.complete ? undefined : String(parts.observation.response.answers === undefined ? 0 : (firstOpenSection(snapshot) ?? 0));
    buttons.push(
      resume === undefined
        ? { title: 'Add actions and submit', verb: Verbs.openObservation, data: open(observation.id, 'actions'), style: 'positive' }
        : { title: 'Continue the observation', verb: Verbs.openObservation, data: open(observation.id, 'section', 'observation', resume), style: 'positive' },
    );
  }
  if (standing === 'practitioner' && observation.status === 'submitted' && parts.reflection.response.status === 'draft') {
    buttons.push({ title: 'Add your reflection', verb: Verbs.openObservation, data: open(observation.id, 'section', 'reflection', '0'), style: 'positive' });
  }
  return buttons;
}

function firstOpenSection(snapshot: ObservationSnapshot): number | undefined {
  const { form, response } = snapshot.parts.observation;
  const index = form.definition.sections.findIndex((section) => section.questions.some((q) => q.required && (response.answers[q.id] ?? '') === ''));
  return index < 0 ? undefined : index;
}

/** An observation as it is now for one viewer: the feedback once submitted, the reflection once added, and only this viewer's next step. */
export function observationCard(input: ObservationCardInput): AdaptiveCard {
  const { snapshot } = input;
  const { observation, parts } = snapshot;
  const [heading, intro] = headingAndIntro(input);
  const groups: CardGroup[] = [];
  if (observation.status === 'submitted') {
    groups.push(...answerGroups(parts.observation.form, parts.observation.response.answers).slice(1));
    if (parts.reflection.response.status === 'submitted') groups.push(...answerGroups(parts.reflection.form, parts.reflection.response.answers, "Practitioner's reflection: "));
    if (snapshot.actions.length > 0) {
      groups.push({
        title: 'Actions',
        facts: snapshot.actions.map((action) => ({ title: action.description.length > 60 ? `${action.description.slice(0, 59)}…` : action.description, value: `${snapshot.names.get(action.ownerId) ?? 'Unknown'}, due ${action.dueDate}${action.status === 'done' ? ' (done)' : ''}` })),
        texts: [],
      });
    }
  }
  const facts = observationFacts(snapshot);
  if (observation.grade !== null) facts.push({ title: 'Grade', value: gradeLabels[observation.grade] });
  facts.push({ title: "Practitioner's reflection", value: parts.reflection.response.status === 'submitted' ? `Added ${whenLabel(parts.reflection.response.submittedAt)}` : observation.status === 'submitted' ? `Waiting for ${snapshot.practitioner.name}` : 'After submission' });
  return recordCard({
    heading,
    intro,
    facts,
    note: input.note ?? '',
    noteTone: 'plain',
    groups,
    buttons: buttonsFor(snapshot, input.standing),
    refresh: { verb: Verbs.openObservation, data: open(observation.id, 'observation') },
  });
}
