import { gradeLabels } from '../forms/grades';
import type { SpotlightContent } from './spotlight';

/**
 * Answers a question asked of the bot in a spotlight's thread from the spotlight's own
 * figures. The question only chooses which figures to give: it is never repeated back,
 * as people may type a child's details by mistake.
 */
export const WHAT_CAN_BE_ASKED = [
  'how many cases were sampled',
  'how many managers took part',
  'the grades',
  'the answers to a question (name a few of its words)',
  'the strengths',
  'the gaps',
];

const words = (text: string): string[] => text.toLowerCase().match(/[a-z0-9']+/g) ?? [];
/** Words too common to pick out a dip-sample question by. */
const COMMON = new Set(['the', 'a', 'an', 'is', 'are', 'was', 'were', 'of', 'in', 'on', 'for', 'to', 'and', 'or', 'how', 'many', 'what', 'did', 'does', 'do', 'this', 'that', 'it', 'be', 'with', 'evident', 'record', 'case', 'cases', 'qa', 'loop', 'about', 'answer', 'answers', 'question', 'we', 'you', 'there', 'any']);

const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;

export function answerSpotlightQuestion(question: string, themeTitle: string, content: SpotlightContent): string {
  const { figures, edits } = content;
  const asked = words(question);
  const has = (...stems: string[]): boolean => asked.some((word) => stems.some((stem) => word.startsWith(stem)));
  const parts: string[] = [];

  // A question of the dip-sample named by its own words (at least two uncommon ones, or one long one).
  const scored = figures.questions
    .map((entry) => {
      const label = new Set(words(entry.label).filter((word) => !COMMON.has(word)));
      const hits = asked.filter((word) => !COMMON.has(word) && label.has(word));
      return { entry, score: hits.length, long: hits.some((word) => word.length >= 6) };
    })
    .filter((candidate) => candidate.score >= 2 || candidate.long)
    .sort((a, b) => b.score - a.score);
  const named = scored[0]?.entry;
  if (named !== undefined) {
    const counts = named.counts.length === 0 ? `${plural(named.answered, 'case')} answered it` : named.counts.map((count) => `${count.answer}: ${count.count}`).join(', ');
    parts.push(`"${named.label}": ${counts} (of ${plural(figures.casesSampled, 'case')} sampled).`);
  }
  if (has('case', 'sampl', 'dip')) parts.push(`${plural(figures.casesSampled, 'case')} sampled against "${themeTitle}".`);
  if (has('manager', 'who', 'people', 'reviewer')) parts.push(`${plural(figures.managers, 'manager')} sampled cases for this theme.`);
  if (has('grade', 'outstanding', 'good', 'inadequate', 'requires')) {
    const grades = figures.grades.map((entry) => `${gradeLabels[entry.grade]}: ${entry.count}`).join(', ');
    parts.push(
      grades === ''
        ? 'No moderated reviews or observations were graded this month.'
        : `Grades this month (moderated reviews and observations, the moderator's grade where moderated): ${grades}.`,
    );
  }
  if (has('strength', 'well', 'good practice', 'positive')) parts.push(edits.strengths.length === 0 ? 'No strengths were listed.' : `Strengths: ${edits.strengths.join(' ')}`);
  if (has('gap', 'weak', 'improv', 'develop', 'worry', 'concern')) parts.push(edits.gaps.length === 0 ? 'No gaps were listed.' : `Gaps: ${edits.gaps.join(' ')}`);

  if (parts.length === 0) {
    return [
      `The spotlight on "${themeTitle}": ${plural(figures.casesSampled, 'case')} sampled by ${plural(figures.managers, 'manager')}.`,
      `You can ask me about ${WHAT_CAN_BE_ASKED.join('; ')}.`,
    ].join('\n\n');
  }
  return parts.join('\n\n');
}
