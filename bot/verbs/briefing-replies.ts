import { randomUUID } from 'node:crypto';
import { briefingApprovalCard, briefingAudienceCard, briefingCopyCard, briefingDeliveryCard, briefingDraftCard, briefingPreviewCard } from '../../cards/briefing.card';
import type { AdaptiveCard } from '../../cards/render';
import type { Briefing } from '../../services/briefings/briefing';
import { audienceChoices } from '../../services/briefings/briefing-audience';
import { deliveryFigures } from '../../services/briefings/briefing-delivery';
import { approversFor, decideBriefing, type BriefingProblems } from '../../services/briefings/briefing-drafts';
import { AUDIENCE_FIELDS, type AudienceInput } from '../../services/briefings/briefing-schedule';
import type { JobContext } from '../../services/cycle-jobs';
import type { StaffMember } from '../../services/staff';
import type { BotDeps } from '../deps';
import { idInput, textInput } from './inputs';

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

/** The audience kept from a cancelled schedule, as the card's answers (the time is chosen again). */
export function audienceOf(deps: BotDeps, briefing: Briefing): AudienceInput {
  const kept = briefing.audience;
  if (kept === null) return emptyAudience(deps);
  const groups = [...(kept.rotaManagers ? ['rota'] : []), ...(kept.everyone ? ['everyone'] : [])];
  return {
    ...emptyAudience(deps), channels: kept.channels.join(','), groups: groups.join(','), services: kept.services.join(','), teams: kept.teams.join(','), emails: kept.emails.join('\n'),
    reminderDays: String(briefing.reminderWorkingDays ?? deps.config.briefingReminderWorkingDays),
  };
}

export function draftCardOf(briefing: Briefing, note = '', problems: BriefingProblems = {}): AdaptiveCard {
  return briefingDraftCard({ briefingId: briefing.id, spotlightId: briefing.spotlightId ?? '', values: { title: briefing.title, parts: briefing.parts }, problems, flagged: '', note });
}

export async function previewCardOf(deps: BotDeps, briefing: Briefing, note = '', problems: BriefingProblems = {}, approverId = ''): Promise<AdaptiveCard> {
  return briefingPreviewCard({ briefing, approvers: await approversFor(deps.services, briefing.authorId), approverId: approverId || (briefing.approverId ?? ''), problems, note });
}

export async function approvalCardOf(deps: BotDeps, briefing: Briefing, note = '', problems: BriefingProblems = {}, reason = '', flagged: readonly string[] = []): Promise<AdaptiveCard> {
  return briefingApprovalCard({ briefing, author: await deps.repos.staff.findById(briefing.authorId), reason, problems, flagged: flagged.join(','), note });
}

/** An approver's decision (approve or send back), answered with the approval card: problems beside the reason, the typed reason kept. */
export async function decisionCardOf(deps: BotDeps, caller: StaffMember, data: Record<string, unknown>, outcome: 'approve' | 'send-back'): Promise<AdaptiveCard> {
  const reason = textInput(data, 'reason');
  const result = await decideBriefing(briefingContext(deps), caller, idInput(data, 'briefingId'), outcome, reason, textInput(data, 'privacyChecked'));
  if ('problems' in result) return approvalCardOf(deps, result.briefing, result.note, result.problems, reason, result.flagged);
  return approvalCardOf(deps, result.briefing, result.note);
}

export async function audienceCardOf(deps: BotDeps, briefing: Briefing, values: AudienceInput, note = '', problems: BriefingProblems = {}): Promise<AdaptiveCard> {
  return briefingAudienceCard({ briefing, choices: await audienceChoices(deps.services), values, problems, note });
}

export async function deliveryCardOf(deps: BotDeps, briefing: Briefing, note = ''): Promise<AdaptiveCard> {
  return briefingDeliveryCard({ briefing, figures: await deliveryFigures(deps.repos, briefing.id), note });
}

export { briefingCopyCard };
