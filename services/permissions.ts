import type { Role } from './roles';

/**
 * Who may run each typed command. One table, read by `help` (to list what a person
 * may use), by the command router (to refuse the rest) and by the manifest's tests.
 */
export type CommandName = 'help' | 'my tasks' | 'actions' | 'feedback' | 'moderate' | 'observe' | 'focus days' | 'themes' | 'spotlight' | 'briefings' | 'whoami' | 'rota' | 'status' | 'report';

export interface CommandInfo {
  name: CommandName;
  description: string;
  /** Roles allowed; `staff` means everyone. */
  allowed: readonly Role[];
  /**
   * Left out of the Teams command menu, which holds at most ten commands a scope; still
   * typed, and listed by `help`, for those who may use it.
   */
  notInMenu?: true;
}

/** Teams shows at most this many commands in a scope's command menu. */
export const TEAMS_MENU_LIMIT = 10;

export const commandCatalogue: readonly CommandInfo[] = [
  { name: 'help', description: 'See what QA Loop can do for you', allowed: ['staff'] },
  { name: 'my tasks', description: 'Your QA activity this month and anything overdue', allowed: ['staff'] },
  { name: 'actions', description: 'Your open actions from practice reviews, and closing them', allowed: ['staff'] },
  { name: 'feedback', description: 'Record a compliment, comment or complaint from a child or family', allowed: ['staff'] },
  { name: 'moderate', description: 'Practice reviews waiting for moderation', allowed: ['moderator', 'qa_manager'] },
  { name: 'observe', description: 'Record a practice observation of one of your practitioners', allowed: ['manager', 'independent_chair', 'qa_manager'] },
  // Kept out of the menu to make room for briefings; still typed, and listed by help.
  { name: 'focus days', description: 'Practice Focused Days: schedule one and see those coming', allowed: ['qa_manager'], notInMenu: true },
  // Kept out of the menu to make room for spotlight; the spotlight card has a button to it, and it stays typeable.
  { name: 'themes', description: 'The themes planner: monthly spotlight themes and their dip-sample', allowed: ['qa_manager'], notInMenu: true },
  { name: 'spotlight', description: "The month's spotlight: collate, edit and post it to channels (e.g. spotlight 2027-01)", allowed: ['qa_manager'] },
  { name: 'briefings', description: 'Seven-minute briefings: draft, approve and send them; see who in your team has read them', allowed: ['qa_manager', 'manager', 'approver'] },
  { name: 'whoami', description: 'How QA Loop knows you: role, team and service', allowed: ['staff'], notInMenu: true },
  { name: 'rota', description: "Swap a manager's activity or excuse them for a month", allowed: ['qa_manager'] },
  { name: 'status', description: 'Health of the bot, its jobs and its message queue', allowed: ['qa_manager', 'admin'], notInMenu: true },
  { name: 'report', description: 'QA report: headline figures and a link to the full report (e.g. report 2027-Q1)', allowed: ['qa_manager', 'manager'] },
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
  // Thematic reviews: the manager's own assignment (the handler checks it is theirs); themes are the QA manager's.
  'thematic.begin': ['manager'],
  'thematic.sample': ['manager'],
  'thematic.submit': ['manager'],
  'theme.save': ['qa_manager'],
  // Spotlights: only the QA service collates, edits and posts them.
  'spotlight.open': ['qa_manager'],
  'spotlight.collate': ['qa_manager'],
  'spotlight.save': ['qa_manager'],
  'spotlight.post': ['qa_manager'],
  'themes.open': ['qa_manager'],
  // Family feedback: anyone records it (attaching it to a review or observation is checked by the
  // handler); only a complaint's named officer or the QA manager acts on it, also checked there.
  'feedback.begin': ['staff'],
  'feedback.record': ['staff'],
  'complaint.open': ['staff'],
  'complaint.acknowledge': ['staff'],
  'complaint.respond': ['staff'],
  'complaint.extend': ['staff'],
  // Seven-minute briefings: the QA service drafts, sends and recalls; an approver (never the
  // author, checked by the handler) approves; each person acknowledges their own copy (checked
  // there too); team managers record how their team used it. Open shows each person their part.
  'briefing.draft': ['qa_manager'],
  'briefing.save': ['qa_manager'],
  'briefing.preview': ['qa_manager'],
  'briefing.submit': ['qa_manager'],
  'briefing.approve': ['approver'],
  'briefing.send-back': ['approver'],
  'briefing.open': ['staff'],
  'briefing.schedule': ['qa_manager'],
  'briefing.cancel-schedule': ['qa_manager'],
  'briefing.recall': ['qa_manager'],
  'briefing.delivery': ['qa_manager'],
  'briefing.acknowledge': ['staff'],
  'briefing.usage': ['manager'],
};

export function mayPress(roles: readonly Role[], verb: string): boolean {
  return (verbRoles[verb] ?? []).some((role) => roles.includes(role));
}

/** Matches typed text to a command: case and surrounding spaces do not matter. */
export function parseCommand(text: string): CommandName | undefined {
  const word = text.trim().toLowerCase().replace(/\s+/g, ' ');
  return commandCatalogue.find((entry) => entry.name === word)?.name;
}

/** Commands that read what is typed after their name, e.g. "report 2027-Q1". */
const commandsWithArguments: readonly CommandName[] = ['report', 'spotlight'];

/** Matches typed text to a command and what follows its name (only for commands that read more; others must match whole). */
export function parseCommandLine(text: string): { name: CommandName; args: string } | undefined {
  const line = text.trim().replace(/\s+/g, ' ');
  const whole = parseCommand(line);
  if (whole !== undefined) return { name: whole, args: '' };
  const name = commandsWithArguments.find((candidate) => line.toLowerCase().startsWith(`${candidate} `));
  return name === undefined ? undefined : { name, args: line.slice(name.length + 1) };
}
