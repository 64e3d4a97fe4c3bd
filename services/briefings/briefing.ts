/**
 * A seven-minute briefing: seven short parts, drafted by the QA service, approved by a
 * second person with the approver role, then broadcast to channels and people and
 * acknowledged by each person.
 */
export const briefingPartKeys = ['background', 'whyItMatters', 'keyPoint1', 'keyPoint2', 'keyPoint3', 'remember', 'whatToDo'] as const;
export type BriefingPartKey = (typeof briefingPartKeys)[number];

export const briefingPartLabels: Record<BriefingPartKey, string> = {
  background: 'Background',
  whyItMatters: 'Why it matters',
  keyPoint1: 'Key information 1',
  keyPoint2: 'Key information 2',
  keyPoint3: 'Key information 3',
  remember: 'What to remember',
  whatToDo: 'What to do (with questions for team discussion)',
};

export type BriefingParts = Record<BriefingPartKey, string>;

export type BriefingStatus = 'draft' | 'awaiting_approval' | 'approved' | 'scheduled' | 'sent' | 'recalled';

/** Who a briefing goes to. Channels are saved conversation ids; people are chosen by group. */
export interface BriefingAudience {
  channels: string[];
  /** Everyone on the QA rota (tier managers and Independent Chairs). */
  rotaManagers: boolean;
  services: string[];
  teams: string[];
  /** Everyone who has the app installed in a personal chat. */
  everyone: boolean;
  /** From a CSV list; addresses not on file are reported back, never guessed. */
  emails: string[];
}

export interface Briefing {
  id: string;
  title: string;
  status: BriefingStatus;
  parts: BriefingParts;
  spotlightId: string | null;
  authorId: string;
  approverId: string | null;
  submittedAt: Date | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  audience: BriefingAudience | null;
  sendAt: Date | null;
  sentAt: Date | null;
  sentBy: string | null;
  reminderWorkingDays: number | null;
  remindedAt: Date | null;
  recalledAt: Date | null;
  recalledBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface BriefingRecipient {
  id: string;
  briefingId: string;
  /** The staff id for a person, the conversation id for a channel. */
  recipientKey: string;
  kind: 'person' | 'channel';
  staffId: string | null;
  conversationId: string | null;
  service: string | null;
  team: string | null;
  outboxKey: string;
  acknowledgedAt: Date | null;
  readAt: Date | null;
  remindedAt: Date | null;
  createdAt: Date;
}

export interface BriefingUsage {
  id: string;
  briefingId: string;
  /** The team's name only: its service is the recording manager's (two services may each have a "Team 1"). */
  team: string;
  recordedBy: string;
  setting: string;
  discussedOn: string;
  notes: string | null;
  createdAt: Date;
}
