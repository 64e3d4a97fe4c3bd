import type { ReportBriefingCopyRow, ReportBriefingUsageRow, ReportSpotlightReplyRow, ReportSpotlightRow } from '../../db/report.repository';
import type { SpotlightContent } from '../spotlights/spotlight';
import type { BriefingLine, ClosingTheLoopFigures, RecordRef, SpotlightLine } from './report';

/** What a report needs of the spotlights and briefings of its period, as read by db/report.repository.ts. */
export interface ClosingTheLoopRows {
  spotlights: ReportSpotlightRow[];
  replies: ReportSpotlightReplyRow[];
  copies: ReportBriefingCopyRow[];
  usage: ReportBriefingUsageRow[];
}

function parseContent(text: string): Partial<SpotlightContent> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Partial<SpotlightContent>) : {};
  } catch {
    return {};
  }
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/**
 * Counts the spotlights and briefings of a period. `happened` says whether a moment was
 * before the report's as-at moment and gives its London day. Delivery is as it stands
 * in the outbox when the report is made (an outbox row keeps only its latest state).
 */
export function closingTheLoopFigures(rows: ClosingTheLoopRows, happened: (iso: string | null) => string | undefined, trustWide: boolean): ClosingTheLoopFigures {
  const allReplies: RecordRef[] = [];
  const repliesBySpotlight = new Map<string, { replies: RecordRef[]; questions: RecordRef[] }>();
  for (const reply of rows.replies) {
    const record: RecordRef = { kind: 'spotlight_reply', id: reply.id, date: happened(reply.createdAt) ?? '', service: '', team: '' };
    allReplies.push(record);
    const entry = repliesBySpotlight.get(reply.spotlightId) ?? { replies: [], questions: [] };
    entry.replies.push(record);
    if (reply.mentionedBot === 1) entry.questions.push(record);
    repliesBySpotlight.set(reply.spotlightId, entry);
  }
  const spotlights: SpotlightLine[] = rows.spotlights.map((row) => {
    const content = parseContent(row.contentJson);
    const figures = content.figures;
    const threads = repliesBySpotlight.get(row.id) ?? { replies: [], questions: [] };
    return {
      id: row.id,
      month: row.month,
      theme: row.themeTitle,
      origin: row.origin,
      headline: typeof content.edits?.headline === 'string' ? content.edits.headline : '',
      strengths: strings(content.edits?.strengths),
      gaps: strings(content.edits?.gaps),
      managers: typeof figures?.managers === 'number' ? figures.managers : 0,
      casesSampled: typeof figures?.casesSampled === 'number' ? figures.casesSampled : 0,
      channels: row.channels,
      replies: threads.replies,
      questionsToBot: threads.questions,
    };
  });

  const lines = new Map<string, BriefingLine>();
  const byTeam = new Map<string, { service: string; team: string; delivered: RecordRef[]; acknowledged: RecordRef[] }>();
  const channelsOf = new Map<string, number>();
  const lineFor = (row: { briefingId: string; title: string; sentAt: string; recalledAt: string | null }): BriefingLine => {
    let line = lines.get(row.briefingId);
    if (line === undefined) {
      line = {
        id: row.briefingId,
        title: row.title,
        sentOn: happened(row.sentAt) ?? '',
        recalled: happened(row.recalledAt) !== undefined,
        channels: 0,
        copies: [],
        delivered: [],
        notInstalled: [],
        failed: [],
        notSent: [],
        acknowledged: [],
        read: [],
        usage: [],
      };
      lines.set(row.briefingId, line);
    }
    return line;
  };
  for (const row of rows.copies) {
    const line = lineFor(row);
    if (row.kind === 'channel') {
      channelsOf.set(row.briefingId, (channelsOf.get(row.briefingId) ?? 0) + 1);
      continue;
    }
    const record: RecordRef = { kind: 'briefing_copy', id: row.id, date: line.sentOn, service: row.service, team: row.team };
    (line.copies as RecordRef[]).push(record);
    const outcome = row.delivery === 'sent' ? line.delivered : row.delivery === 'not_installed' || row.delivery === 'blocked' ? line.notInstalled : row.delivery === 'failed' ? line.failed : line.notSent;
    (outcome as RecordRef[]).push(record);
    const acknowledged = happened(row.acknowledgedAt);
    if (acknowledged !== undefined) (line.acknowledged as RecordRef[]).push({ ...record, date: acknowledged });
    const read = happened(row.readAt);
    if (read !== undefined) (line.read as RecordRef[]).push({ ...record, date: read });
    if (row.delivery === 'sent') {
      const key = `${row.service}\u0000${row.team}`;
      const team = byTeam.get(key) ?? { service: row.service, team: row.team, delivered: [], acknowledged: [] };
      team.delivered.push(record);
      if (acknowledged !== undefined) team.acknowledged.push(record);
      byTeam.set(key, team);
    }
  }
  for (const usage of rows.usage) {
    const line = lines.get(usage.briefingId);
    if (line !== undefined) (line.usage as RecordRef[]).push({ kind: 'briefing_usage', id: usage.id, date: usage.discussedOn, service: usage.service, team: usage.team });
  }
  const briefings = [...lines.values()].map((line) => ({ ...line, channels: trustWide ? (channelsOf.get(line.id) ?? 0) : 0 }));
  const total = (pick: (line: BriefingLine) => readonly RecordRef[]): RecordRef[] => briefings.flatMap((line) => [...pick(line)]);
  return {
    spotlights,
    replies: allReplies,
    briefings,
    copies: total((line) => line.copies),
    delivered: total((line) => line.delivered),
    acknowledged: total((line) => line.acknowledged),
    read: total((line) => line.read),
    usage: total((line) => line.usage),
    acknowledgementByTeam: [...byTeam.values()].sort((a, b) => a.service.localeCompare(b.service) || a.team.localeCompare(b.team)),
  };
}
