import { acknowledgedTokens, privacyConcern, privacyToken } from '../../services/privacy';

describe('the privacy heuristic flags what looks like a child\'s name or a date of birth', () => {
  test.each([
    ['Jane Smith was seen alone at school.', 'name'],
    ['Spoke with Oliver Brown about his plan.', 'name'],
    ['Mum and Lily-Mae Jones attended.', undefined], // "Lily-Mae" is not in the list: a heuristic misses some
    ['Amira Khan-Ali said she felt listened to.', 'name'],
    ['DOB 12/03/2015, lives with grandmother.', 'date-of-birth'],
    ['Child born on 3 March 2016 in hospital.', 'date-of-birth'],
    ['Date of birth: 2015-03-12.', 'date-of-birth'],
    ['14/02/2016 (DOB) recorded on file.', 'date-of-birth'],
  ])('%s', (text, expected) => {
    expect(privacyConcern(text)).toBe(expected);
  });

  test.each([
    'CR204518 was seen alone at school; the plan was reviewed on 12/03/2026.',
    'The Team Manager and the Independent Chair agreed the plan.',
    'Visits are regular and the voice of the child is clear.',
    'Child Protection Conference held on 4 January 2027.',
    'Jack said he liked his new school.',
    'Safeguarding Team Manager 1 reviewed the case in supervision.',
    'Emma and her carer attended the review.',
  ])('not flagged: %s', (text) => {
    expect(privacyConcern(text)).toBeUndefined();
  });

  test('a flagged answer is kept when the same text comes back for the same question, and only then', () => {
    const token = privacyToken('strengths', 'Jane Smith is thriving.');
    expect(acknowledgedTokens(`${token},nonsense,${privacyToken('other', 'x')}`).has(token)).toBe(true);
    expect(acknowledgedTokens(token).has(privacyToken('strengths', 'Jane Smith is thriving!'))).toBe(false);
    expect(acknowledgedTokens(token).has(privacyToken('areas_to_develop', 'Jane Smith is thriving.'))).toBe(false);
    expect(acknowledgedTokens(42).size).toBe(0);
  });
});
