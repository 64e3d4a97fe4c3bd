import type { BriefingAckCount, BriefingTeamMember } from '../../db/briefing-copy.repository';
import type { JobContext } from '../cycle-jobs';
import type { StaffMember } from '../staff';
import type { Briefing } from './briefing';
import { deliveryFigures } from './briefing-delivery';
import type { DeliveryFigures } from './briefing-messages';

/** How many briefings a list shows: the newest. */
export const LIST_SIZE = 10;

export interface QaBriefingLine {
  briefing: Briefing;
  figures: DeliveryFigures | undefined;
}

/** The QA service's list: every briefing with its status, and figures once sent. */
export async function qaBriefingList(context: Pick<JobContext, 'repos'>): Promise<QaBriefingLine[]> {
  const briefings = await context.repos.briefings.list({ offset: 0, limit: LIST_SIZE });
  return Promise.all(briefings.map(async (briefing) => ({ briefing, figures: briefing.sentAt === null ? undefined : await deliveryFigures(context.repos, briefing.id) })));
}

export interface TeamBriefingLine {
  briefing: Briefing;
  members: BriefingTeamMember[];
}

/** A manager's view: the sent briefings, with who in their team has acknowledged each and who has not. */
export async function teamBriefingList(context: Pick<JobContext, 'repos'>, manager: StaffMember): Promise<TeamBriefingLine[]> {
  const briefings = await context.repos.briefings.listSent({ offset: 0, limit: LIST_SIZE });
  const lines = await Promise.all(briefings.map(async (briefing) => ({ briefing, members: await context.repos.briefingCopies.teamMembers(briefing.id, manager.service, manager.team) })));
  return lines.filter((line) => line.members.length > 0);
}

/** Acknowledgements by service and team, for the delivery card. */
export async function ackCountsOf(context: Pick<JobContext, 'repos'>, briefingId: string): Promise<BriefingAckCount[]> {
  return context.repos.briefingCopies.ackCounts(briefingId);
}
