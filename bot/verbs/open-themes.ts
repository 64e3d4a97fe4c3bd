import { themes } from '../commands/themes';
import type { VerbHandler } from './verb';

/** "Themes planner" on the spotlight card: the planner is out of the command menu, so it is reached from here. */
export const openThemesVerb: VerbHandler = async ({ caller, deps }) => {
  const card = await themes({ caller, deps });
  return Array.isArray(card) ? card[0]! : card;
};
