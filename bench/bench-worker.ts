import { createAdapter } from '../bot/adapter';
import { ProactiveSender } from '../bot/proactive-sender';
import { systemClock } from '../services/clock';
import { DeliveryWorker, realSleep, type DeliveryEvent, type DeliveryOptions } from '../services/delivery';
import { RateLimiter } from '../services/rate-limiter';
import type { Harness } from '../tests/support/harness';

/**
 * A delivery worker as bot/app.ts builds one (real adapter, real sender, the bot's outbox),
 * but with its own limiter scaled by `scale`: the app's worker has an unscaled limiter, and
 * each timed run needs a fresh one.
 */
export function benchWorker(h: Harness, scale: number, options: Partial<DeliveryOptions>, onProgress: (event: DeliveryEvent) => void): DeliveryWorker {
  const { config, logger, repos } = h.app.deps;
  return new DeliveryWorker({
    outbox: repos.outbox,
    sender: new ProactiveSender({ adapter: createAdapter(config, logger), appId: config.microsoftAppId, conversations: repos.conversations }),
    limiter: new RateLimiter({ scale }),
    clock: systemClock,
    logger,
    sleep: realSleep,
    onUnreachable: async (conversationId) => void (await repos.conversations.markUninstalled(conversationId, new Date())),
    onProgress,
    options,
  });
}
