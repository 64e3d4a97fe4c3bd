import type { Assignment, RotaRequest } from '../services/assignments';
import { kindLabels } from '../services/rota';
import type { StaffMember } from '../services/staff';
import { monthLabel } from './labels';
import { Verbs } from './verbs';
import { expandCard, type AdaptiveCard } from './render';
import escalationTemplate from './templates/escalation.json';
import reflectionTemplate from './templates/reflection.json';
import requestTemplate from './templates/rota-request.json';
import changedTemplate from './templates/rota-changed.json';
import type { QaKind } from '../services/rota';

export function escalationCard(input: { person: StaffMember; assignment: Assignment; recipientIsLineManager: boolean }): AdaptiveCard {
  return expandCard(escalationTemplate, {
    personName: input.person.name,
    personEmail: input.person.email,
    team: input.person.team,
    service: input.person.service,
    monthLabel: monthLabel(input.assignment.month),
    kindLabel: kindLabels[input.assignment.kind],
    statusLabel: input.assignment.status === 'started' ? 'Started, not finished' : 'Not started',
    relation: input.recipientIsLineManager ? 'their line manager' : 'QA manager (no line manager is on file for them)',
  });
}

/** The paused month's message: reflect, gather family feedback (with a button to record it), Striving for Excellence. */
export const reflectionCard = (input: { month: string; nextActiveMonth: string; nextActiveDay: string }): AdaptiveCard =>
  expandCard(reflectionTemplate, { monthLabel: monthLabel(input.month), nextActiveLabel: input.nextActiveDay, feedbackVerb: Verbs.beginFeedback });

const decisionLabels: Record<RotaRequest['status'], string> = { pending: 'Waiting for the QA manager', approved: 'Agreed', declined: 'Declined' };

export function rotaRequestCard(input: { request: RotaRequest; person: StaffMember; forQaManager: boolean; note?: string }): AdaptiveCard {
  const { request, person } = input;
  const askedFor = request.action === 'excuse' ? 'Excusal this month' : `Swap to a ${kindLabels[request.kind ?? 'practice_review'].toLowerCase()}`;
  return expandCard(requestTemplate, {
    heading: input.forQaManager ? `Rota request from ${person.name}` : `Your rota request: ${decisionLabels[request.status].toLowerCase()}`,
    personName: person.name,
    personEmail: person.email,
    team: person.team,
    service: person.service,
    monthLabel: monthLabel(request.month),
    askedFor,
    reason: request.reason,
    decisionLabel: request.decidedBy === null ? decisionLabels[request.status] : `${decisionLabels[request.status]} by ${request.decidedBy}`,
    requestId: request.id,
    canDecide: input.forQaManager && request.status === 'pending',
    note: input.note ?? '',
  });
}

export function rotaChangedCard(input: { month: string; change: 'swap' | 'excuse'; kind: QaKind | null; reason: string | null; by: string }): AdaptiveCard {
  const kindText = input.kind === null ? '' : kindLabels[input.kind].toLowerCase();
  return expandCard(changedTemplate, {
    monthLabel: monthLabel(input.month),
    what: input.change === 'swap' ? `The QA service has changed your activity this month to a ${kindText}.` : `The QA service has excused you from this month's activity: ${input.reason ?? ''}`,
    nowLabel: input.change === 'swap' ? kindLabels[input.kind ?? 'practice_review'] : 'Excused',
    by: input.by,
  });
}
