import type { Repositories } from '../../db/repositories';
import type { JobContext } from '../cycle-jobs';
import type { DeliveryEvent } from '../delivery-contract';
import type { Logger } from '../logger';
import type { Briefing } from './briefing';
import { briefingKeys, briefingKinds, type DeliveryFigures } from './briefing-messages';
import { sweepRecalled } from './briefing-sweep';

/** The delivery card's figures: the outbox's count of the briefing's copies, and acknowledgements. */
export async function deliveryFigures(repos: Pick<Repositories, 'outbox' | 'briefingCopies'>, briefingId: string): Promise<DeliveryFigures> {
  const [counts, acks] = await Promise.all([repos.outbox.countByStatusWithPrefix(briefingKeys.copyPrefix(briefingId)), repos.briefingCopies.ackCounts(briefingId)]);
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
 * A briefing whose previous update is still being sent is looked at again at the next look
 * (so an older update never lands after a newer one). A recalled briefing is swept instead
 * (sweepRecalled), so a copy that went after its recall is removed within seconds.
 */
export class BriefingDeliveryTracker {
  private noted = new Set<string>();
  /** Briefings to look at again: their card's previous update was still being sent. */
  private again = new Set<string>();
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
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastLookAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.running.then(() => this.look());
    }, wait);
    // A pending look never keeps the process alive on its own.
    this.timer.unref();
  }

  /**
   * Resolves once every event so far has been looked at and its updates queued (for tests,
   * benches and shutdown); while a card's previous update is being sent it waits, up to `maxWaitMs`.
   */
  async settled(maxWaitMs = 30_000): Promise<void> {
    const deadline = Date.now() + maxWaitMs;
    while (this.timer !== undefined || this.noted.size > 0) {
      if (this.again.size > 0) {
        if (Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
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
    const briefingIds = new Set(this.again);
    this.noted = new Set();
    this.again = new Set();
    this.lastLookAt = Date.now();
    if (messageIds.length === 0 && briefingIds.size === 0) return;
    try {
      const keys = await this.context.repos.briefingCopies.outboxKeysOf(messageIds);
      for (const key of keys) {
        const id = /^briefing(?:-delivery)?:([0-9a-zA-Z-]+)/.exec(key)?.[1];
        if (id !== undefined) briefingIds.add(id);
      }
      for (const briefingId of briefingIds) {
        const briefing = await this.context.repos.briefings.findById(briefingId);
        if (briefing === undefined) continue;
        if (briefing.status === 'recalled') await sweepRecalled(this.context, briefing);
        else if ((await updateDeliveryCard(this.context, briefing)) === 'busy') this.again.add(briefingId);
      }
    } catch (error) {
      this.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'could not update a briefing delivery card');
    }
    if (this.again.size > 0) this.schedule();
  }
}

export type CardUpdate = 'queued' | 'same' | 'busy' | 'no-card';

/**
 * Queues an update of a briefing's posted delivery card with the figures as they are now.
 * Keyed by the figures, so any change queues an update and two looks at the same figures
 * queue one. While the previous update is being sent nothing is queued ('busy': the next
 * look tries again), and older updates still waiting are withdrawn, so a late one can never
 * overwrite newer figures. The update is due from before the copies were queued, so it goes
 * ahead of those still waiting (the worker takes the longest-due first).
 */
export async function updateDeliveryCard(context: Pick<JobContext, 'repos' | 'clock' | 'compose'>, briefing: Briefing): Promise<CardUpdate> {
  const card = await context.repos.outbox.findByDedupeKey(briefingKeys.delivery(briefing.id));
  if (card === undefined || card.status !== 'sent' || card.activityId === null) return 'no-card';
  const figures = await deliveryFigures(context.repos, briefing.id);
  const prefix = briefingKeys.deliveryUpdatePrefix(briefing.id);
  const base = briefingKeys.deliveryUpdate(briefing.id, figures);
  const latest = await context.repos.outbox.latestWithPrefix(prefix);
  if (latest !== undefined && latest.status !== 'cancelled' && (latest.dedupeKey === base || latest.dedupeKey.startsWith(`${base}~`))) return 'same';
  if (latest?.status === 'sending') return 'busy';
  await context.repos.outbox.cancelQueued(prefix, 'newer figures queued');
  // One taken by the worker in the meantime goes first: this update waits for the next look.
  if ((await context.repos.outbox.countByStatusWithPrefix(prefix)).sending > 0) return 'busy';
  // The same figures can come back (a copy re-queued, then not installed again): a new key then.
  let dedupeKey = base;
  for (let n = 2; (await context.repos.outbox.findByDedupeKey(dedupeKey)) !== undefined; n++) dedupeKey = `${base}~${n}`;
  const queued = await context.repos.outbox.enqueue(
    {
      dedupeKey,
      kind: briefingKinds.deliveryUpdate,
      conversationId: null,
      staffId: card.staffId,
      payload: context.compose({ type: 'briefing', message: { view: 'delivery', briefing, figures } }),
      operation: { kind: 'update', activityId: card.activityId },
      // A second before the copies, as the card itself was.
      notBefore: new Date(card.createdAt.getTime() - 1000),
    },
    // Each update stored later than the one before, so the newest is always known.
    new Date(Math.max(context.clock.now().getTime(), (latest?.createdAt.getTime() ?? 0) + 1)),
  );
  return queued ? 'queued' : 'same';
}
