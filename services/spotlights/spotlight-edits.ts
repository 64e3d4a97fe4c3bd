import { acknowledgedTokens, privacyConcern, privacyMessages, privacyToken } from '../privacy';
import type { SpotlightEdits } from './spotlight';

/** The spotlight card's inputs as typed: lists are one entry a line; channels are the ticked ids joined by commas. */
export interface SpotlightEditValues {
  headline: string;
  strengths: string;
  gaps: string;
  quotes: string;
  channels: string;
}

export type SpotlightEditField = keyof SpotlightEditValues;

export const SPOTLIGHT_LIMITS = {
  headline: { min: 3, max: 200 },
  /** Each line of a list, and how many lines a list may hold. */
  line: 300,
  strengths: 6,
  gaps: 6,
  quotes: 4,
  channels: 10,
} as const;

export type EditsCheck =
  | { ok: true; edits: SpotlightEdits; channels: string[] }
  | { ok: false; problems: Partial<Record<SpotlightEditField, string>>; acknowledge: string };

export const linesOf = (text: string): string[] => text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');

export const valuesOf = (edits: SpotlightEdits, channels: readonly string[]): SpotlightEditValues => ({
  headline: edits.headline,
  strengths: edits.strengths.join('\n'),
  gaps: edits.gaps.join('\n'),
  quotes: edits.quotes.join('\n'),
  channels: channels.join(','),
});

/**
 * Checks the QA manager's edits: lengths, how many entries each list holds, channels
 * chosen from those offered, and free text that looks like it names a child or gives a
 * date of birth (kept only when sent again unchanged, as on every other card).
 */
export function checkSpotlightEdits(values: SpotlightEditValues, offeredChannels: readonly string[], privacyChecked: unknown): EditsCheck {
  const problems: Partial<Record<SpotlightEditField, string>> = {};
  const headline = values.headline.trim();
  if (headline.length < SPOTLIGHT_LIMITS.headline.min) problems.headline = 'Give the spotlight a headline of at least 3 characters.';
  else if (headline.length > SPOTLIGHT_LIMITS.headline.max) problems.headline = `Keep the headline to ${SPOTLIGHT_LIMITS.headline.max} characters.`;
  const lists = { strengths: linesOf(values.strengths), gaps: linesOf(values.gaps), quotes: linesOf(values.quotes) };
  for (const field of ['strengths', 'gaps', 'quotes'] as const) {
    const lines = lists[field];
    if (lines.length > SPOTLIGHT_LIMITS[field]) problems[field] = `At most ${SPOTLIGHT_LIMITS[field]} lines here: one ${field === 'quotes' ? 'quote' : 'point'} a line.`;
    else if (lines.some((line) => line.length > SPOTLIGHT_LIMITS.line)) problems[field] = `Keep each line to ${SPOTLIGHT_LIMITS.line} characters.`;
  }
  const channels = [...new Set(values.channels.split(',').map((id) => id.trim()).filter((id) => id !== ''))];
  if (channels.some((id) => !offeredChannels.includes(id))) problems.channels = 'Choose from the channels listed (the bot must be in the team).';
  else if (channels.length > SPOTLIGHT_LIMITS.channels) problems.channels = `Choose at most ${SPOTLIGHT_LIMITS.channels} channels.`;

  const acknowledged = acknowledgedTokens(privacyChecked);
  const flagged: string[] = [];
  for (const field of ['headline', 'strengths', 'gaps', 'quotes'] as const) {
    const text = field === 'headline' ? headline : lists[field].join('\n');
    const concern = problems[field] === undefined && text !== '' ? privacyConcern(text) : undefined;
    if (concern === undefined || acknowledged.has(privacyToken(field, text))) continue;
    problems[field] = privacyMessages[concern];
    flagged.push(privacyToken(field, text));
  }
  if (Object.keys(problems).length > 0) return { ok: false, problems, acknowledge: flagged.join(',') };
  return { ok: true, edits: { headline, ...lists }, channels };
}
