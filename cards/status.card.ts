import { expandCard, type AdaptiveCard } from './render';
import template from './templates/status.json';

export interface StatusCardData {
  asAt: string;
  database: string;
  staffCount: number;
  conversationCount: number;
  queued: number;
  failed: number;
  blocked: number;
  jobs: { job: string; period: string; status: string }[];
}

/** FactSet values must be text in the schema, so counts are written out here. */
export const statusCard = (data: StatusCardData): AdaptiveCard =>
  expandCard(template, {
    ...data,
    staffCount: String(data.staffCount),
    conversationCount: String(data.conversationCount),
    queued: String(data.queued),
    failed: String(data.failed),
    blocked: String(data.blocked),
  });
