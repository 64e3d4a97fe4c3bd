import { outboxKeyPart } from '../outbox';
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

/**
 * Outbox keys of a briefing's messages: one copy per recipient, one delivery card, and what
 * follows them. A recipient key may be a long channel id, so it goes in its short form
 * (outboxKeyPart). db/briefing.repository.ts listRecalledUnfinished mirrors the reminder and
 * recall keys.
 */
export const briefingKeys = {
  copyPrefix: (briefingId: string): string => `briefing:${briefingId}:`,
  copy: (briefingId: string, recipientKey: string): string => `briefing:${briefingId}:${outboxKeyPart(recipientKey)}`,
  delivery: (briefingId: string): string => `briefing-delivery:${briefingId}`,
  deliveryUpdatePrefix: (briefingId: string): string => `briefing-delivery:${briefingId}:`,
  /** One update per set of figures: any change in them is a new key. */
  deliveryUpdate: (briefingId: string, f: DeliveryFigures): string => `briefing-delivery:${briefingId}:${f.sent}-${f.failed}-${f.notInstalled}-${f.cancelled}-${f.queued}-${f.acknowledged}-${f.read}`,
  reminderPrefix: (briefingId: string): string => `briefing-reminder:${briefingId}:`,
  /** A reminder goes to a person: the recipient key is their staff id. */
  reminder: (briefingId: string, staffId: string): string => `briefing-reminder:${briefingId}:${staffId}`,
  recallPrefix: (briefingId: string): string => `briefing-recall:${briefingId}:`,
  /** The removal of one copy, by its recipient row's id. */
  recallCopy: (briefingId: string, recipientId: string): string => `briefing-recall:${briefingId}:${recipientId}`,
  /** The removal of one person's reminder. */
  recallReminder: (briefingId: string, staffId: string): string => `briefing-recall:${briefingId}:reminder:${staffId}`,
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
