import { themeOriginLabels, type ThemeOrigin } from '../themes/theme';
import { shareText } from './figures';
import { monthName } from './period';
import type { ClosingTheLoopFigures } from './report';
import type { DocumentBlock, DocumentSection } from './report-document';

const originLabel = (origin: string): string => themeOriginLabels[origin as ThemeOrigin] ?? origin;

/** The report's "Spotlights and seven-minute briefings" section: themes with their findings and discussion, then briefings with delivery and acknowledgement. */
export function closingTheLoopSection(figures: ClosingTheLoopFigures, trustWide: boolean): DocumentSection {
  const blocks: DocumentBlock[] = [];
  if (figures.spotlights.length === 0) {
    blocks.push({ type: 'paragraph', text: 'No spotlight was posted for the months of this period.' });
  } else {
    blocks.push(
      { type: 'paragraph', text: 'Spotlights are trust-wide: each collates the month\'s thematic reviews (dip-samples against the theme) and the moderated reviews and observations bearing on it, and is discussed in a thread in each channel it was posted to.' },
      {
        type: 'table',
        table: {
          caption: 'Spotlight themes, their headline findings and discussion',
          columns: ['Month', 'Theme', 'Where it came from', 'Headline', 'Managers', 'Cases sampled', 'Channels', 'Thread replies', 'Questions to the bot'],
          rows: figures.spotlights.map((line) => ({
            cells: [monthName(line.month), line.theme, originLabel(line.origin), line.headline, String(line.managers), String(line.casesSampled), String(line.channels), String(line.replies.length), String(line.questionsToBot.length)],
          })),
        },
      },
    );
    for (const line of figures.spotlights) {
      const items = [...line.strengths.map((text) => `Strength: ${text}`), ...line.gaps.map((text) => `To develop: ${text}`)];
      if (items.length > 0) blocks.push({ type: 'paragraph', text: `${line.theme} (${monthName(line.month)}): recurring strengths and gaps` }, { type: 'list', items });
    }
  }
  if (figures.briefings.length === 0) {
    blocks.push({ type: 'paragraph', text: 'No seven-minute briefing was sent in this period.' });
  } else {
    blocks.push(
      {
        type: 'paragraph',
        text: `Personal copies ${trustWide ? '' : 'to people in this scope (by their service and team when it was sent) '}with how their delivery stands now, and acknowledgements ("I've read this") and read receipts made by the end of the period, as a share of the copies delivered.`,
      },
      {
        type: 'table',
        table: {
          caption: 'Seven-minute briefings: delivery and acknowledgement',
          columns: ['Briefing', 'Sent', 'Copies', 'Delivered', 'Not installed', 'Failed', 'Not sent', 'Acknowledged (of delivered)', 'Read receipts', 'Team uses recorded', 'Channels'],
          rows: [
            ...figures.briefings.map((line) => ({
              cells: [
                line.recalled ? `${line.title} (recalled)` : line.title,
                line.sentOn,
                String(line.copies.length),
                String(line.delivered.length),
                String(line.notInstalled.length),
                String(line.failed.length),
                String(line.notSent.length),
                `${line.acknowledged.length}: ${shareText(line.acknowledged.length, line.delivered.length)}`,
                String(line.read.length),
                String(line.usage.length),
                trustWide ? String(line.channels) : '',
              ],
            })),
            {
              cells: ['All briefings', '', String(figures.copies.length), String(figures.delivered.length), '', '', '', `${figures.acknowledged.length}: ${shareText(figures.acknowledged.length, figures.delivered.length)}`, String(figures.read.length), String(figures.usage.length), ''],
              total: true,
            },
          ],
        },
      },
      {
        type: 'table',
        table: {
          caption: 'Acknowledgement of delivered briefings, by service and team',
          columns: ['Team', 'Delivered', 'Acknowledged'],
          rows: figures.acknowledgementByTeam.map((team) => ({
            cells: [`${team.team}, ${team.service}`, String(team.delivered.length), `${team.acknowledged.length}: ${shareText(team.acknowledged.length, team.delivered.length)}`],
          })),
        },
      },
    );
  }
  return { id: 'closing-the-loop', title: 'Spotlights and seven-minute briefings', blocks };
}
