import { whenLabel } from '../services/calendar';
import type { BriefingMessage } from '../services/briefings/briefing-messages';
import { usageSettings, type UsageOutcome } from '../services/briefings/briefing-usage';
import type { QaBriefingLine, TeamBriefingLine } from '../services/briefings/briefing-views';
import { actionRowQuestions } from './action-rows';
import { briefingApprovalCard, briefingChannelCard, briefingCopyCard, briefingDecidedCard, briefingDeliveryCard, briefingWithdrawnCard, statusLabels } from './briefing.card';
import { dayLabel } from './labels';
import { recordCard, type CardButton, type CardGroup } from './record.card';
import { CARD_CONTENT_TYPE, type AdaptiveCard } from './render';
import { Verbs } from './verbs';

/** A team's use of a briefing: the form (with problems beside fields), or what was recorded. */
export function briefingUsageCard(outcome: UsageOutcome): AdaptiveCard {
  const { briefing } = outcome;
  const data = { briefingId: briefing.id, step: 'save' };
  if (outcome.show === 'recorded') {
    return recordCard({
      heading: `How your team used it: ${briefing.title}`,
      facts: [
        { title: 'Where', value: usageSettings.find((setting) => setting.value === outcome.usage.setting)?.title ?? outcome.usage.setting },
        { title: 'When', value: dayLabel(outcome.usage.discussedOn) },
        ...(outcome.usage.notes === null ? [] : [{ title: 'Notes', value: outcome.usage.notes }]),
      ],
      note: outcome.note,
      noteTone: 'good',
    });
  }
  const { values, problems } = outcome;
  return recordCard({
    heading: `How your team used it: ${briefing.title}`,
    intro: 'The briefing\'s action plan: where your team discussed it, and what you agreed to do.',
    facts: outcome.recorded.map((usage) => ({ title: 'Recorded', value: `${usageSettings.find((setting) => setting.value === usage.setting)?.title ?? usage.setting}, ${dayLabel(usage.discussedOn)}` })),
    note: outcome.note,
    noteTone: Object.keys(problems).length > 0 ? 'problem' : 'plain',
    formTitle: 'Your team\'s discussion',
    questions: [
      { id: 'setting', label: 'Where', input: 'choice', value: values.setting, problem: problems.setting ?? '', choices: usageSettings.map((setting) => ({ title: setting.title, value: setting.value })) },
      { id: 'discussedOn', label: 'Date', input: 'date', value: values.discussedOn, problem: problems.discussedOn ?? '' },
      { id: 'notes', label: 'Notes (optional)', input: 'text', multiline: true, maxLength: 2000, value: values.notes, problem: problems.notes ?? '' },
      ...actionRowQuestions(values.rows, problems, outcome.owners),
    ],
    buttons: [{ title: 'Record', verb: Verbs.briefingUsage, data, style: 'positive' }],
  });
}

/** The QA service's briefings: status and figures, and a way into each. */
export function qaBriefingsCard(lines: QaBriefingLine[], spotlightId: string): AdaptiveCard {
  const groups: CardGroup[] = lines.map(({ briefing, figures }) => ({
    title: briefing.title,
    facts: [
      { title: 'Status', value: statusLabels[briefing.status] },
      ...(figures === undefined ? [] : [{ title: 'Copies', value: `${figures.sent} delivered, ${figures.notInstalled} not installed, ${figures.failed} failed, ${figures.queued} queued` }, { title: 'Acknowledged', value: `${figures.acknowledged} of ${figures.people}` }]),
    ],
    texts: [],
  }));
  // Teams shows a handful of buttons well: a new draft, and the five newest briefings.
  const buttons: CardButton[] = [
    { title: 'Draft a new briefing', verb: Verbs.draftBriefing, data: {}, style: 'positive' },
    ...(spotlightId === '' ? [] : [{ title: "Draft from this month's spotlight", verb: Verbs.draftBriefing, data: { spotlightId }, style: 'default' as const }]),
    ...lines.slice(0, 4).map(({ briefing }): CardButton => ({ title: `Open: ${briefing.title.slice(0, 40)}`, verb: Verbs.openBriefing, data: { briefingId: briefing.id }, style: 'default' })),
  ];
  return recordCard({ heading: 'Seven-minute briefings', intro: lines.length === 0 ? 'No briefings yet.' : 'The newest first.', groups, buttons });
}

/** A manager's view: their team's acknowledgements of each sent briefing, and who has not yet. */
export function teamBriefingsCard(lines: TeamBriefingLine[], teamName: string): AdaptiveCard {
  const groups: CardGroup[] = lines.map(({ briefing, members }) => {
    const acknowledged = members.filter((member) => member.acknowledgedAt !== null).length;
    const waiting = members.filter((member) => member.acknowledgedAt === null);
    return {
      title: briefing.title,
      facts: [
        { title: 'Status', value: statusLabels[briefing.status] },
        ...(briefing.sentAt === null ? [] : [{ title: 'Sent', value: whenLabel(briefing.sentAt) }]),
        { title: 'Acknowledged', value: `${acknowledged} of ${members.length} in ${teamName}` },
      ],
      texts: waiting.length === 0 ? [] : [{ label: 'Not yet acknowledged', text: waiting.map((member) => `${member.name}${member.delivered ? '' : ' (not delivered)'}`).join(', ') }],
    };
  });
  return recordCard({ heading: 'Seven-minute briefings: your team', intro: lines.length === 0 ? 'No briefings have been sent to your team yet.' : `${teamName}: who has read each briefing.`, groups });
}

const cardActivity = (card: AdaptiveCard, summary: string): Record<string, unknown> => ({ type: 'message', summary, attachments: [{ contentType: CARD_CONTENT_TYPE, content: card }] });

/** The briefing's messages as Teams activities (the notice composer's `briefing` notices). */
export function briefingActivity(message: BriefingMessage): Record<string, unknown> {
  switch (message.view) {
    case 'copy':
      return cardActivity(briefingCopyCard({ briefing: message.briefing, canRecordUsage: message.canRecordUsage, reminder: message.reminder, acknowledgedAt: null }), message.reminder ? `Reminder: ${message.briefing.title}` : `Seven-minute briefing: ${message.briefing.title}`);
    case 'channel':
      return cardActivity(briefingChannelCard(message.briefing), `Seven-minute briefing: ${message.briefing.title}`);
    case 'withdrawn':
      return cardActivity(briefingWithdrawnCard(message.briefing), `Withdrawn: ${message.briefing.title}`);
    case 'delivery':
      return cardActivity(briefingDeliveryCard({ briefing: message.briefing, figures: message.figures }), `Delivery: ${message.briefing.title}`);
    case 'approval':
      return cardActivity(briefingApprovalCard({ briefing: message.briefing, author: message.author, reason: '', problems: {}, flagged: '', note: '' }), `For approval: ${message.briefing.title}`);
    case 'decided':
      return cardActivity(briefingDecidedCard(message.briefing, message.approver), message.briefing.status === 'draft' ? `Sent back: ${message.briefing.title}` : `Approved: ${message.briefing.title}`);
  }
}
