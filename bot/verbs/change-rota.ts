import { kindLabels } from '../../services/rota';
import { excuseMonth, swapKind } from '../../services/rota-service';
import { parseKind } from '../../services/rota';
import { isQaError } from '../../services/errors';
import { monthLabel } from '../../cards/labels';
import type { RotaChangeField } from '../../cards/rota-change.card';
import { rotaChangeCardFor } from '../commands/rota';
import { staffOf, textInput } from './inputs';
import type { VerbHandler } from './verb';

/** The QA manager swaps or excuses a manager's month from the rota card. Problems come back next to their field. */
export const changeRotaVerb: VerbHandler = async ({ caller, deps, data }) => {
  const qaManager = staffOf(caller);
  const values: Record<RotaChangeField, string> = {
    email: textInput(data, 'email'),
    month: textInput(data, 'month'),
    change: textInput(data, 'change'),
    reason: textInput(data, 'reason'),
  };
  const problems: Partial<Record<RotaChangeField, string>> = {};
  if (values.email === '') problems.email = 'Choose a manager.';
  if (!/^\d{4}-\d{2}$/.test(values.month)) problems.month = 'Choose a month.';
  const [action, kindText] = values.change.split(':');
  const kind = action === 'swap' ? parseKind(kindText ?? '') : undefined;
  if (!(action === 'excuse' || kind !== undefined)) problems.change = 'Choose a swap or an excusal.';
  if (action === 'excuse' && values.reason.length < 3) problems.reason = 'An excusal needs a reason: it is reported.';
  if (values.reason.length > 500) problems.reason = 'Please keep the reason under 500 characters.';
  if (Object.keys(problems).length > 0) return rotaChangeCardFor(deps, { values, problems, done: '' });
  try {
    const person =
      kind !== undefined
        ? await swapKind(deps.services, values.email, values.month, kind, qaManager.email, 'card', { compose: deps.compose, by: qaManager.name })
        : await excuseMonth(deps.services, values.email, values.month, values.reason, qaManager.email, 'card', { compose: deps.compose, by: qaManager.name });
    const what = kind !== undefined ? `now does a ${kindLabels[kind].toLowerCase()}` : 'is excused';
    return rotaChangeCardFor(deps, { values: {}, problems: {}, done: `Saved: ${person.name} ${what} in ${monthLabel(values.month)}. They have been told.` });
  } catch (error) {
    if (!isQaError(error) || error.code === 'INTERNAL' || error.code === 'DATABASE_UNAVAILABLE') throw error;
    const field: RotaChangeField = error.code === 'NOT_FOUND' ? 'email' : error.code === 'CONFLICT' ? 'change' : 'month';
    return rotaChangeCardFor(deps, { values, problems: { [field]: error.userMessage }, done: '' });
  }
};
