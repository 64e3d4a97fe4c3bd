import type { ReportSummary } from '../services/reports/report-summary';
import { recordCard } from './record.card';
import type { AdaptiveCard } from './render';

export interface ReportCardInput {
  summary: ReportSummary;
  /** The signed link to the full report, or undefined when links are not set up. */
  link: string | undefined;
  /** Said under the heading, e.g. why the card came (a scheduled report). */
  intro?: string;
}

/** How to make the same report by hand, for when there is no link. */
function command(summary: ReportSummary): string {
  const { period, scope } = summary.request;
  const scopePart = scope.kind === 'trust' ? '' : ` --service "${scope.service}"${scope.kind === 'team' ? ` --team "${scope.team}"` : ''}`;
  return `npm run qa -- report ${period.kind} ${period.key}${scopePart}`;
}

/**
 * A report's headline figures: a heading with the period, the scope and the as-at
 * moment, a FactSet per group, and a button opening the full report (HTML, with charts
 * and the CSV downloads) on the bot's own server through a signed, expiring link.
 */
export function reportCard(input: ReportCardInput): AdaptiveCard {
  const { summary, link } = input;
  const card = recordCard({
    heading: summary.title,
    intro: [input.intro, `${summary.scopeLabel}. Figures as at ${summary.asAt}.`].filter((part) => part !== undefined && part !== '').join(' '),
    groups: summary.groups.map((group) => ({ title: group.title, facts: group.facts, texts: [] })),
    note:
      link === undefined
        ? `The full report (charts, tables and CSV for Power BI or Excel) is made with: ${command(summary)}. Links to it are not set up on this bot.`
        : 'The full report has the charts, the tables and CSV downloads; its link works for a limited time.',
    noteTone: 'plain',
  });
  if (link !== undefined) card.actions = [...(card.actions ?? []), { type: 'Action.OpenUrl', title: 'Open the full report', url: link }];
  return card;
}
