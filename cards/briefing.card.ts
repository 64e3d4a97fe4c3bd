import { whenLabel } from '../services/calendar';
import { briefingPartKeys, briefingPartLabels, type Briefing, type BriefingStatus } from '../services/briefings/briefing';
import type { AudienceChoices } from '../services/briefings/briefing-audience';
import { PART_MAX, TITLE_MAX, type BriefingProblems, type DraftValues } from '../services/briefings/briefing-drafts';
import type { DeliveryFigures } from '../services/briefings/briefing-messages';
import type { AudienceInput } from '../services/briefings/briefing-schedule';
import type { StaffMember } from '../services/staff';
import { recordCard, type CardButton, type CardGroup, type CardQuestion, type Fact } from './record.card';
import type { AdaptiveCard } from './render';
import { Verbs } from './verbs';

/** The briefing's cards: drafting, preview, approval, audience and schedule, the copies, delivery and recall. */

export const statusLabels: Record<BriefingStatus, string> = {
  draft: 'Draft',
  awaiting_approval: 'Waiting for approval',
  approved: 'Approved: ready to send',
  scheduled: 'Scheduled',
  sent: 'Sent',
  recalled: 'Recalled',
};

const londonTimeFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
/** "Tuesday 9 March at 14:30" (London). */
export const momentLabel = (instant: Date): string => `${whenLabel(instant)} at ${londonTimeFormat.format(instant)}`;

/** The seven parts as a person reads them. */
function partsGroup(briefing: Pick<Briefing, 'parts'>): CardGroup {
  return { title: 'The seven minutes', facts: [], texts: briefingPartKeys.map((key) => ({ label: briefingPartLabels[key], text: briefing.parts[key] })) };
}

const tone = (problems: BriefingProblems, note: string): 'problem' | 'good' | 'plain' => (Object.keys(problems).length > 0 ? 'problem' : note === '' ? 'plain' : 'good');

export interface DraftCardInput {
  briefingId: string;
  spotlightId: string;
  values: DraftValues;
  problems: BriefingProblems;
  /** Privacy tokens of text flagged once: sending it again unchanged keeps it. */
  flagged: string;
  note: string;
}

/** The QA manager writes (or edits) the seven parts; problems appear beside each with every answer kept. */
export function briefingDraftCard(input: DraftCardInput): AdaptiveCard {
  const data = { briefingId: input.briefingId, spotlightId: input.spotlightId, privacyChecked: input.flagged };
  const questions: CardQuestion[] = [
    { id: 'title', label: 'Title', input: 'text', maxLength: TITLE_MAX, value: input.values.title, problem: input.problems.title ?? '' },
    ...briefingPartKeys.map((key): CardQuestion => ({ id: key, label: briefingPartLabels[key], input: 'text', multiline: true, maxLength: PART_MAX, value: input.values.parts[key], problem: input.problems[key] ?? '' })),
  ];
  return recordCard({
    heading: 'Seven-minute briefing: draft',
    intro: input.spotlightId === '' ? 'Seven short parts a team can read and discuss in seven minutes.' : 'Pre-filled from the spotlight\'s findings: edit every part before it goes for approval.',
    note: input.note,
    noteTone: tone(input.problems, input.note),
    formTitle: 'The seven parts',
    formHelp: `Up to ${PART_MAX} characters each. Refer to children by case reference only.`,
    questions,
    buttons: [
      { title: 'Preview', verb: Verbs.previewBriefing, data, style: 'positive' },
      { title: 'Save draft', verb: Verbs.saveBriefing, data, style: 'default' },
    ],
  });
}

export interface PreviewCardInput {
  briefing: Briefing;
  approvers: StaffMember[];
  approverId: string;
  problems: BriefingProblems;
  note: string;
}

/** The draft as people will read it, with the approver to send it to. */
export function briefingPreviewCard(input: PreviewCardInput): AdaptiveCard {
  const { briefing } = input;
  const data = { briefingId: briefing.id };
  const isDraft = briefing.status === 'draft';
  return recordCard({
    heading: briefing.title,
    intro: isDraft ? 'Preview: this is how people will see it.' : statusLabels[briefing.status],
    facts: [{ title: 'Status', value: statusLabels[briefing.status] }, ...(briefing.decisionNote !== null && isDraft ? [{ title: 'Sent back because', value: briefing.decisionNote }] : [])],
    note: input.note,
    noteTone: tone(input.problems, input.note),
    groups: [partsGroup(briefing)],
    ...(isDraft
      ? {
          formTitle: 'Approval',
          formHelp: 'A second person with the approver role must approve it before it can go out.',
          questions: [
            {
              id: 'approverId', label: 'Who should approve it', input: 'choice', choiceStyle: 'compact', value: input.approverId, problem: input.problems.approverId ?? '',
              choices: input.approvers.map((person) => ({ title: person.name, value: person.id })),
            },
          ],
          buttons: [
            { title: 'Send for approval', verb: Verbs.submitBriefing, data, style: 'positive' },
            { title: 'Edit', verb: Verbs.openBriefing, data: { ...data, view: 'edit' }, style: 'default' },
          ],
        }
      : {}),
    refresh: { verb: Verbs.openBriefing, data },
  });
}

export interface ApprovalCardInput {
  briefing: Briefing;
  author: StaffMember | undefined;
  reason: string;
  problems: BriefingProblems;
  /** Privacy tokens of a reason flagged once: sending it again unchanged keeps it. */
  flagged: string;
  note: string;
}

/** To an approver: approve, or send back with a reason. */
export function briefingApprovalCard(input: ApprovalCardInput): AdaptiveCard {
  const { briefing } = input;
  const data = { briefingId: briefing.id, privacyChecked: input.flagged };
  const waiting = briefing.status === 'awaiting_approval';
  return recordCard({
    heading: `For approval: ${briefing.title}`,
    intro: `A seven-minute briefing drafted by ${input.author?.name ?? 'the QA service'}. Only an approved briefing can go out.`,
    facts: [{ title: 'Status', value: statusLabels[briefing.status] }, ...(briefing.submittedAt === null ? [] : [{ title: 'Sent for approval', value: whenLabel(briefing.submittedAt) }])],
    note: input.note,
    noteTone: tone(input.problems, input.note),
    groups: [partsGroup(briefing)],
    ...(waiting
      ? {
          formTitle: 'Your decision',
          questions: [{ id: 'reason', label: 'If sending it back: what needs to change', input: 'text', multiline: true, maxLength: 1000, value: input.reason, problem: input.problems.reason ?? '' }],
          buttons: [
            { title: 'Approve', verb: Verbs.approveBriefing, data, style: 'positive' },
            { title: 'Send back', verb: Verbs.sendBackBriefing, data, style: 'default' },
          ],
        }
      : {}),
    refresh: { verb: Verbs.openBriefing, data: { briefingId: briefing.id, view: 'approval' } },
  });
}

/** To the author: approved (with what to do next) or sent back with the reason. */
export function briefingDecidedCard(briefing: Briefing, approver: StaffMember): AdaptiveCard {
  const approved = briefing.status !== 'draft';
  return recordCard({
    heading: approved ? `Approved: ${briefing.title}` : `Sent back: ${briefing.title}`,
    intro: approved ? `${approver.name} approved it. Choose who it goes to and when.` : `${approver.name} sent it back. Edit it and send it for approval again.`,
    facts: approved || briefing.decisionNote === null ? [] : [{ title: 'What needs to change', value: briefing.decisionNote }],
    buttons: [{ title: approved ? 'Choose audience and send' : 'Edit the briefing', verb: Verbs.openBriefing, data: { briefingId: briefing.id, view: approved ? 'audience' : 'edit' }, style: 'positive' }],
  });
}

export interface AudienceCardInput {
  briefing: Briefing;
  choices: AudienceChoices;
  values: AudienceInput;
  problems: BriefingProblems;
  note: string;
}

/** Times offered for a scheduled send (London): every quarter of an hour in working hours. */
const sendTimes = (): { title: string; value: string }[] => {
  const out: { title: string; value: string }[] = [];
  for (let minutes = 9 * 60; minutes <= 17 * 60 + 15; minutes += 15) {
    const value = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    out.push({ title: value, value });
  }
  return out;
};

/** The QA manager chooses channels and people, and sends now or at a London time. */
export function briefingAudienceCard(input: AudienceCardInput): AdaptiveCard {
  const { briefing, choices, values, problems } = input;
  const at = (id: keyof AudienceInput): string => problems[id] ?? '';
  const questions: CardQuestion[] = [
    ...(choices.channels.length === 0 ? [] : [{ id: 'channels', label: 'Channels', input: 'multichoice' as const, value: values.channels, problem: at('channels'), choices: choices.channels.map((channel) => ({ title: channel.name, value: channel.id })) }]),
    { id: 'groups', label: 'People', input: 'multichoice', value: values.groups, problem: at('groups'), choices: [{ title: 'All rota managers', value: 'rota' }, { title: 'Everyone who has QA Loop', value: 'everyone' }] },
    { id: 'services', label: 'Services', input: 'multichoice', value: values.services, problem: at('services'), choices: choices.services.map((service) => ({ title: service, value: service })) },
    { id: 'teams', label: 'Teams', input: 'multichoice', value: values.teams, problem: at('teams'), choices: choices.teams.map((team) => ({ title: `${team.team} (${team.service})`, value: team.key })) },
    { id: 'emails', label: 'Or a list of email addresses (CSV)', input: 'text', multiline: true, maxLength: 20000, value: values.emails, problem: at('emails'), help: 'Addresses not on file are reported back, never guessed.' },
    { id: 'when', label: 'When', input: 'choice', value: values.when, problem: at('when'), choices: [{ title: 'Send now', value: 'now' }, { title: 'At a time (London)', value: 'later' }] },
    { id: 'sendDate', label: 'Day', input: 'date', value: values.sendDate, problem: at('sendDate') },
    { id: 'sendTime', label: 'Time (London)', input: 'choice', choiceStyle: 'compact', value: values.sendTime, problem: at('sendTime'), choices: sendTimes() },
    { id: 'reminderDays', label: 'Remind those who have not acknowledged after (working days)', input: 'text', maxLength: 2, value: values.reminderDays, problem: at('reminderDays'), help: 'Once only; 0 for no reminder.' },
  ];
  return recordCard({
    heading: `Send: ${briefing.title}`,
    intro: 'Choose channels and people. Each person gets their own copy with "I\'ve read this".',
    facts: [{ title: 'Status', value: statusLabels[briefing.status] }, ...(briefing.sendAt !== null && briefing.status === 'scheduled' ? [{ title: 'Goes out', value: momentLabel(briefing.sendAt) }] : [])],
    note: input.note,
    noteTone: tone(problems, input.note),
    ...(briefing.status === 'approved' ? { formTitle: 'Audience and time', questions, buttons: [{ title: 'Send', verb: Verbs.scheduleBriefing, data: { briefingId: briefing.id }, style: 'positive' as const }] } : {}),
    ...(briefing.status === 'scheduled' ? { buttons: [{ title: 'Cancel the scheduled send', verb: Verbs.cancelScheduledBriefing, data: { briefingId: briefing.id }, style: 'default' as const }] } : {}),
    refresh: { verb: Verbs.openBriefing, data: { briefingId: briefing.id } },
  });
}

export interface CopyCardInput {
  briefing: Briefing;
  canRecordUsage: boolean;
  reminder: boolean;
  acknowledgedAt: Date | null;
  note?: string;
}

/** A person's own copy: the seven parts, "I've read this", and for team managers the usage button. */
export function briefingCopyCard(input: CopyCardInput): AdaptiveCard {
  const { briefing } = input;
  if (briefing.status === 'recalled') return briefingWithdrawnCard(briefing, input.note);
  const data = { briefingId: briefing.id };
  const buttons: CardButton[] = [];
  if (input.acknowledgedAt === null) buttons.push({ title: "I've read this", verb: Verbs.acknowledgeBriefing, data, style: 'positive' });
  if (input.canRecordUsage) buttons.push({ title: 'Record how your team used it', verb: Verbs.briefingUsage, data: { ...data, step: 'form' }, style: input.acknowledgedAt === null ? 'default' : 'positive' });
  return recordCard({
    heading: briefing.title,
    intro: input.reminder ? 'A reminder: please read this seven-minute briefing and tell us you have.' : 'A seven-minute briefing from the QA service: read it, talk about it with your team, and tell us you have read it.',
    facts: input.acknowledgedAt === null ? [] : [{ title: 'Read on', value: whenLabel(input.acknowledgedAt) }],
    note: input.note ?? '',
    noteTone: 'good',
    groups: [partsGroup(briefing)],
    buttons,
    refresh: { verb: Verbs.openBriefing, data: { ...data, view: 'copy' } },
  });
}

/** The copy in a channel: no button (acknowledgements are personal). */
export function briefingChannelCard(briefing: Briefing): AdaptiveCard {
  return recordCard({
    heading: briefing.title,
    intro: 'A seven-minute briefing from the QA service, for discussion in your team.',
    groups: [partsGroup(briefing)],
    note: 'Everyone it was sent to also has a personal copy from QA Loop: please press "I\'ve read this" there.',
  });
}

export function briefingWithdrawnCard(briefing: Briefing, note = ''): AdaptiveCard {
  return recordCard({
    heading: `Withdrawn: ${briefing.title}`,
    intro: 'The QA service has withdrawn this seven-minute briefing. Please disregard it.',
    note,
  });
}

export interface DeliveryCardInput {
  briefing: Briefing;
  figures: DeliveryFigures;
  note?: string;
}

/** The sender's delivery card: updated in place as copies go, and on refresh. */
export function briefingDeliveryCard(input: DeliveryCardInput): AdaptiveCard {
  const { briefing, figures } = input;
  const facts: Fact[] = [
    { title: 'Status', value: statusLabels[briefing.status] },
    ...(briefing.sentAt === null ? [] : [{ title: 'Sent', value: momentLabel(briefing.sentAt) }]),
    { title: 'Copies', value: `${figures.total} (${figures.people} people, ${figures.channels} channels)` },
    { title: 'Queued', value: String(figures.queued) },
    { title: 'Delivered', value: String(figures.sent) },
    { title: 'Failed', value: String(figures.failed) },
    { title: 'Not installed', value: String(figures.notInstalled) },
    ...(figures.cancelled > 0 ? [{ title: 'Withdrawn before sending', value: String(figures.cancelled) }] : []),
    { title: 'Acknowledged', value: String(figures.acknowledged) },
    { title: 'Read', value: String(figures.read) },
  ];
  const data = { briefingId: briefing.id };
  return recordCard({
    heading: `Delivery: ${briefing.title}`,
    intro: figures.queued > 0 ? 'Going out now: this card updates as it goes.' : 'Every copy has been handled.',
    facts,
    note: input.note ?? '',
    noteTone: 'good',
    buttons:
      briefing.status === 'sent'
        ? [
            { title: 'Show the latest figures', verb: Verbs.briefingDelivery, data, style: 'positive' },
            { title: 'Recall the briefing', verb: Verbs.recallBriefing, data, style: 'default' },
          ]
        : [],
    refresh: { verb: Verbs.briefingDelivery, data },
  });
}
