import { gradeLabels } from '../services/forms/grades';
import { SPOTLIGHT_LIMITS } from '../services/spotlights/spotlight-edits';
import type { SpotlightSnapshot, SpotlightView } from '../services/spotlights/spotlights-service';
import type { SpotlightFigures } from '../services/spotlights/spotlight';
import { themeOriginLabels } from '../services/themes/theme';
import { NO_NAMES } from './form-section.card';
import { monthLabel } from './labels';
import { recordCard, type CardButton, type CardGroup, type Fact } from './record.card';
import type { AdaptiveCard } from './render';
import { Verbs } from './verbs';

const gradesText = (figures: SpotlightFigures): string =>
  figures.grades.length === 0 ? 'None graded yet' : figures.grades.map((entry) => `${gradeLabels[entry.grade]} ${entry.count}`).join(', ');

/** The figures every spotlight card shows, as facts. */
function figureFacts(snapshot: SpotlightSnapshot): Fact[] {
  const { figures } = snapshot.spotlight.content;
  return [
    { title: 'Theme', value: snapshot.theme.title },
    { title: 'Why', value: `${themeOriginLabels[snapshot.theme.origin]}: ${snapshot.theme.why}` },
    { title: 'Cases sampled', value: String(figures.casesSampled) },
    { title: 'Managers', value: String(figures.managers) },
    { title: 'Grades this month', value: gradesText(figures) },
    { title: 'Also considered', value: `${figures.reviewsConsidered} moderated review${figures.reviewsConsidered === 1 ? '' : 's'}, ${figures.observationsConsidered} observation${figures.observationsConsidered === 1 ? '' : 's'}` },
  ];
}

/** Each dip-sample question with its answers counted. */
function answersGroup(figures: SpotlightFigures): CardGroup {
  return {
    title: 'What the sample found',
    facts: figures.questions.map((question) => ({
      title: question.label,
      value: question.counts.length === 0 ? `${question.answered} answered` : question.counts.map((count) => `${count.answer} ${count.count}`).join(', '),
    })),
    texts: [],
  };
}

const listText = (lines: string[]): string => lines.map((line) => `- ${line}`).join('\n');

/** The QA manager's card: the figures, the words to edit, the channels to choose, and the buttons. */
export function spotlightCard(view: SpotlightView): AdaptiveCard {
  const { snapshot } = view;
  const { spotlight } = snapshot;
  const heading = `Spotlight: ${monthLabel(spotlight.month)}`;
  const groups: CardGroup[] = [answersGroup(spotlight.content.figures)];
  const refresh = { verb: Verbs.openSpotlight, data: { spotlightId: spotlight.id } };
  if (spotlight.status === 'posted') {
    const { edits } = spotlight.content;
    groups.push({
      title: edits.headline,
      facts: [],
      texts: [
        ...(edits.strengths.length > 0 ? [{ label: 'Strengths', text: listText(edits.strengths) }] : []),
        ...(edits.gaps.length > 0 ? [{ label: 'Gaps', text: listText(edits.gaps) }] : []),
        ...(edits.quotes.length > 0 ? [{ label: 'From the sample', text: listText(edits.quotes.map((quote) => `"${quote}"`)) }] : []),
      ],
    });
    groups.push({
      title: 'Threads',
      facts: snapshot.posts.map((post) => ({ title: post.channelName, value: `${post.rootActivityId === null ? 'Queued' : 'Posted'}; ${post.replies} repl${post.replies === 1 ? 'y' : 'ies'}, ${post.questions} question${post.questions === 1 ? '' : 's'} to QA Loop` })),
      texts: [],
    });
    return recordCard({ heading, intro: 'Posted to the channels below as a new thread in each.', facts: figureFacts(snapshot), note: view.note, noteTone: view.noteTone, groups, refresh });
  }
  const buttonData = { spotlightId: spotlight.id, ...(view.acknowledge === '' ? {} : { privacyChecked: view.acknowledge }) };
  const buttons: CardButton[] = [
    { title: 'Post to channels', verb: Verbs.postSpotlight, data: buttonData, style: 'positive' },
    { title: 'Save', verb: Verbs.saveSpotlight, data: buttonData, style: 'default' },
    { title: 'Collate again', verb: Verbs.collateSpotlight, data: { spotlightId: spotlight.id }, style: 'default' },
    { title: 'Themes planner', verb: Verbs.openThemes, data: {}, style: 'default' },
  ];
  const list = (id: 'strengths' | 'gaps' | 'quotes', label: string, help: string) => ({
    id, label, input: 'text' as const, multiline: true, maxLength: SPOTLIGHT_LIMITS[id] * (SPOTLIGHT_LIMITS.line + 1), value: view.values[id], problem: view.problems[id] ?? '', help,
  });
  return recordCard({
    heading,
    intro: 'Draft: check the figures, edit the words, choose the channels, then post. Nothing goes to a channel until you press "Post to channels".',
    facts: figureFacts(snapshot),
    note: view.note,
    noteTone: view.noteTone,
    groups,
    formTitle: 'What the channels will read',
    formHelp: NO_NAMES,
    questions: [
      { id: 'headline', label: 'Headline', input: 'text', maxLength: SPOTLIGHT_LIMITS.headline.max, value: view.values.headline, problem: view.problems.headline ?? '' },
      list('strengths', 'Recurring strengths', 'One a line.'),
      list('gaps', 'Recurring gaps', 'One a line.'),
      list('quotes', 'Quotes from the sample', `One a line, at most ${SPOTLIGHT_LIMITS.quotes}.`),
      {
        id: 'channels',
        label: 'Post to these channels',
        input: 'multichoice',
        value: view.values.channels,
        problem: view.problems.channels ?? '',
        help: snapshot.channelOptions.length === 0 ? 'QA Loop is in no team yet: add it to a team, then collate again.' : 'Any channel of a team QA Loop is in.',
        choices: snapshot.channelOptions.map((option) => ({ title: option.name, value: option.conversationId })),
      },
    ],
    buttons,
    refresh,
  });
}

/** What a channel sees: the first message of the spotlight's thread. */
export function postedSpotlightCard(snapshot: SpotlightSnapshot): AdaptiveCard {
  const { spotlight } = snapshot;
  const { edits, figures } = spotlight.content;
  return recordCard({
    heading: `Spotlight, ${monthLabel(spotlight.month)}: ${edits.headline}`,
    intro: `This month's thematic review, from managers' dip-samples of cases against the theme.`,
    facts: figureFacts(snapshot),
    groups: [
      answersGroup(figures),
      {
        title: 'Strengths and gaps',
        facts: [],
        texts: [
          ...(edits.strengths.length > 0 ? [{ label: 'Strengths', text: listText(edits.strengths) }] : []),
          ...(edits.gaps.length > 0 ? [{ label: 'Gaps', text: listText(edits.gaps) }] : []),
          ...(edits.quotes.length > 0 ? [{ label: 'From the sample', text: listText(edits.quotes.map((quote) => `"${quote}"`)) }] : []),
        ],
      },
    ],
    note: 'Reply in this thread to discuss; @mention QA Loop to ask about the figures.',
    noteTone: 'plain',
  });
}
