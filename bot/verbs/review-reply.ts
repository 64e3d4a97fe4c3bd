import { moderationCard } from '../../cards/moderation.card';
import { oversightCard } from '../../cards/oversight.card';
import type { AdaptiveCard } from '../../cards/render';
import { reviewCard } from '../../cards/review.card';
import { reviewSectionCard } from '../../cards/review-section.card';
import { QaError } from '../../services/errors';
import type { Caller } from '../../services/identity';
import type { ModerationOutcome } from '../../services/reviews/moderation';
import type { OversightOutcome } from '../../services/reviews/oversight';
import type { ReviewPart } from '../../services/reviews/review';
import type { ReviewOutcome } from '../../services/reviews/review-sections';
import { standingOf } from '../../services/reviews/review-snapshot';

/** Turns what a review step decided to show into the card that replaces the one pressed. */
export function reviewReply(outcome: ReviewOutcome | ModerationOutcome | OversightOutcome, caller: Caller): AdaptiveCard {
  switch (outcome.show) {
    case 'section':
      return reviewSectionCard(outcome);
    case 'moderation':
      return moderationCard(outcome);
    case 'oversight':
      return oversightCard(outcome);
    case 'review':
      return reviewCard({ snapshot: outcome.snapshot, standing: standingOf(outcome.snapshot, caller.staff, caller.roles), note: outcome.note, noteTone: 'plain' });
  }
}

const stale = (field: string): QaError =>
  new QaError('INVALID_INPUT', `card data ${field} missing or malformed`, { userMessage: 'That card is out of date or damaged. Type "my tasks" for a fresh one.' });

export function partInput(data: Record<string, unknown>): ReviewPart {
  const value = data.part;
  if (value === 'records' || value === 'reflection' || value === 'family') return value;
  throw stale('part');
}

export function sectionInput(data: Record<string, unknown>): number {
  const value = data.section;
  if (typeof value !== 'string' || !/^\d{1,2}$/.test(value)) throw stale('section');
  return Number(value);
}
