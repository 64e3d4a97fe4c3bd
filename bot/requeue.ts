import type { BotDeps } from './deps';

/** How far back undelivered messages are still worth sending once the person can be reached. */
const REQUEUE_WINDOW_MS = 31 * 24 * 3600 * 1000;

/** A person has just become reachable (installed the app, or was recognised): send what was waiting for them. */
export async function requeueWaitingFor(deps: BotDeps, staffId: string): Promise<void> {
  const now = deps.clock.now();
  const requeued = await deps.repos.outbox.requeueNotInstalled(staffId, new Date(now.getTime() - REQUEUE_WINDOW_MS), now);
  if (requeued > 0) deps.logger.info({ requeued }, 'messages waiting for this person requeued');
}
