import type { Repositories } from '../../db/repositories';
import type { JobContext } from '../cycle-jobs';
import type { DeliveryEvent } from '../delivery-contract';
import type { Logger } from '../logger';
import type { Briefing } from './briefing';
import { briefingKeys, briefingKinds, type DeliveryFigures } from './briefing-messages';

/** The delivery card's figures: the outbox's count of the briefing's copies, and acknowledgements. */
export async function deliveryFigures(repos: Pick<Repositories, 'outbox' | 'briefings'>, briefingId: string): Promise<DeliveryFigures> {
  const [counts, acks] = await Promise.all([repos.outbox.countByStatusWithPrefix(briefingKeys.copyPrefix(briefingId)), repos.briefings.ackCounts(briefingId)]);
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const people = acks.reduce((sum, row) => sum + row.people, 0);
  return {
    total,
    people,
    channels: total - people,
    queued: counts.queued + counts.sending,
    sent: counts.sent,
    failed: counts.failed + counts.blocked,
    notInstalled: counts.not_installed,
    cancelled: counts.cancelled,
    acknowledged: acks.reduce((sum, row) => sum + row.acknowledged, 0),
    read: acks.reduce((sum, row) => sum + row.read, 0),
  };
}

/** Updates the delivery card at most this often while copies are going; the last one always goes. */
export const DELIVERY_CARD_INTERVAL_MS = 2000;

/**
 * Keeps each sender's delivery card up to date while the worker delivers. Progress events
 * only note which message finished; at most every two seconds one look turns the noted
 * messages into their briefings and queues an update of each one's posted card (an outbox
 * 'update' of its activity). Every event either starts a look or lands before one that is
 * due, so a look always follows the last copy and the card ends with what was really sent.
 * Counting the figures per event instead held the worker up (two queries per copy).
 */
export class BriefingDeliveryTracker {
  private noted = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> = Promise.resolve();
  private lastLookAt = 0;

  constructor(
    private readonly context: Pick<JobContext, 'repos' | 'clock' | 'compose'>,
    private readonly logger: Logger,
    private readonly intervalMs = DELIVERY_CARD_INTERVAL_MS,
  ) {}

  /** For DeliveryDeps.onProgress: only a copy or the delivery card itself is followed. */
  onProgress(event: DeliveryEvent): void {
    if (event.kind !== briefingKinds.copy && event.kind !== briefingKinds.delivery) return;
    if (event.outcome === 'deferred' || event.outcome === 'retried') return;
    this.noted.add(event.messageId);
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastLookAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.running.then(() => this.look());
    }, wait);
    // A pending look never keeps the process alive on its own.
    this.timer.unref();
  }

  /** Resolves once every event so far has been looked at and its updates queued (for tests, benches and shutdown). */
  async settled(): Promise<void> {
    while (this.timer !== undefined || this.noted.size > 0) {
      if (this.timer !== undefined) {
        clearTimeout(this.timer);
        this.timer = undefined;
        this.running = this.running.then(() => this.look());
      }
      await this.running;
    }
    await this.running;
  }

  private async look(): Promise<void> {
    const messageIds = [...this.noted];
    this.noted = new Set();
    this.lastLookAt = Date.now();
    if (messageIds.length === 0) return;
    try {
      const keys = await this.context.repos.briefings.outboxKeysOf(messageIds);
      const briefingIds = new Set(keys.map((key) => /^briefing(?:-delivery)?:([0-9a-zA-Z-]+)/.exec(key)?.[1]).filter((id): id is string => id !== undefined));
      for (const briefingId of briefingIds) await updateDeliveryCard(this.context, briefingId);
    } catch (error) {
      this.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'could not update a briefing delivery card');
    }
  }
}

/**
 * Queues an update of a briefing's posted delivery card with the figures as they are now.
 * Keyed by how many copies have finished, so two looks at the same figures queue one
 * update; older updates still waiting are withdrawn, so a late one can never overwrite
 * newer figures. The update is due from before the copies were queued, so it goes ahead of
 * those still waiting (the worker takes the longest-due first).
 */
export async function updateDeliveryCard(context: Pick<JobContext, 'repos' | 'clock' | 'compose'>, briefingId: string): Promise<boolean> {
  const card = await context.repos.outbox.findByDedupeKey(briefingKeys.delivery(briefingId));
  if (card === undefined || card.status !== 'sent' || card.activityId === null) return false;
  const figures = await deliveryFigures(context.repos, briefingId);
  const briefing = await context.repos.briefings.findById(briefingId);
  if (briefing === undefined) return false;
  return queueCardUpdate(context, briefing, figures, card.activityId, card.staffId, card.createdAt);
}

async function queueCardUpdate(context: Pick<JobContext, 'repos' | 'clock' | 'compose'>, briefing: Briefing, figures: DeliveryFigures, activityId: string, staffId: string | null, cardQueuedAt: Date): Promise<boolean> {
  const finished = figures.total - figures.queued;
  const dedupeKey = briefingKeys.deliveryUpdate(briefing.id, finished);
  if ((await context.repos.outbox.findByDedupeKey(dedupeKey)) !== undefined) return false;
  await context.repos.outbox.cancelQueued(briefingKeys.deliveryUpdatePrefix(briefing.id), 'newer figures queued');
  return context.repos.outbox.enqueue(
    {
      dedupeKey,
      kind: briefingKinds.deliveryUpdate,
      conversationId: null,
      staffId,
      payload: context.compose({ type: 'briefing', message: { view: 'delivery', briefing, figures } }),
      operation: { kind: 'update', activityId },
      // A second before the copies, as the card itself was.
      notBefore: new Date(cardQueuedAt.getTime() - 1000),
    },
    context.clock.now(),
  );
}
