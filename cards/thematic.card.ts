import { choicesOf, defaultMaxLength } from '../services/forms/form-definition';
import type { ThematicOutcome } from '../services/themes/thematic-review';
import { themeOriginLabels } from '../services/themes/theme';
import { NO_NAMES } from './form-section.card';
import { monthLabel } from './labels';
import { recordCard, type CardButton, type CardQuestion } from './record.card';
import type { AdaptiveCard } from './render';
import { Verbs } from './verbs';

/** A thematic review as a card: the theme, the cases sampled so far, and the next case's questions. */
export function thematicCard(outcome: ThematicOutcome): AdaptiveCard {
  if (outcome.show === 'no-theme') {
    return recordCard({
      heading: `Thematic review: ${monthLabel(outcome.assignment.month)}`,
      intro: 'The QA manager has not set a theme for this month yet, so there are no questions to answer. You will be told when it is set; or, if the QA service has agreed another way, mark it as done.',
      buttons: [{ title: 'Mark as done', verb: Verbs.completeAssignment, data: { assignmentId: outcome.assignment.id }, style: 'default' }],
    });
  }
  const { snapshot } = outcome;
  const { theme, samples, assignment, form } = snapshot;
  const facts = [
    { title: 'Theme', value: theme.title },
    { title: 'Why', value: `${themeOriginLabels[theme.origin]}: ${theme.why}` },
    { title: 'Cases sampled', value: `${samples.length} of ${theme.sampleSize}` },
    ...samples.map((sample, i) => ({ title: `Case ${i + 1}`, value: sample.caseReference })),
  ];
  if (outcome.show === 'done') {
    return recordCard({ heading: `Thematic review: ${theme.title}`, intro: `Your dip-sample for ${monthLabel(assignment.month)}.`, facts, note: outcome.note, noteTone: 'good' });
  }
  const section = form.definition.sections[0]!;
  const questions: CardQuestion[] = [
    { id: 'caseReference', label: 'Case reference (required)', input: 'text', maxLength: 40, value: outcome.caseReference, problem: outcome.problems.caseReference ?? '', help: `From the case record system. ${NO_NAMES}` },
    ...section.questions.map((question): CardQuestion => {
      const text = question.type === 'text' || question.type === 'longtext';
      return {
        id: question.id,
        label: `${question.label}${question.required ? ' (required)' : ''}`,
        input: question.type === 'date' ? 'date' : text ? 'text' : 'choice',
        value: outcome.values[question.id] ?? '',
        problem: outcome.problems[question.id] ?? '',
        help: question.help ?? '',
        choices: choicesOf(question),
        multiline: question.type === 'longtext',
        maxLength: question.maxLength ?? defaultMaxLength[question.type],
        placeholder: text ? NO_NAMES : '',
      };
    }),
  ];
  const buttons: CardButton[] = [{ title: 'Save this case', verb: Verbs.addThematicSample, data: { assignmentId: assignment.id }, style: samples.length < theme.sampleSize ? 'positive' : 'default' }];
  if (samples.length >= theme.sampleSize) buttons.push({ title: 'Submit the thematic review', verb: Verbs.submitThematicReview, data: { assignmentId: assignment.id }, style: 'positive' });
  return recordCard({
    heading: `Thematic review: ${theme.title}`,
    intro: `Dip-sample ${theme.sampleSize} case${theme.sampleSize === 1 ? '' : 's'} against this month's theme and answer its questions for each, from the record.`,
    facts,
    note: outcome.note,
    noteTone: Object.keys(outcome.problems).length > 0 ? 'problem' : 'good',
    formTitle: `Case ${Math.min(samples.length + 1, 99)}: ${section.title}`,
    formHelp: section.help ?? '',
    questions,
    buttons,
    refresh: { verb: Verbs.beginThematicReview, data: { assignmentId: assignment.id } },
  });
}
