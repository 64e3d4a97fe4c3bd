import { statusCard } from '../../cards/status.card';
import { isDatabaseReachable } from '../../db/connect';
import { formatLondonTime } from '../../services/clock';
import type { CommandHandler } from './command';

export const status: CommandHandler = async ({ deps }) => {
  const reachable = await isDatabaseReachable(deps.database.db);
  const [staffCount, conversationCount, outbox, jobs] = await Promise.all([
    deps.repos.staff.countActive(),
    deps.repos.conversations.countInstalled(),
    deps.repos.outbox.countByStatus(),
    deps.repos.jobRuns.listRecent({ offset: 0, limit: 5 }),
  ]);
  return statusCard({
    asAt: formatLondonTime(deps.clock.now()),
    database: `${deps.database.dialect === 'mssql' ? 'SQL Server' : 'SQLite'}, ${reachable ? 'reachable' : 'not reachable'}`,
    staffCount,
    conversationCount,
    queued: outbox.queued + outbox.sending,
    failed: outbox.failed,
    blocked: outbox.blocked + outbox.not_installed,
    jobs: jobs.map((run) => ({ job: run.job, period: run.period, status: run.status })),
  });
};
