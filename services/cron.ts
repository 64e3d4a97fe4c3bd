import { createTask, type ScheduledTask } from 'node-cron';
import { LONDON } from './clock';
import type { Logger } from './logger';
import type { Scheduler } from './scheduler';

/**
 * Wakes the scheduler with node-cron in London time: at each job's schedule, and every
 * fifteen minutes in working hours to pick up a run whose instance died mid-way or a
 * run missed while the bot was down. The scheduler decides what is actually due.
 */
export const CATCH_UP_SCHEDULE = '*/15 9-17 * * 1-5';

export function startCron(scheduler: Scheduler, logger: Logger): { stop(): Promise<void> } {
  const schedules = new Set([...scheduler.jobs.map((job) => job.schedule), CATCH_UP_SCHEDULE]);
  const tasks: ScheduledTask[] = [...schedules].map((schedule) =>
    createTask(
      schedule,
      async () => {
        try {
          await scheduler.tick();
        } catch (error) {
          logger.error({ schedule, err: error instanceof Error ? error.message : String(error) }, 'scheduler tick failed');
        }
      },
      { timezone: LONDON, noOverlap: true, name: `qa-loop ${schedule}` },
    ),
  );
  tasks.forEach((task) => void task.start());
  return {
    stop: async () => {
      await Promise.all(tasks.map((task) => task.destroy()));
    },
  };
}
