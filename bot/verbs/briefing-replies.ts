import { randomUUID } from 'node:crypto';
import { briefingApprovalCard, briefingAudienceCard, briefingCopyCard, briefingDeliveryCard, briefingDraftCard, briefingPreviewCard } from '../../cards/briefing.card';
import type { AdaptiveCard } from '../../cards/render';
import type { Briefing } from '../../services/briefings/briefing';
import { audienceChoices } from '../../services/briefings/briefing-audience';
import { deliveryFigures } from '../../services/briefings/briefing-delivery';
import { approversFor, type BriefingProblems } from '../../services/briefings/briefing-drafts';
import { AUDIENCE_FIELDS, type AudienceInput } from '../../services/briefings/briefing-schedule';
import type { JobContext } from '../../services/cycle-jobs';
import type { BotDeps } from '../deps';
import { textInput } from './inputs';

/** What the briefing services need from the bot: the domain context and the composer for the messages they queue. */
export const briefingContext = (deps: BotDeps): JobContext => ({ ...deps.services, compose: deps.compose });

/** A fresh draft's id, made when its card is first shown: every save of that card is the same briefing. */
export const newBriefingId = (): string => randomUUID();

export function audienceInput(data: Record<string, unknown>): AudienceInput {
  const values = Object.fromEntries(AUDIENCE_FIELDS.map((field) => [field, textInput(data, field)])) as unknown as AudienceInput;
  return { ...values, when: values.when === '' ? 'now' : values.when };
}

export const emptyAudience = (deps: BotDeps): AudienceInput => ({
  channels: '', groups: '', services: '', teams: '', emails: '', when: 'now', sendDate: '', sendTime: '', reminderDays: String(deps.config.briefingReminderWorkingDays),
});

export function draftCardOf(briefing: Briefing, note = '', problems: BriefingProblems = {}): AdaptiveCard {
  return briefingDraftCard({ briefingId: briefing.id, spotlightId: briefing.spotlightId ?? '', values: { title: briefing.title, parts: briefing.parts }, problems, flagged: '', note });
}

export async function previewCardOf(deps: BotDeps, briefing: Briefing, note = '', problems: BriefingProblems = {}, approverId = ''): Promise<AdaptiveCard> {
  return briefingPreviewCard({ briefing, approvers: await approversFor(deps.services, briefing.authorId), approverId: approverId || (briefing.approverId ?? ''), problems, note });
}

export async function approvalCardOf(deps: BotDeps, briefing: Briefing, note = '', problems: BriefingProblems = {}, reason = ''): Promise<AdaptiveCard> {
  return briefingApprovalCard({ briefing, author: await deps.repos.staff.findById(briefing.authorId), reason, problems, note });
}

export async function audienceCardOf(deps: BotDeps, briefing: Briefing, values: AudienceInput, note = '', problems: BriefingProblems = {}): Promise<AdaptiveCard> {
  return briefingAudienceCard({ briefing, choices: await audienceChoices(deps.services), values, problems, note });
}

export async function deliveryCardOf(deps: BotDeps, briefing: Briefing, note = ''): Promise<AdaptiveCard> {
  return briefingDeliveryCard({ briefing, figures: await deliveryFigures(deps.repos, briefing.id), note });
}

export { briefingCopyCard };
