import type { Kysely, Selectable } from 'kysely';
import type { JobClaim, JobRun, JobRunStatus } from '../services/jobs';
import { isDuplicateKeyError } from './errors';
import { applyPage, type Page } from './paging';
import type { Database, DialectName, JobRunTable } from './schema';
import { fromDbTime, newId, toDbTime } from './values';

function toJobRun(row: Selectable<JobRunTable>): JobRun {
  return {
    job: row.job,
    period: row.period,
    status: row.status as JobRunStatus,
    instanceId: row.instance_id,
    attempts: row.attempts,
    startedAt: fromDbTime(row.started_at),
    leaseUntil: fromDbTime(row.lease_until),
    finishedAt: row.finished_at === null ? null : fromDbTime(row.finished_at),
    error: row.error,
  };
}

/**
 * Job runs keyed by (job, period) under a unique index: whichever instance inserts
 * first runs the job. A failed run, or a running one whose lease ran out (its
 * instance died), can be taken over by a conditional update that only one wins.
 */
export class JobRunRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
  ) {}

  async claim(job: string, period: string, instanceId: string, now: Date, leaseMs: number): Promise<JobClaim> {
    const leaseUntil = toDbTime(new Date(now.getTime() + leaseMs));
    try {
      await this.db
        .insertInto('job_runs')
        .values({
          id: newId(),
          job,
          period,
          status: 'running',
          instance_id: instanceId,
          attempts: 1,
          started_at: toDbTime(now),
          lease_until: leaseUntil,
          finished_at: null,
          error: null,
        })
        .execute();
      return 'claimed';
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const existing = await this.find(job, period);
    if (existing === undefined || existing.status === 'succeeded') return 'done';
    if (existing.status === 'running' && existing.leaseUntil.getTime() > now.getTime()) return 'busy';
    const taken = await this.db
      .updateTable('job_runs')
      .set((eb) => ({
        status: 'running',
        instance_id: instanceId,
        attempts: eb('attempts', '+', 1),
        started_at: toDbTime(now),
        lease_until: leaseUntil,
        finished_at: null,
      }))
      .where('job', '=', job)
      .where('period', '=', period)
      .where('status', '=', existing.status)
      .where('lease_until', '=', toDbTime(existing.leaseUntil))
      .executeTakeFirst();
    return Number(taken.numUpdatedRows) === 1 ? 'claimed' : 'busy';
  }

  /** Marks the run finished; only the instance holding it can. */
  async finish(job: string, period: string, instanceId: string, outcome: { error: string | null }, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('job_runs')
      .set({ status: outcome.error === null ? 'succeeded' : 'failed', finished_at: toDbTime(now), error: outcome.error })
      .where('job', '=', job)
      .where('period', '=', period)
      .where('instance_id', '=', instanceId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async find(job: string, period: string): Promise<JobRun | undefined> {
    const row = await this.db.selectFrom('job_runs').selectAll().where('job', '=', job).where('period', '=', period).executeTakeFirst();
    return row === undefined ? undefined : toJobRun(row);
  }

  /** Most recent runs first, for the status card and `jobs list`. */
  async listRecent(page: Page): Promise<JobRun[]> {
    const query = this.db.selectFrom('job_runs').selectAll().orderBy('started_at', 'desc').orderBy('id');
    return (await applyPage(query, this.dialect, page).execute()).map(toJobRun);
  }
}
