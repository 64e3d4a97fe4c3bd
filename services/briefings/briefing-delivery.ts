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
 * Keeps each sender's delivery card up to date while the worker delivers: on progress of a
 * briefing's copies it queues an update of the posted card (an outbox 'update' of its
 * activity), at most every two seconds per briefing, and always once when none is left to
 * go, so the last figures are what was really sent. Events are handled one after another
 * (the worker reports from many sends at once), and never hold the worker up.
 */
export class BriefingDeliveryTracker {
  private readonly lastUpdate = new Map<string, number>();
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly context: Pick<JobContext, 'repos' | 'clock' | 'compose'>,
    private readonly logger: Logger,
    private readonly intervalMs = DELIVERY_CARD_INTERVAL_MS,
  ) {}

  /** For DeliveryDeps.onProgress: only a copy or the delivery card itself is followed. */
  onProgress(event: DeliveryEvent): void {
    if (event.kind !== briefingKinds.copy && event.kind !== briefingKinds.delivery) return;
    if (event.outcome === 'deferred' || event.outcome === 'retried') return;
    this.pending = this.pending
      .then(() => this.follow(event.messageId))
      .catch((error: unknown) => this.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'could not update a briefing delivery card'));
  }

  /** Resolves once every event so far has been handled (for tests and shutdown). */
  settled(): Promise<void> {
    return this.pending;
  }

  private async follow(messageId: string): Promise<void> {
    const key = await this.context.repos.briefings.outboxKeyOf(messageId);
    const briefingId = /^briefing(?:-delivery)?:([0-9a-zA-Z-]+)/.exec(key ?? '')?.[1];
    if (briefingId === undefined) return;
    await updateDeliveryCard(this.context, briefingId, (finished) => {
      const now = this.context.clock.now().getTime();
      if (!finished && now - (this.lastUpdate.get(briefingId) ?? 0) < this.intervalMs) return false;
      this.lastUpdate.set(briefingId, now);
      return true;
    });
  }
}

/**
 * Queues an update of a briefing's posted delivery card with the figures as they are now,
 * when `shouldUpdate` agrees (told whether every copy has finished). Keyed by how many copies
 * have finished, so two looks at the same figures queue one update; older updates still
 * waiting are withdrawn, so a late one can never overwrite newer figures.
 */
export async function updateDeliveryCard(context: Pick<JobContext, 'repos' | 'clock' | 'compose'>, briefingId: string, shouldUpdate: (finished: boolean) => boolean = () => true): Promise<boolean> {
  const card = await context.repos.outbox.findByDedupeKey(briefingKeys.delivery(briefingId));
  if (card === undefined || card.status !== 'sent' || card.activityId === null) return false;
  const figures = await deliveryFigures(context.repos, briefingId);
  if (!shouldUpdate(figures.queued === 0)) return false;
  const briefing = await context.repos.briefings.findById(briefingId);
  if (briefing === undefined) return false;
  return queueCardUpdate(context, briefing, figures, card.activityId, card.staffId);
}

async function queueCardUpdate(context: Pick<JobContext, 'repos' | 'clock' | 'compose'>, briefing: Briefing, figures: DeliveryFigures, activityId: string, staffId: string | null): Promise<boolean> {
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
    },
    context.clock.now(),
  );
}
