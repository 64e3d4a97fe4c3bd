import { monthLabel } from '../../cards/labels';
import { noticeCard } from '../../cards/notice.card';
import { recordCard } from '../../cards/record.card';
import { spotlightCard } from '../../cards/spotlight.card';
import { Verbs } from '../../cards/verbs';
import { monthOf, previousMonth } from '../../services/calendar';
import { staffOf } from '../verbs/inputs';
import { spotlightForMonth } from '../../services/spotlights/spotlights-service';
import type { CommandHandler } from './command';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * `spotlight` (or `spotlight 2027-01`): the month's spotlight card for the QA manager,
 * collated first if there is none yet. With no month named: this month's if it has a
 * theme, else last month's (early in a month the QA manager is finishing the last one).
 */
export const spotlight: CommandHandler = async ({ caller, deps, args, personal }) => {
  // The draft is for the QA manager to edit before anyone else sees it.
  if (personal === false) return noticeCard({ title: 'Spotlights are drafted in your personal chat', message: 'Open your personal chat with QA Loop and type "spotlight" there; it is posted to channels from there.', tone: 'info' });
  const person = staffOf(caller);
  const typed = (args ?? '').trim();
  if (typed !== '' && !MONTH.test(typed)) return noticeCard({ title: 'That did not work', message: 'Name the month as YYYY-MM, e.g. "spotlight 2027-01"; or type "spotlight" for the current one.', tone: 'problem' });
  const current = monthOf(deps.clock.now());
  let month = typed;
  if (month === '') month = (await deps.repos.themes.forMonth(current)) !== undefined ? current : previousMonth(current);
  if ((await deps.repos.themes.forMonth(month)) === undefined) {
    return recordCard({
      heading: `Spotlight: ${monthLabel(month)}`,
      intro: 'No theme is planned for this month, so there is no spotlight to collate. Plan one in the themes planner.',
      buttons: [{ title: 'Themes planner', verb: Verbs.openThemes, data: {}, style: 'positive' }],
    });
  }
  return spotlightCard(await spotlightForMonth(deps.services, month, person.email));
};
