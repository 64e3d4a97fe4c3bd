import { shippedDefinition } from '../../services/forms/forms-service';
import { answerSpotlightQuestion } from '../../services/spotlights/spotlight-answers';
import { collateSpotlight } from '../../services/spotlights/spotlight-collation';
import { checkSpotlightEdits } from '../../services/spotlights/spotlight-edits';

const form = shippedDefinition('thematic_review');
const sample = (theme_evident: string, child_voice: string, grade: string) => ({ answers: { theme_evident, child_voice, grade, finding: 'Seen in the record.' } });

describe('collating a spotlight', () => {
  const collation = collateSpotlight({
    form,
    thematicReviews: [
      { reviewerId: 'm1', samples: [sample('yes', 'no', 'good'), sample('yes', 'no', 'inadequate')] },
      { reviewerId: 'm2', samples: [sample('yes', 'yes', 'good')] },
      { reviewerId: 'm2', samples: [] },
    ],
    reviews: [{ reviewerGrade: 'good', finalGrade: 'requires_improvement' }, { reviewerGrade: 'outstanding', finalGrade: null }],
    observations: [{ grade: 'good' }, { grade: null }],
  });

  test('counts managers, cases and each question\'s answers; text answers are counted, never quoted', () => {
    expect(collation.figures).toMatchObject({ managers: 2, casesSampled: 3, reviewsConsidered: 2, observationsConsidered: 2 });
    expect(collation.figures.questions.find((q) => q.key === 'theme_evident')?.counts).toEqual([{ answer: 'Yes', count: 3 }]);
    expect(collation.figures.questions.find((q) => q.key === 'child_voice')?.counts).toEqual([{ answer: 'Yes', count: 1 }, { answer: 'No', count: 2 }]);
    expect(collation.figures.questions.find((q) => q.key === 'finding')).toEqual({ key: 'finding', label: 'What you found', answered: 3, counts: [] });
    expect(JSON.stringify(collation)).not.toContain('Seen in the record');
  });

  test('takes the moderator\'s grade where a review was moderated, and observations\' grades', () => {
    expect(collation.figures.grades).toEqual([{ grade: 'outstanding', count: 1 }, { grade: 'good', count: 1 }, { grade: 'requires_improvement', count: 1 }]);
  });

  test('suggests recurring strengths (two in three alike) and gaps (one in three)', () => {
    expect(collation.strengths.join(' ')).toContain('3 of 3 cases: Yes');
    expect(collation.gaps.join(' ')).toContain("Is the child's voice evident? 2 of 3 cases: No");
    expect(collation.gaps.join(' ')).toContain('1 of 3 cases: Requires improvement to be good or Inadequate');
  });

  test('an empty month collates to zeros', () => {
    const empty = collateSpotlight({ form, thematicReviews: [], reviews: [], observations: [] });
    expect(empty.figures).toMatchObject({ managers: 0, casesSampled: 0, grades: [] });
    expect(empty.strengths).toEqual([]);
    expect(empty.gaps).toEqual([]);
  });

  test('answers a question from the figures without repeating it', () => {
    const content = { figures: collation.figures, edits: { headline: 'H', strengths: ['Plans are clear.'], gaps: ['Voice missing.'], quotes: [] } };
    expect(answerSpotlightQuestion('how many managers? CR123456', 'Neglect', content)).toBe('2 managers sampled cases for this theme.');
    expect(answerSpotlightQuestion('what about the child\'s voice', 'Neglect', content)).toContain('Yes: 1, No: 2');
    expect(answerSpotlightQuestion('gaps please', 'Neglect', content)).toContain('Voice missing.');
    const fallback = answerSpotlightQuestion('Tom Jones?', 'Neglect', content);
    expect(fallback).toContain('You can ask me about');
    expect(fallback).not.toContain('Tom');
  });
});

describe('checking the QA manager\'s edits', () => {
  const values = { headline: 'Neglect seen early', strengths: 'One\nTwo', gaps: '', quotes: 'Mum said it helped.', channels: '19:a' };
  test('splits lists into lines and keeps chosen channels', () => {
    expect(checkSpotlightEdits(values, ['19:a', '19:b'], undefined)).toEqual({ ok: true, edits: { headline: 'Neglect seen early', strengths: ['One', 'Two'], gaps: [], quotes: ['Mum said it helped.'] }, channels: ['19:a'] });
  });
  test('refuses a channel not offered, too many quotes, and a full name until it is sent again', () => {
    const check = checkSpotlightEdits({ ...values, channels: '19:z', quotes: 'a\nb\nc\nd\ne', strengths: 'Sarah Jones was seen' }, ['19:a'], undefined);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(Object.keys(check.problems).sort()).toEqual(['channels', 'quotes', 'strengths']);
    const again = checkSpotlightEdits({ ...values, strengths: 'Sarah Jones was seen' }, ['19:a'], check.acknowledge);
    expect(again.ok).toBe(true);
  });
});
