import { whoAmICard } from '../../cards/whoami.card';
import { describeRoles } from '../../services/roles';
import type { CommandHandler } from './command';

export const whoami: CommandHandler = async ({ caller }) => {
  const person = caller.staff;
  if (person === undefined) return whoAmICard({ known: false });
  return whoAmICard({
    known: true,
    name: person.name,
    email: person.email,
    tier: person.tier.replace(/_/g, ' '),
    service: person.service,
    team: person.team,
    roles: describeRoles(caller.roles),
  });
};
