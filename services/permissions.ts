import type { Role } from './roles';

/**
 * Who may run each typed command. One table, read by `help` (to list what a person
 * may use), by the command router (to refuse the rest) and by the manifest's tests.
 */
export type CommandName = 'help' | 'whoami' | 'status';

export interface CommandInfo {
  name: CommandName;
  description: string;
  /** Roles allowed; `staff` means everyone. */
  allowed: readonly Role[];
}

export const commandCatalogue: readonly CommandInfo[] = [
  { name: 'help', description: 'See what QA Loop can do for you', allowed: ['staff'] },
  { name: 'whoami', description: 'How QA Loop knows you: role, team and service', allowed: ['staff'] },
  { name: 'status', description: 'Health of the bot, its jobs and its message queue', allowed: ['qa_manager', 'admin'] },
];

export function mayRun(roles: readonly Role[], command: CommandName): boolean {
  const info = commandCatalogue.find((entry) => entry.name === command);
  return info !== undefined && info.allowed.some((role) => roles.includes(role));
}

export function commandsFor(roles: readonly Role[]): CommandInfo[] {
  return commandCatalogue.filter((entry) => mayRun(roles, entry.name));
}

/** Matches typed text to a command: case and surrounding spaces do not matter. */
export function parseCommand(text: string): CommandName | undefined {
  const word = text.trim().toLowerCase().replace(/\s+/g, ' ');
  return commandCatalogue.find((entry) => entry.name === word)?.name;
}
