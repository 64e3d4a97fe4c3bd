import type { VerbName } from '../../cards/verbs';
import { aboutCycle } from './about-cycle';
import { showHelp } from './show-help';
import type { VerbHandler } from './verb';

/** One handler per card verb; the compiler checks none is missing. */
export const verbHandlers: Record<VerbName, VerbHandler> = {
  'help.show': showHelp,
  'help.about': aboutCycle,
};
