import { helpCard } from '../../cards/help.card';
import type { AdaptiveCard } from '../../cards/render';
import { commandsFor } from '../../services/permissions';
import { describeRoles } from '../../services/roles';
import type { Caller } from '../../services/identity';
import type { CommandHandler } from './command';

/** The help card lists only the commands this person's roles allow. */
export function helpCardFor(caller: Caller): AdaptiveCard {
  const who = caller.staff === undefined ? 'You are not on the QA rota yet.' : `You are here as ${describeRoles(caller.roles)}.`;
  return helpCard({
    roleLine: who,
    commands: commandsFor(caller.roles).map((command) => ({ name: command.name, description: command.description })),
  });
}

export const help: CommandHandler = async ({ caller }) => helpCardFor(caller);
