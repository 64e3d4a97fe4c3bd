/** A record of one run of a scheduled job for one period (e.g. "assign-month" for "2026-09"). */
export type JobRunStatus = 'running' | 'succeeded' | 'failed';

export interface JobRun {
  job: string;
  period: string;
  status: JobRunStatus;
  instanceId: string;
  attempts: number;
  startedAt: Date;
  leaseUntil: Date;
  finishedAt: Date | null;
  error: string | null;
}

/**
 * What a claim found: `claimed` means this instance must run it now; `done` means it
 * already succeeded; `busy` means another instance holds a live lease on it.
 */
export type JobClaim = 'claimed' | 'done' | 'busy';
