import { commandHandlers } from '../../bot/commands/registry';
import { verbHandlers } from '../../bot/verbs/registry';
import { allVerbs } from '../../cards/verbs';
import { commandCatalogue, verbRoles } from '../../services/permissions';
import { roleNames, type Role } from '../../services/roles';
import { expectValidCard } from '../support/card-check';
import type { TeamsMember } from '../support/connector-stand-in';
import { buildReviewWorld, type ReviewWorld } from '../support/review-world';
import { storedRows } from '../support/stored-rows';
import { cardOf, cardText, TENANT_ID } from '../support/teams-client';
import type { TrustPerson } from '../support/trust';

/**
 * The whole role table of services/permissions.ts, walked over HTTP: every card verb in
 * cards/verbs.ts and every typed command, by a person holding exactly one role (each of
 * services/roles.ts), by a member of staff with no role, and by someone QA Loop does not
 * know. The expectations are read from the table itself, so a verb, command or role added
 * later is walked too. What the table allows must get past the role check (the handler
 * may still refuse, e.g. "not one of yours"); what it does not allow must get the role
 * refusal, and nothing else.
 */
jest.setTimeout(120_000);

interface Caller {
  label: string;
  member: TeamsMember;
  /** The roles this person holds, as the table counts them: everyone who reaches the bot is `staff`. */
  holds: readonly Role[];
}

const guid = (n: number): string => `00000000-0000-4000-8000-${String(900 + n).padStart(12, '0')}`;
function holder(n: number, name: string, roles: string): TrustPerson {
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@trust.example.org`;
  const aadObjectId = guid(n);
  return { id: `29:${aadObjectId}`, aadObjectId, name, email, userPrincipalName: email, tenantId: TENANT_ID, tier: 'qa_service', service: 'Role Walk', team: 'Role Walk', lineManager: null, roles };
}

const roleHolders = roleNames.map((role, i) => ({ role, person: holder(i, `Holder Of ${role}`, role) }));
const plain = holder(roleNames.length, 'Plain Staff Member', '');
const unknown: TeamsMember = { id: '29:unknown-walker', aadObjectId: '00000000-0000-4000-8000-00000000dead', name: 'Not Known', email: 'not.known@elsewhere.example', userPrincipalName: 'not.known@elsewhere.example', tenantId: TENANT_ID };

const callers: Caller[] = [
  ...roleHolders.map(({ role, person }) => ({ label: `holder of ${role}`, member: person, holds: ['staff', role] as Role[] })),
  { label: 'member of staff with no role', member: plain, holds: ['staff'] },
  // Not on file and not in Teams' member list: the bot cannot tell who they are.
  { label: 'person QA Loop does not know', member: unknown, holds: ['staff'] },
];

const ROLE_REFUSAL = 'Your role does not allow that.';
const allowedToPress = (verb: string, holds: readonly Role[]): boolean => (verbRoles[verb] ?? []).some((role) => holds.includes(role));
const allowedToRun = (name: string, holds: readonly Role[]): boolean =>
  (commandCatalogue.find((entry) => entry.name === name)?.allowed ?? []).some((role) => holds.includes(role));

let world: ReviewWorld;
let rowsBefore: Record<string, number>;

/** Log lines the bot's role check writes when it refuses a card press. */
const roleRefusals = (): { verb: string; roles: string[] }[] =>
  world.h.logLines
    .map((line) => JSON.parse(line) as { msg?: string; verb?: string; roles?: string[] })
    .filter((entry) => entry.msg === 'card action refused by role')
    .map((entry) => ({ verb: String(entry.verb), roles: entry.roles ?? [] }));

beforeAll(async () => {
  world = await buildReviewWorld([...roleHolders.map(({ person }) => person), plain]);
  rowsBefore = await storedRows(world.h.database);
});
afterAll(async () => {
  await world?.h.close();
});

test('the table is whole: every verb in allVerbs has roles and a handler, every command a handler, and nothing is left over', () => {
  const verbs = [...allVerbs];
  expect(verbs.filter((verb) => verbRoles[verb] === undefined || verbRoles[verb].length === 0)).toEqual([]);
  expect(verbs.filter((verb) => typeof verbHandlers[verb] !== 'function')).toEqual([]);
  expect(Object.keys(verbRoles).filter((verb) => !verbs.includes(verb as (typeof verbs)[number]))).toEqual([]);
  const commands = commandCatalogue.map((entry) => entry.name);
  expect(commands.filter((name) => typeof commandHandlers[name] !== 'function')).toEqual([]);
  expect(Object.keys(commandHandlers).filter((name) => !commands.includes(name as (typeof commands)[number]))).toEqual([]);
  // Every role the table names is a real one (a typo would silently allow nobody).
  const known: readonly string[] = ['staff', ...roleNames];
  const named = [...Object.values(verbRoles).flat(), ...commandCatalogue.flatMap((entry) => entry.allowed)];
  expect(named.filter((role) => !known.includes(role))).toEqual([]);
});

describe('card verbs', () => {
  test.each([...allVerbs])('%s: the role refusal exactly where verbRoles says', async (verb) => {
    // Real records that belong to someone else: where the role check lets a press through,
    // the handler's own checks are what answer (e.g. "not one you are part of").
    const data = {
      assignmentId: world.reviewA.assignmentId,
      reviewId: world.reviewA.id,
      actionId: world.reviewA.actionId,
      requestId: world.request.id,
      part: 'records',
      section: '0',
      move: 'later',
      view: 'review',
    };
    const wrong: string[] = [];
    for (const caller of callers) {
      const before = roleRefusals().length;
      const response = await world.h.teams.press(caller.member, verb, data);
      const card = (response.body as { value?: unknown } | undefined)?.value;
      if (response.status !== 200 || card === undefined) {
        wrong.push(`${caller.label}: HTTP ${response.status} without a card`);
        continue;
      }
      expectValidCard(card);
      const text = cardText(card);
      const logged = roleRefusals().slice(before);
      const expected = allowedToPress(verb, caller.holds);
      const lookedRefused = text.startsWith('Not available to you') && text.includes(ROLE_REFUSAL);
      if (expected && (logged.length > 0 || lookedRefused)) wrong.push(`${caller.label}: refused by the role check, but verbRoles allows ${caller.holds.join('+')}`);
      if (!expected && !(logged.length === 1 && lookedRefused)) wrong.push(`${caller.label}: not refused by the role check (got "${text.split('\n')[0]}"), but verbRoles does not allow ${caller.holds.join('+')}`);
      if (!expected && logged[0] !== undefined) expect(logged[0]).toEqual({ verb, roles: caller.holds });
    }
    expect(wrong).toEqual([]);
  });
});

describe('typed commands', () => {
  test.each(commandCatalogue.map((entry) => entry.name))('"%s": the role refusal exactly where commandCatalogue says', async (name) => {
    const wrong: string[] = [];
    for (const caller of callers) {
      const replies = await world.h.teams.say(caller.member, name);
      const cards = replies.map((reply) => cardOf(reply));
      if (replies.length === 0 || cards.some((card) => card === undefined)) {
        wrong.push(`${caller.label}: answered ${replies.length} message(s) without a card: ${replies.map((reply) => String(reply.text)).join(' | ')}`);
        continue;
      }
      cards.forEach((card) => expectValidCard(card));
      const text = cards.map((card) => cardText(card)).join('\n');
      const refused = text.startsWith('Not available to you') && text.includes(`"${name}" is for the QA service`);
      const expected = allowedToRun(name, caller.holds);
      if (expected && refused) wrong.push(`${caller.label}: refused, but commandCatalogue allows ${caller.holds.join('+')}`);
      if (!expected && !refused) wrong.push(`${caller.label}: not refused (got "${text.split('\n')[0]}"), but commandCatalogue does not allow ${caller.holds.join('+')}`);
    }
    expect(wrong).toEqual([]);
  });

  test('"help" lists exactly the commands the table lets each person run', async () => {
    for (const caller of callers) {
      const [reply] = await world.h.teams.say(caller.member, 'help');
      const facts = ((cardOf(reply)?.body ?? []) as { type?: string; facts?: { title: string }[] }[]).filter((block) => block.type === 'FactSet').flatMap((block) => block.facts ?? []);
      const listed = facts.map((fact) => fact.title).sort();
      const expected = commandCatalogue.filter((entry) => allowedToRun(entry.name, caller.holds)).map((entry) => entry.name).sort();
      expect({ caller: caller.label, listed }).toEqual({ caller: caller.label, listed: expected });
    }
  });
});

test('walking the whole table stored nothing but the audit log', async () => {
  const after = await storedRows(world.h.database);
  const { audit_log: _before, ...rest } = rowsBefore;
  const { audit_log: _after, ...restAfter } = after;
  expect(restAfter).toEqual(rest);
});
