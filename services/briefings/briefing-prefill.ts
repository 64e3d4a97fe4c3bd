import type { JobContext } from '../cycle-jobs';
import { QaError } from '../errors';
import type { SpotlightContent } from '../spotlights/spotlight';
import type { BriefingParts } from './briefing';
import { PART_MAX, TITLE_MAX, type DraftValues } from './briefing-drafts';

const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
const monthWords = (month: string): string => new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T12:00:00Z`));
const list = (items: readonly string[]): string => items.filter((item) => item.trim() !== '').join('; ');

/**
 * A first draft from a month's spotlight, for the QA manager to edit: the background from
 * why the theme was chosen, the key points from the figures, strengths and gaps, and what
 * to do from the gaps with the theme's questions put to the team for discussion.
 */
export function partsFromSpotlight(themeTitle: string, themeWhy: string, month: string, content: SpotlightContent): DraftValues {
  const { figures, edits } = content;
  const grades = figures.grades.filter((entry) => entry.count > 0).map((entry) => `${entry.grade.replace(/_/g, ' ')} ${entry.count}`);
  const questions = figures.questions.slice(0, 3).map((question) => question.label.replace(/\?*$/, '?'));
  const parts: BriefingParts = {
    background: `${themeWhy} In ${monthWords(month)} ${figures.managers} manager${figures.managers === 1 ? '' : 's'} dip-sampled ${figures.casesSampled} case${figures.casesSampled === 1 ? '' : 's'} against the theme "${themeTitle}".`,
    whyItMatters: edits.headline.trim() !== '' ? edits.headline : `What we found about ${themeTitle} shapes how we work with children and families.`,
    keyPoint1: edits.strengths.length > 0 ? `What is working well: ${list(edits.strengths)}.` : 'What is working well: (add the strengths found).',
    keyPoint2: edits.gaps.length > 0 ? `What needs to improve: ${list(edits.gaps)}.` : 'What needs to improve: (add the gaps found).',
    keyPoint3:
      grades.length > 0
        ? `Grades of the month's moderated reviews and observations: ${grades.join(', ')} (${figures.reviewsConsidered} reviews, ${figures.observationsConsidered} observations).`
        : `${figures.reviewsConsidered} reviews and ${figures.observationsConsidered} observations bore on the theme.`,
    remember: edits.quotes.length > 0 ? `In managers' words: "${edits.quotes[0]}"` : `Keep ${themeTitle} in mind in every visit, plan and supervision.`,
    whatToDo: [
      edits.gaps.length > 0 ? `Act on: ${list(edits.gaps)}.` : 'Agree one change your team will make.',
      questions.length > 0 ? `For team discussion: ${questions.join(' ')}` : 'For team discussion: what would make the difference for the children we work with?',
    ].join(' '),
  };
  for (const key of Object.keys(parts) as (keyof BriefingParts)[]) parts[key] = clip(parts[key], PART_MAX);
  return { title: clip(`Seven-minute briefing: ${themeTitle}`, TITLE_MAX), parts };
}

/** Pre-fills a draft from a stored spotlight (read with the briefing repository's own query). */
export async function draftFromSpotlight(context: Pick<JobContext, 'repos'>, spotlightId: string): Promise<DraftValues> {
  const source = await context.repos.briefings.spotlightSource(spotlightId);
  if (source === undefined) throw new QaError('NOT_FOUND', 'spotlight not found', { userMessage: 'That spotlight no longer exists.' });
  return partsFromSpotlight(source.themeTitle, source.themeWhy, source.month, JSON.parse(source.contentJson) as SpotlightContent);
}
