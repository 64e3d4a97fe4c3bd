import { observationCard } from '../../cards/observation.card';
import { observationActionsCard, observationSectionCard } from '../../cards/observation-steps.card';
import type { AdaptiveCard } from '../../cards/render';
import { QaError } from '../../services/errors';
import type { Caller } from '../../services/identity';
import type { ObservationPart } from '../../services/observations/observation';
import { observationStandingOf } from '../../services/observations/observation-snapshot';
import type { ObservationMove, ObservationOutcome } from '../../services/observations/observation-steps';

/** Turns what an observation step decided to show into the card that replaces the one pressed. */
export function observationReply(outcome: ObservationOutcome, caller: Caller): AdaptiveCard {
  switch (outcome.show) {
    case 'section':
      return observationSectionCard(outcome);
    case 'actions':
      return observationActionsCard(outcome);
    case 'observation':
      return observationCard({ snapshot: outcome.snapshot, standing: observationStandingOf(outcome.snapshot, caller.staff, caller.roles), note: outcome.note });
  }
}

const stale = (field: string): QaError =>
  new QaError('INVALID_INPUT', `card data ${field} missing or malformed`, { userMessage: 'That card is out of date or damaged. Type "my tasks" for a fresh one.' });

export function observationPartInput(data: Record<string, unknown>): ObservationPart {
  if (data.part === 'observation' || data.part === 'reflection') return data.part;
  throw stale('part');
}

const moves: readonly ObservationMove[] = ['next', 'back', 'later'];
export function moveInput(data: Record<string, unknown>): ObservationMove {
  const move = moves.find((candidate) => candidate === data.move);
  if (move === undefined) throw stale('move');
  return move;
}
