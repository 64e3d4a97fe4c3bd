import { answerLabel, checkSection, firstIncompleteSection, readSection, type Answers } from '../../services/forms/form-answers';
import { formKeys, parseFormDefinition, type FormDefinition, type FormKey, type FormSection } from '../../services/forms/form-definition';
import { defaultForms } from '../../services/forms/forms-service';

/** A shipped form, parsed; a fresh copy each time, to edit. */
function shipped(key: FormKey): FormDefinition {
  const check = parseFormDefinition(defaultForms[key]);
  if (!check.ok) throw new Error(`shipped ${key}: ${check.problems.join('; ')}`);
  return structuredClone(check.definition);
}

function section(definition: FormDefinition, id: string): FormSection {
  const found = definition.sections.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no section ${id}`);
  return found;
}

/** The problems with a definition (none when it is accepted). */
function problemsOf(input: unknown): string[] {
  const check = parseFormDefinition(input);
  return check.ok ? [] : check.problems;
}

/** A small valid form to break one way at a time. */
const small = (): Record<string, unknown> => ({
  key: 'reflective_tool',
  title: 'Reflection',
  sections: [
    {
      id: 'first',
      title: 'First',
      questions: [
        { id: 'outcome', label: 'Outcome', type: 'choice', required: true, choices: [{ value: 'given', title: 'Given' }, { value: 'declined', title: 'Declined' }] },
        { id: 'note', label: 'Note', type: 'text' },
      ],
    },
    { id: 'second', title: 'Second', questions: [{ id: 'when', label: 'When', type: 'date' }] },
  ],
});

/** The small form with one question (section s, question q) changed. */
function withQuestion(s: number, q: number, change: Record<string, unknown>): Record<string, unknown> {
  const form = small();
  const sections = form.sections as { questions: Record<string, unknown>[] }[];
  const questions = sections[s]?.questions ?? [];
  questions[q] = { ...questions[q], ...change };
  for (const [name, value] of Object.entries(change)) if (value === undefined) delete questions[q]?.[name];
  return form;
}

describe('form definitions', () => {
  test.each(formKeys)('the shipped %s form is accepted, with its key', (key) => {
    const check = parseFormDefinition(defaultForms[key]);
    expect(check.ok).toBe(true);
    expect(check.ok && check.definition.key).toBe(key);
    // Optional questions come out with required: false, so what is stored says it plainly.
    expect(check.ok && check.definition.sections.every((s) => s.questions.every((question) => typeof question.required === 'boolean'))).toBe(true);
  });

  test('the small test form is accepted as it is, so each rejection below is for the one thing changed', () => {
    expect(problemsOf(small())).toEqual([]);
  });

  test.each<[string, unknown, string | RegExp]>([
    ['not an object', 'records_review', /^form: /],
    ['null', null, /^form: /],
    ['an unknown form key', { ...small(), key: 'case_audit' }, 'key: must be one of records_review, reflective_tool, family_feedback, practice_observation, observation_reflection, feedback, thematic_review'],
    ['an empty title', { ...small(), title: '   ' }, 'title: must not be empty'],
    ['no sections', { ...small(), sections: [] }, 'sections: needs at least one section'],
    ['an unknown property', { ...small(), colour: 'blue' }, /^form: .*colour/],
    ['a section with no questions', { ...small(), sections: [{ id: 'empty', title: 'Empty', questions: [] }] }, 'sections.0.questions: needs at least one question'],
    [
      'a section of 16 questions',
      { ...small(), sections: [{ id: 'long', title: 'Long', questions: Array.from({ length: 16 }, (_, i) => ({ id: `q${i}`, label: `Q${i}`, type: 'text' })) }] },
      'sections.0.questions: at most 15 questions a section, so each card stays small',
    ],
    ['a question id with capitals', withQuestion(0, 1, { id: 'Note' }), /^sections\.0\.questions\.1\.id: must be lower-case letters/],
    ['an unknown answer type', withQuestion(0, 1, { type: 'essay' }), 'sections.0.questions.1.type: must be one of grade, text, longtext, choice, date, yesno'],
    ['an unknown property on a question', withQuestion(1, 0, { colour: 'blue' }), /^sections\.1\.questions\.0: .*colour/],
    ['an empty label', withQuestion(1, 0, { label: '' }), 'sections.1.questions.0.label: must not be empty'],
    ['a choice question with one choice', withQuestion(0, 0, { choices: [{ value: 'given', title: 'Given' }] }), 'sections.0.questions.0.choices: needs at least two choices'],
    ['a maxLength of 0', withQuestion(0, 1, { maxLength: 0 }), /^sections\.0\.questions\.1\.maxLength: /],
    ['required as text', withQuestion(0, 1, { required: 'yes' }), /^sections\.0\.questions\.1\.required: /],
    ['a choice question without choices', withQuestion(0, 0, { choices: undefined }), 'sections.0.questions.0.choices: a choice question needs choices'],
    ['choices on a text question', withQuestion(0, 1, { choices: [{ value: 'a', title: 'A' }, { value: 'b', title: 'B' }] }), 'sections.0.questions.1.choices: only a choice question has choices'],
    ['a question id used twice', withQuestion(1, 0, { id: 'note' }), 'sections.1.questions.0.id: "note" is used twice in the form'],
    ['a section id used twice', { ...small(), sections: [...(small().sections as unknown[]), { id: 'first', title: 'Again', questions: [{ id: 'again', label: 'Again', type: 'text' }] }] }, 'sections.2.id: "first" is used twice'],
    ['requiredWhen a question that is not there', withQuestion(0, 1, { requiredWhen: { question: 'missing', in: ['given'] } }), 'sections.0.questions.1.requiredWhen: no other question "missing" in the form'],
    ['requiredWhen itself', withQuestion(0, 1, { requiredWhen: { question: 'note', in: ['x'] } }), 'sections.0.questions.1.requiredWhen: no other question "note" in the form'],
    ['requiredWhen a choice not offered', withQuestion(1, 0, { requiredWhen: { question: 'outcome', in: ['maybe'] } }), 'sections.1.questions.0.requiredWhen: "outcome" has no choice maybe'],
    ['requiredWhen with no values', withQuestion(1, 0, { requiredWhen: { question: 'outcome', in: [] } }), /^sections\.1\.questions\.0\.requiredWhen\.in: /],
  ])('refused: %s', (_name, input, expected) => {
    const problems = problemsOf(input);
    expect(problems.length).toBeGreaterThan(0);
    if (typeof expected === 'string') expect(problems).toContain(expected);
    else expect(problems.some((problem) => expected.test(problem))).toBe(true);
  });

  test('a records review must keep a required grade question overall_grade', () => {
    const NEEDS = 'form: a records_review form needs a required grade question "overall_grade"';
    const without = shipped('records_review');
    for (const s of without.sections) s.questions = s.questions.filter((question) => question.id !== 'overall_grade');
    expect(problemsOf(without)).toEqual([NEEDS]);

    const optional = shipped('records_review');
    for (const s of optional.sections) for (const question of s.questions) if (question.id === 'overall_grade') question.required = false;
    expect(problemsOf(optional)).toEqual([NEEDS]);

    const asText = shipped('records_review');
    for (const s of asText.sections) for (const question of s.questions) if (question.id === 'overall_grade') question.type = 'text';
    expect(problemsOf(asText)).toEqual([NEEDS]);

    // Other forms need no such question.
    expect(problemsOf({ ...small(), key: 'family_feedback' })).toEqual([]);
  });

  test('every problem is said at once, not only the first', () => {
    const form = withQuestion(1, 0, { id: 'note' });
    const sections = form.sections as { questions: Record<string, unknown>[] }[];
    delete sections[0]?.questions[0]?.choices;
    expect(problemsOf(form)).toEqual(['sections.0.questions.0.choices: a choice question needs choices', 'sections.1.questions.0.id: "note" is used twice in the form']);
  });
});

describe('answers to a section', () => {
  const records = shipped('records_review');
  const family = shipped('family_feedback');
  const parent = section(family, 'parent');
  const overall = section(records, 'overall');
  const lived = section(records, 'lived_experience');

  test('required questions need an answer (in words fit for the question); optional ones do not', () => {
    expect(checkSection(lived, {}).problems).toEqual({ lived_experience_grade: 'Choose an answer.', lived_experience_rationale: 'This needs an answer.' });
    expect(checkSection(lived, { lived_experience_grade: 'good', lived_experience_rationale: 'Seen and heard.' }).problems).toEqual({});

    // The reflective tool's last question is optional: left empty, it is no problem.
    const reflection = shipped('reflective_tool').sections[0];
    if (reflection === undefined) throw new Error('the shipped reflective tool has no section');
    const optional = reflection.questions.filter((question) => !question.required && question.requiredWhen === undefined);
    expect(optional.length).toBeGreaterThan(0);
    const answers: Answers = {};
    for (const question of reflection.questions) if (question.required) answers[question.id] = 'Something real.';
    expect(checkSection(reflection, answers).problems).toEqual({});
    expect(Object.keys(checkSection(reflection, {}).problems).sort()).toEqual(reflection.questions.filter((question) => question.required).map((question) => question.id).sort());

    // The overall section: "why" is asked for only when the plan is not (fully) ambitious.
    const complete: Answers = { overall_grade: 'good', overall_rationale: 'r', strengths: 's', areas_to_develop: 'a', difference: 'd', ambitious: 'yes' };
    expect(checkSection(overall, complete).problems).toEqual({});
    expect(checkSection(overall, { ...complete, ambitious: 'partly' }).problems).toEqual({ ambitious_why: 'This needs an answer.' });
  });

  test('a draft save (requireAnswers false) asks for nothing but still refuses a wrong answer', () => {
    expect(checkSection(lived, {}, {}, false).problems).toEqual({});
    expect(checkSection(lived, { lived_experience_grade: 'excellent' }, {}, false).problems).toEqual({ lived_experience_grade: 'Choose one of the options.' });
  });

  test('family feedback: "declined" or "not reached" needs a reason; "given" needs who, how, their words and consent', () => {
    expect(checkSection(parent, { parent_outcome: 'declined' }).problems).toEqual({ parent_reason: 'This needs an answer.' });
    expect(checkSection(parent, { parent_outcome: 'not_reached' }).problems).toEqual({ parent_reason: 'This needs an answer.' });
    expect(checkSection(parent, { parent_outcome: 'declined', parent_reason: 'Did not want to talk about it.' }).problems).toEqual({});

    expect(checkSection(parent, { parent_outcome: 'given' }).problems).toEqual({
      parent_who: 'Choose an answer.',
      parent_how: 'Choose an answer.',
      parent_words: 'This needs an answer.',
      parent_consent: 'Choose an answer.',
    });
    expect(checkSection(parent, { parent_outcome: 'given', parent_who: 'mother', parent_how: 'visit', parent_words: 'They listen to us now.', parent_consent: 'no' }).problems).toEqual({});
    expect(checkSection(parent, {}).problems).toEqual({ parent_outcome: 'Choose an answer.' });
  });

  test('requiredWhen follows an answer given in another section', () => {
    const form = parseFormDefinition(withQuestion(1, 0, { requiredWhen: { question: 'outcome', in: ['declined'] } }));
    if (!form.ok) throw new Error(form.problems.join('; '));
    const second = section(form.definition, 'second');
    expect(checkSection(second, {}, { outcome: 'declined' }).problems).toEqual({ when: 'This needs an answer.' });
    expect(checkSection(second, {}, { outcome: 'given' }).problems).toEqual({});
    // The section's own answer wins over one given elsewhere for the same question.
    expect(checkSection(section(form.definition, 'first'), { outcome: 'given' }, { outcome: 'declined' }).problems).toEqual({});
  });

  test('grades, choices and yes/no must be one of the options', () => {
    expect(checkSection(lived, { lived_experience_grade: 'excellent', lived_experience_rationale: 'x' }).problems).toEqual({ lived_experience_grade: 'Choose one of the options.' });
    expect(checkSection(lived, { lived_experience_grade: 'Good', lived_experience_rationale: 'x' }).problems).toEqual({ lived_experience_grade: 'Choose one of the options.' });
    expect(checkSection(parent, { parent_outcome: 'maybe' }).problems).toEqual({ parent_outcome: 'Choose one of the options.' });
    expect(checkSection(parent, { parent_outcome: 'declined', parent_reason: 'r', parent_consent: 'Y' }).problems).toEqual({ parent_consent: 'Choose one of the options.' });
  });

  test('dates must be real dates written YYYY-MM-DD', () => {
    const form = parseFormDefinition(small());
    if (!form.ok) throw new Error(form.problems.join('; '));
    const second = section(form.definition, 'second');
    for (const bad of ['2027-02-30', '2026-13-01', '2027-02-29', '30/01/2027', '2027-2-3', '2027-02-03T10:00']) {
      expect(checkSection(second, { when: bad }).problems).toEqual({ when: 'Enter a date as YYYY-MM-DD.' });
    }
    for (const good of ['2027-02-28', '2028-02-29', '2026-12-31']) expect(checkSection(second, { when: good }).problems).toEqual({});
  });

  test('text longer than its maxLength (or the default for its type) is refused, saying how long it is', () => {
    expect(checkSection(parent, { parent_outcome: 'declined', parent_reason: 'x'.repeat(1000) }).problems).toEqual({});
    expect(checkSection(parent, { parent_outcome: 'declined', parent_reason: 'x'.repeat(1001) }).problems).toEqual({ parent_reason: 'Keep this to 1000 characters (it has 1001).' });

    const form = parseFormDefinition(small());
    if (!form.ok) throw new Error(form.problems.join('; '));
    const first = section(form.definition, 'first');
    expect(checkSection(first, { outcome: 'given', note: 'x'.repeat(200) }).problems).toEqual({});
    expect(checkSection(first, { outcome: 'given', note: 'x'.repeat(201) }).problems).toEqual({ note: 'Keep this to 200 characters (it has 201).' });
  });

  test('reading a card: anything that is not text is no answer; text is trimmed; other fields are ignored', () => {
    const answers = readSection(parent, {
      parent_outcome: 5,
      parent_reason: ['declined'],
      parent_who: '  mother  ',
      parent_how: null,
      parent_words: { text: 'hello' },
      parent_consent: true,
      child_outcome: 'given',
    });
    expect(answers).toEqual({ parent_outcome: '', parent_reason: '', parent_who: 'mother', parent_how: '', parent_words: '', parent_consent: '' });
    expect(checkSection(parent, answers).problems).toEqual({ parent_outcome: 'Choose an answer.' });
  });

  test('keep holds only the answers valid on their own; answers keeps everything typed', () => {
    const typed: Answers = { parent_outcome: 'given', parent_who: 'uncle', parent_how: 'phone', parent_words: 'x'.repeat(2001), parent_consent: '' };
    const check = checkSection(parent, typed);
    expect(check.answers).toEqual(typed);
    expect(check.keep).toEqual({ parent_outcome: 'given', parent_how: 'phone' });
    expect(check.problems).toEqual({ parent_who: 'Choose one of the options.', parent_words: 'Keep this to 2000 characters (it has 2001).', parent_consent: 'Choose an answer.' });

    // A valid answer is kept even while another required one is missing.
    expect(checkSection(lived, { lived_experience_grade: 'good' }).keep).toEqual({ lived_experience_grade: 'good' });
  });
});

describe('a whole form', () => {
  const records = shipped('records_review');
  const family = shipped('family_feedback');

  /** Good answers to every required question of the records review. */
  function completeRecords(): Answers {
    const answers: Answers = {};
    for (const s of records.sections) {
      for (const question of s.questions) {
        if (!question.required) continue;
        answers[question.id] = question.type === 'grade' ? 'good' : question.type === 'choice' ? (question.choices?.[0]?.value ?? '') : 'Seen in the records.';
      }
    }
    return answers;
  }

  test('firstIncompleteSection finds the first section with a problem, and its problems', () => {
    expect(firstIncompleteSection(records, completeRecords())).toBeUndefined();
    expect(firstIncompleteSection(records, {})?.index).toBe(0);

    const third = records.sections[3];
    if (third === undefined) throw new Error('the shipped records review has fewer than four sections');
    const answers = completeRecords();
    for (const question of third.questions) delete answers[question.id];
    answers[records.sections[5]?.questions[0]?.id ?? ''] = 'excellent';
    const found = firstIncompleteSection(records, answers);
    expect(found?.index).toBe(3);
    expect(Object.keys(found?.problems ?? {}).sort()).toEqual(third.questions.filter((question) => question.required).map((question) => question.id).sort());

    // A wrong answer counts as much as a missing one.
    const wrong = completeRecords();
    wrong[records.sections[5]?.questions[0]?.id ?? ''] = 'excellent';
    expect(firstIncompleteSection(records, wrong)).toEqual({ index: 5, problems: { [records.sections[5]?.questions[0]?.id ?? '']: 'Choose one of the options.' } });
  });

  test('firstIncompleteSection applies requiredWhen across the whole form', () => {
    expect(firstIncompleteSection(family, { parent_outcome: 'declined', parent_reason: 'r', child_outcome: 'not_reached', child_reason: 'r' })).toBeUndefined();
    expect(firstIncompleteSection(family, { parent_outcome: 'declined', parent_reason: 'r', child_outcome: 'given' })).toEqual({
      index: 1,
      problems: { child_who: 'Choose an answer.', child_how: 'Choose an answer.', child_words: 'This needs an answer.', child_consent: 'Choose an answer.' },
    });
  });

  test('answerLabel shows a choice by its title, and says when there is no answer', () => {
    const parent = section(family, 'parent');
    const [outcome, , , , , consent] = parent.questions;
    const grade = section(records, 'overall').questions.find((question) => question.id === 'overall_grade');
    if (outcome === undefined || consent === undefined || grade === undefined) throw new Error('the shipped forms have changed');
    expect(answerLabel(outcome, 'not_reached')).toBe('Not reached');
    expect(answerLabel(consent, 'yes')).toBe('Yes');
    expect(answerLabel(grade, 'requires_improvement')).toBe('Requires improvement to be good');
    expect(answerLabel(grade, '')).toBe('Not answered');
    expect(answerLabel(grade, undefined)).toBe('Not answered');
    expect(answerLabel(outcome, 'something else')).toBe('something else');
  });
});
