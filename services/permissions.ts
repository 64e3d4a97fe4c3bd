import type { Role } from './roles';

/**
 * Who may run each typed command. One table, read by `help` (to list what a person
 * may use), by the command router (to refuse the rest) and by the manifest's tests.
 */
export type CommandName = 'help' | 'my tasks' | 'actions' | 'moderate' | 'observe' | 'focus days' | 'whoami' | 'rota' | 'status';

export interface CommandInfo {
  name: CommandName;
  description: string;
  /** Roles allowed; `staff` means everyone. */
  allowed: readonly Role[];
}

export const commandCatalogue: readonly CommandInfo[] = [
  { name: 'help', description: 'See what QA Loop can do for you', allowed: ['staff'] },
  { name: 'my tasks', description: 'Your QA activity this month and anything overdue', allowed: ['staff'] },
  { name: 'actions', description: 'Your open actions from practice reviews, and closing them', allowed: ['staff'] },
  { name: 'moderate', description: 'Practice reviews waiting for moderation', allowed: ['moderator', 'qa_manager'] },
  { name: 'observe', description: 'Record a practice observation of one of your practitioners', allowed: ['manager', 'independent_chair', 'qa_manager'] },
  { name: 'focus days', description: 'Practice Focused Days: schedule one and see those coming', allowed: ['qa_manager'] },
  { name: 'whoami', description: 'How QA Loop knows you: role, team and service', allowed: ['staff'] },
  { name: 'rota', description: "Swap a manager's activity or excuse them for a month", allowed: ['qa_manager'] },
  { name: 'status', description: 'Health of the bot, its jobs and its message queue', allowed: ['qa_manager', 'admin'] },
];

export function mayRun(roles: readonly Role[], command: CommandName): boolean {
  const info = commandCatalogue.find((entry) => entry.name === command);
  return info !== undefined && info.allowed.some((role) => roles.includes(role));
}

export function commandsFor(roles: readonly Role[]): CommandInfo[] {
  return commandCatalogue.filter((entry) => mayRun(roles, entry.name));
}

/**
 * Who may press each card button (by verb). A verb missing here is refused to everyone,
 * so a new verb must be given its roles on purpose.
 */
export const verbRoles: Readonly<Record<string, readonly Role[]>> = {
  'help.show': ['staff'],
  'help.about': ['staff'],
  // Acting on one's own assignment; the handler also checks it is theirs.
  'assignment.start': ['staff'],
  'assignment.complete': ['staff'],
  'assignment.request': ['staff'],
  'rota.decide': ['qa_manager'],
  'rota.change': ['qa_manager'],
  // Practice reviews: each handler checks the person's part in the review (reviewer,
  // practitioner, line manager, ...), so the role table only keeps out who never may.
  'review.begin': ['manager'],
  'review.start': ['manager'],
  'review.open': ['staff'],
  'review.save': ['staff'],
  'review.submit': ['manager'],
  'review.moderate': ['moderator', 'qa_manager'],
  'review.oversee': ['manager', 'qa_manager'],
  'action.close': ['staff'],
  // Observations: tier managers and Independent Chairs observe; the practitioner adds their reflection.
  'observation.begin': ['manager', 'independent_chair', 'qa_manager'],
  'observation.start': ['manager', 'independent_chair', 'qa_manager'],
  'observation.open': ['staff'],
  'observation.save': ['staff'],
  'observation.submit': ['manager', 'independent_chair', 'qa_manager'],
  'focus-day.add': ['qa_manager'],
};

export function mayPress(roles: readonly Role[], verb: string): boolean {
  return (verbRoles[verb] ?? []).some((role) => roles.includes(role));
}

/** Matches typed text to a command: case and surrounding spaces do not matter. */
export function parseCommand(text: string): CommandName | undefined {
  const word = text.trim().toLowerCase().replace(/\s+/g, ' ');
  return commandCatalogue.find((entry) => entry.name === word)?.name;
}
