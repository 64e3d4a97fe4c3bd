import { answerLabel } from '../services/forms/form-answers';
import { gradeLabels } from '../services/forms/grades';
import type { PublishedForm } from '../services/forms/form-definition';
import type { Answers } from '../services/forms/form-answers';
import type { ReviewSnapshot } from '../services/reviews/review-snapshot';
import { whenLabel } from '../services/calendar';
import type { CardGroup, Fact } from './record.card';

/** The facts that head every card of a review: which case, whose work, who reviews it. */
export function reviewFacts(snapshot: ReviewSnapshot): Fact[] {
  const { review } = snapshot;
  const facts: Fact[] = [
    { title: 'Case reference', value: review.caseReference },
    { title: 'Practitioner', value: `${snapshot.practitioner.name} (${review.team})` },
    { title: 'Reviewer', value: snapshot.reviewer.name },
  ];
  if (snapshot.chair !== undefined) facts.push({ title: 'Independent Chair', value: snapshot.chair.name });
  return facts;
}

/** Every answer of a form, grouped by section: choices as facts, writing as text. */
export function answerGroups(form: PublishedForm, answers: Answers, prefix = ''): CardGroup[] {
  return form.definition.sections.map((section) => {
    const group: CardGroup = { title: `${prefix}${section.title}`, facts: [], texts: [] };
    for (const question of section.questions) {
      const value = answers[question.id];
      if (question.type === 'text' || question.type === 'longtext') {
        if (value !== undefined && value !== '') group.texts.push({ label: question.label, text: value });
      } else {
        group.facts.push({ title: question.label, value: answerLabel(question, value) });
      }
    }
    return group;
  });
}

/** How far each of the three parts has got. */
export function partsGroup(snapshot: ReviewSnapshot): CardGroup {
  const { records, reflection, family } = snapshot.parts;
  const sectionsDone = records.form.definition.sections.filter((section) => section.questions.some((q) => (records.response.answers[q.id] ?? '') !== '')).length;
  const recordsState = records.response.status === 'submitted' ? `Submitted ${whenLabel(records.response.submittedAt)}` : records.complete ? 'Complete, not submitted' : `${sectionsDone} of ${records.form.definition.sections.length} sections started`;
  const reflectionState =
    reflection.response.status === 'submitted'
      ? `Sent ${whenLabel(reflection.response.submittedAt)}`
      : Object.keys(reflection.response.answers).length > 0
        ? `${snapshot.practitioner.name} has started it`
        : `Waiting for ${snapshot.practitioner.name}`;
  const familyState = family.response.status === 'submitted' ? 'Submitted with the review' : family.complete ? 'Recorded' : Object.keys(family.response.answers).length > 0 ? 'Started' : 'Not recorded yet';
  return {
    title: 'The three parts',
    facts: [
      { title: "Child's records review", value: recordsState },
      { title: "Practitioner's reflection", value: reflectionState },
      { title: 'Parent and child feedback', value: familyState },
    ],
    texts: [],
  };
}

/** The grades: each section's, the reviewer's overall grade and, once moderated, the final one. */
export function gradesGroup(snapshot: ReviewSnapshot): CardGroup {
  const { review } = snapshot;
  const { form, response } = snapshot.parts.records;
  const facts: Fact[] = [];
  for (const section of form.definition.sections) {
    for (const question of section.questions.filter((q) => q.type === 'grade' && q.id !== 'overall_grade')) facts.push({ title: section.title, value: answerLabel(question, response.answers[question.id]) });
  }
  if (review.reviewerGrade !== null) facts.push({ title: "Reviewer's overall grade", value: gradeLabels[review.reviewerGrade] });
  if (review.finalGrade !== null) facts.push({ title: 'Moderated overall grade', value: gradeLabels[review.finalGrade] });
  return { title: 'Grades', facts, texts: [] };
}

/** What the review found, once it is final. */
export function findingsGroup(snapshot: ReviewSnapshot): CardGroup {
  const answers = snapshot.parts.records.response.answers;
  const texts = [
    { label: 'Why this overall grade', text: answers.overall_rationale ?? '' },
    { label: 'Strengths', text: answers.strengths ?? '' },
    { label: 'Areas to develop', text: answers.areas_to_develop ?? '' },
    { label: 'What difference are we making?', text: answers.difference ?? '' },
  ].filter((entry) => entry.text !== '');
  return { title: 'Findings', facts: [], texts };
}

export function moderationGroup(snapshot: ReviewSnapshot, withFeedback: boolean): CardGroup {
  const { review } = snapshot;
  const agreed = review.finalGrade === review.reviewerGrade;
  const texts = [];
  if (!agreed && review.moderationReason !== null) texts.push({ label: 'Why the grade changed', text: review.moderationReason });
  if (withFeedback && review.moderationFeedback !== null) texts.push({ label: 'Feedback to the reviewer', text: review.moderationFeedback });
  return {
    title: 'Moderation',
    facts: [
      { title: 'Moderated by', value: `${snapshot.moderator?.name ?? 'The QA service'}, ${whenLabel(review.moderatedAt)}` },
      { title: 'Overall grade', value: agreed ? 'Agreed' : 'Changed' },
    ],
    texts,
  };
}

export function oversightGroup(snapshot: ReviewSnapshot): CardGroup {
  const { review } = snapshot;
  return {
    title: 'Management oversight',
    facts: [
      { title: 'Recorded by', value: `${snapshot.overseer?.name ?? 'The line manager'}, ${whenLabel(review.oversightAt)}` },
      ...snapshot.actions.map((action) => ({
        title: action.description.length > 60 ? `${action.description.slice(0, 59)}…` : action.description,
        value: `${snapshot.names.get(action.ownerId) ?? 'Unknown'}, due ${action.dueDate}${action.status === 'done' ? ' (done)' : ''}`,
      })),
    ],
    texts: [{ label: 'Directions', text: review.oversightDirections ?? '' }],
  };
}
