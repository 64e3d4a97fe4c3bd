import { noticeCard } from '../../cards/notice.card';
import { reportCard } from '../../cards/report.card';
import { isQaError } from '../../services/errors';
import { buildReport } from '../../services/reports/report-builder';
import { reportLinkMaker } from '../../services/reports/report-link';
import { reportRequestFor } from '../../services/reports/report-request';
import { summarise } from '../../services/reports/report-summary';
import type { CommandHandler } from './command';

/**
 * `report`: the headline figures of a QA report on a card, with a signed, expiring link
 * to the full report on this bot's server. The QA manager (and directors) may ask for the
 * trust or any service; other managers get their own service. Only in the personal chat.
 */
export const report: CommandHandler = async ({ caller, deps, args, personal }) => {
  // Figures and a link that opens the report are for the person who asked, not for a channel.
  if (personal === false) return noticeCard({ title: 'Reports are personal', message: 'QA Loop shows reports only in your personal chat with it: open that chat and type "report" there.', tone: 'info' });
  const person = caller.staff;
  if (person === undefined) return noticeCard({ title: 'Not available to you', message: 'QA Loop does not know you yet. The QA service adds managers to the rota.', tone: 'problem' });
  try {
    const request = await reportRequestFor(deps.services, person, caller.roles, args ?? '');
    const built = await buildReport(deps.services, request);
    return reportCard({ summary: summarise(built), link: reportLinkMaker(deps.config.reportLinks, deps.clock)(request, person.email) });
  } catch (error) {
    if (isQaError(error) && (error.code === 'INVALID_INPUT' || error.code === 'FORBIDDEN' || error.code === 'NOT_FOUND')) {
      return noticeCard({ title: error.code === 'FORBIDDEN' ? 'Not available to you' : 'That did not work', message: error.userMessage, tone: 'problem' });
    }
    throw error;
  }
};
