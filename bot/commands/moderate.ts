import { moderationQueueCard } from '../../cards/moderation-queue.card';
import { moderationQueue } from '../../services/reviews/moderation';
import type { CommandHandler } from './command';

/** The QA service's moderation queue. */
export const moderate: CommandHandler = async ({ deps }) => moderationQueueCard(await moderationQueue(deps.services));
