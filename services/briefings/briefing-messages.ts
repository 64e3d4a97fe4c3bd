import type { StaffMember } from '../staff';
import type { Briefing } from './briefing';

/** How a briefing's copies stand: the outbox's figures for its copies, and what people did with them. */
export interface DeliveryFigures {
  /** Every copy: people and channels. */
  total: number;
  people: number;
  channels: number;
  /** Waiting to go, or going now. */
  queued: number;
  sent: number;
  /** Refused for good, or the person blocked the app. */
  failed: number;
  notInstalled: number;
  /** Withdrawn before they went (a recall). */
  cancelled: number;
  acknowledged: number;
  read: number;
}

/**
 * The messages a briefing sends, as the domain decides them; cards/ turns each into a
 * Teams activity through the notice composer.
 */
export type BriefingMessage =
  /** A person's own copy (or its one reminder), with "I've read this"; team managers can also record how their team used it. */
  | { view: 'copy'; briefing: Briefing; canRecordUsage: boolean; reminder: boolean }
  /** The copy posted in a channel: no button, a line on acknowledging in the personal chat. */
  | { view: 'channel'; briefing: Briefing }
  /** What replaces a channel copy of a recalled briefing. */
  | { view: 'withdrawn'; briefing: Briefing }
  /** The sender's delivery card, posted once and then updated in place as copies go. */
  | { view: 'delivery'; briefing: Briefing; figures: DeliveryFigures }
  /** To the named approver: approve, or send back with a reason. */
  | { view: 'approval'; briefing: Briefing; author: StaffMember }
  /** To the author: their draft was approved or sent back. */
  | { view: 'decided'; briefing: Briefing; approver: StaffMember };

/** Outbox keys of a briefing's messages: one copy per recipient, one delivery card, and what follows them. */
export const briefingKeys = {
  copyPrefix: (briefingId: string): string => `briefing:${briefingId}:`,
  copy: (briefingId: string, recipientKey: string): string => `briefing:${briefingId}:${recipientKey}`,
  delivery: (briefingId: string): string => `briefing-delivery:${briefingId}`,
  deliveryUpdatePrefix: (briefingId: string): string => `briefing-delivery:${briefingId}:`,
  deliveryUpdate: (briefingId: string, n: number): string => `briefing-delivery:${briefingId}:${n}`,
  reminderPrefix: (briefingId: string): string => `briefing-reminder:${briefingId}:`,
  reminder: (briefingId: string, recipientKey: string): string => `briefing-reminder:${briefingId}:${recipientKey}`,
  recall: (briefingId: string, what: string): string => `briefing-recall:${briefingId}:${what}`,
  approval: (briefingId: string, submittedAt: Date): string => `briefing-approval:${briefingId}:${submittedAt.toISOString()}`,
  decided: (briefingId: string, decidedAt: Date): string => `briefing-decided:${briefingId}:${decidedAt.toISOString()}`,
} as const;

/** The outbox kinds: the delivery tracker follows the copies and the delivery card, and ignores its own updates. */
export const briefingKinds = {
  copy: 'briefing',
  delivery: 'briefing-delivery',
  deliveryUpdate: 'briefing-delivery-update',
  reminder: 'briefing-reminder',
  recall: 'briefing-recall',
  approval: 'briefing-approval',
  decided: 'briefing-decided',
} as const;
