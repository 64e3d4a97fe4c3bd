import { helpCardFor } from '../commands/help';
import type { VerbHandler } from './verb';

export const showHelp: VerbHandler = async ({ caller }) => helpCardFor(caller);
