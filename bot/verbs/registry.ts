import type { VerbName } from '../../cards/verbs';
import { aboutCycle } from './about-cycle';
import { changeRotaVerb } from './change-rota';
import { completeAssignment } from './complete-assignment';
import { decideRequestVerb } from './decide-request';
import { requestChangeVerb } from './request-change';
import { showHelp } from './show-help';
import { startAssignment } from './start-assignment';
import type { VerbHandler } from './verb';

/** One handler per card verb; the compiler checks none is missing. */
export const verbHandlers: Record<VerbName, VerbHandler> = {
  'help.show': showHelp,
  'help.about': aboutCycle,
  'assignment.start': startAssignment,
  'assignment.complete': completeAssignment,
  'assignment.request': requestChangeVerb,
  'rota.decide': decideRequestVerb,
  'rota.change': changeRotaVerb,
};
