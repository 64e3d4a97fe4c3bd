import fc from 'fast-check';
import { sql } from 'kysely';
import { allVerbs } from '../../cards/verbs';
import { commandCatalogue } from '../../services/permissions';
import { roleNames } from '../../services/roles';
import type { TeamsMember } from '../support/connector-stand-in';
import { cardProblems, TEAMS_CARD_LIMIT_BYTES } from '../support/card-check';
import { buildReviewWorld, type ReviewWorld } from '../support/review-world';
import { storedRows } from '../support/stored-rows';
import { tableDigests } from '../support/table-digest';
import { cardOf, cardText, personalChat, TENANT_ID } from '../support/teams-client';
import type { TrustPerson } from '../support/trust';

/**
 * Bad input at volume: about 3,000 generated activities and card payloads posted to
 * /api/messages as Teams would post them (and as nobody should): wrong types in every
 * field, missing fields, bodies up to and past the 1 MB limit, unknown verbs, every known
 * verb with random data, real ids of other people's reviews, assignments, actions and
 * requests, SQL, Adaptive Card template expressions, HTML and script, unicode controls.
 *
 * Generated with fast-check from a fixed seed (printed; set FUZZ_SEED to try another),
 * so a failure reproduces. After each batch: no 5xx, every card press answered with a
 * card, nothing stored but the audit log's install entries and conversation references,
 * and nothing said to these senders about anyone else's review.
 */
jest.setTimeout(180_000);

const SEED = Number(process.env.FUZZ_SEED ?? 20_270_104);
const DELETE = Symbol('delete');
const CARD = 'application/vnd.microsoft.card.adaptive';

const guid = (n: number): string => `00000000-0000-4000-8000-${String(800 + n).padStart(12, '0')}`;
function staffMember(n: number, name: string, roles: string): TrustPerson {
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@trust.example.org`;
  const aadObjectId = guid(n);
  return { id: `29:${aadObjectId}`, aadObjectId, name, email, userPrincipalName: email, tenantId: TENANT_ID, tier: 'practitioner', service: 'Fuzz Service', team: 'Fuzz Team', lineManager: null, roles };
}

/** People with no part in any review: what they are told must never name one. */
const stranger = staffMember(1, 'Fuzz Stranger', '');
// Every role except the two that see all reviews (qa_manager, moderator).
const manyRoles = staffMember(2, 'Fuzz Many Roles', roleNames.filter((role) => role !== 'qa_manager' && role !== 'moderator').join(';'));
const outsider: TeamsMember = { id: '29:fuzz-outsider', aadObjectId: '00000000-0000-4000-8000-00000000beef', name: 'Fuzz Outsider', email: 'outsider@elsewhere.example', userPrincipalName: 'outsider@elsewhere.example', tenantId: TENANT_ID };

const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE reviews; --",
  '" OR ""="',
  '1; DELETE FROM staff',
  "Robert'); DROP TABLE staff;--",
  "x' UNION SELECT case_reference FROM reviews --",
  '${reviewer.name}',
  '${$root}',
  '${json($root)}',
  '${string($root.snapshot)}',
  '${if(true, "a", "b")}',
  '{{name}}',
  '$data',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<at>QA Loop</at> help',
  '[click](javascript:alert(1))',
  '\u202Egnp.exe',
  '\u0000',
  '\uFEFF help',
  '\u200B\u200C\u200D',
  '\r\n\r\nX-Injected: 1',
  '%00%0a',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'NaN',
  '-1',
  '1e309',
  '😀👩‍👩‍👧‍👦',
  'ｈｅｌｐ',
  'HELP',
  ' my   tasks ',
];

/** Values a card really sends for some field: the handlers' own checks must still hold with them. */
const PLAUSIBLE = ['yes', 'no', 'good', 'inadequate', 'outstanding', 'records', 'reflection', 'family', 'next', 'back', 'later', '0', '1', '7', '99', 'section', 'moderation', 'oversight', 'review', 'approve', 'decline', 'excuse', 'swap:observation', 'swap:thematic', '2027-01', '2027-02-15', 'CR123456', 'given', 'declined'];

/** Every field name any card sends. */
const FIELDS = [
  'assignmentId', 'reviewId', 'actionId', 'requestId', 'part', 'section', 'move', 'view', 'agree', 'grade', 'reason', 'feedback', 'directions',
  'action1', 'action1Owner', 'action1Due', 'action2', 'action2Owner', 'action2Due', 'caseReference', 'practitionerId', 'practitionerEmail', 'chairId',
  'email', 'month', 'change', 'note', 'decision', 'request', 'lived_experience_grade', 'lived_experience_rationale', 'overall_grade', 'parent_outcome',
];

type Body = { raw: string } | { json: unknown };

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node: unknown = target;
  for (const key of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    if (typeof record[key] !== 'object' || record[key] === null) record[key] = {};
    node = record[key];
  }
  if (typeof node !== 'object' || node === null) return;
  const last = path[path.length - 1]!;
  if (value === DELETE) delete (node as Record<string, unknown>)[last];
  else (node as Record<string, unknown>)[last] = value;
}

/** The shape /api/messages itself requires (bot/server.ts); anything else is answered 400 before the bot sees it. */
function wellFormed(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const a = body as Record<string, unknown>;
  const str = (v: unknown, min: number, max: number): boolean => typeof v === 'string' && v.length >= min && v.length <= max;
  const obj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  return (
    str(a.type, 1, 100) &&
    (a.name === undefined || str(a.name, 0, 200)) &&
    (a.serviceUrl === undefined || str(a.serviceUrl, 0, 2000)) &&
    obj(a.conversation) && str(a.conversation.id, 1, 1000) &&
    obj(a.from) && str(a.from.id, 1, 1000) &&
    (a.recipient === undefined || (obj(a.recipient) && str(a.recipient.id, 0, 1000)))
  );
}

let world: ReviewWorld;
const runs = { untrusted: 0, privileged: 0, templates: 0 };
const statuses = new Map<number, number>();

beforeAll(async () => {
  process.stdout.write(`fuzz.test.ts: fast-check seed ${SEED} (FUZZ_SEED=${SEED} reproduces this run)\n`);
  world = await buildReviewWorld([stranger, manyRoles]);
});
afterAll(async () => {
  await world?.h.close();
});

/** Real ids of records that belong to other people, and near misses of them. */
function forgedIds(): fc.Arbitrary<unknown> {
  const { reviewA, reviewB, request } = world;
  const ids = [reviewA.id, reviewB.id, reviewA.assignmentId, reviewB.assignmentId, request.id, request.assignmentId, reviewA.actionId];
  return fc.constantFrom(...ids).chain((id) =>
    fc.constantFrom<unknown>(id, id, id, id.toUpperCase(), ` ${id}`, `${id}'--`, `${id}%00`, id.slice(0, -1), `${id}\u0000`, [id], { id }, `${id},${id}`),
  );
}

function arbitraries(options: { senders: readonly TeamsMember[]; plausible: boolean; staffIds: readonly string[] }) {
  const { h } = world;
  const wrongType = fc.oneof(
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  );
  const junkText = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...INJECTIONS) },
    { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...INJECTIONS), fc.string({ maxLength: 12 }), fc.constantFrom(...INJECTIONS)).map(([a, b, c]) => `${a}${b}${c}`) },
    // Long text: past every limit a card field has.
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 4_001, max: 120_000 }), fc.constantFrom('w', '\u202E', '${x}', 'é', '\u0000')).map(([n, unit]) => unit.repeat(Math.ceil(n / unit.length))) },
  );
  const value: fc.Arbitrary<unknown> = fc.oneof(
    { weight: 5, arbitrary: junkText },
    { weight: 3, arbitrary: wrongType },
    { weight: 3, arbitrary: forgedIds() },
    { weight: 1, arbitrary: fc.constantFrom(...options.staffIds) },
    ...(options.plausible ? [{ weight: 3, arbitrary: fc.constantFrom<unknown>(...PLAUSIBLE) }] : []),
  );
  const key = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...FIELDS) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
  const data = fc.oneof(
    { weight: 10, arbitrary: fc.dictionary(key, value, { maxKeys: 14 }) },
    { weight: 1, arbitrary: wrongType },
    { weight: 1, arbitrary: fc.constant(DELETE) },
  );
  const verb = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom<unknown>(...allVerbs) },
    { weight: 2, arbitrary: fc.constantFrom(...allVerbs).chain((v) => fc.constantFrom<unknown>(v.toUpperCase(), ` ${v}`, `${v}\u0000`, `${v}.x`, v.replace('.', '/'), v.split('.')[0])) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>('toString', '__proto__', 'constructor', 'hasOwnProperty', '') },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
    { weight: 1, arbitrary: wrongType },
  );
  const sender = fc.constantFrom(...options.senders);

  /** A card press as Teams sends it, with generated verb and data, and now and then a damaged envelope. */
  const cardPress = fc
    .record({ who: sender, verb, data, type: fc.oneof({ weight: 12, arbitrary: fc.constant<unknown>('Action.Execute') }, { weight: 1, arbitrary: fc.constantFrom<unknown>('Action.Submit', 'action.execute', 5, null) }), shape: fc.nat({ max: 30 }) })
    .map(({ who, verb: v, data: d, type, shape }): Body => {
      const action: Record<string, unknown> = { type, id: 'a1', verb: v };
      if (d !== DELETE) action.data = d;
      const valueField = shape === 0 ? 'not an object' : shape === 1 ? [action] : shape === 2 ? { trigger: 'manual' } : { action, trigger: 'manual' };
      return { json: h.teams.activity(who, personalChat(who), { type: 'invoke', name: 'adaptiveCard/action', value: valueField }) };
    });

  /** A whole activity with some of its fields damaged: wrong types, missing, huge, or hostile. */
  const paths: readonly (readonly string[])[] = [
    ['type'], ['name'], ['id'], ['timestamp'], ['localTimestamp'], ['channelId'], ['serviceUrl'], ['from'], ['from', 'id'], ['from', 'aadObjectId'], ['from', 'name'],
    ['recipient'], ['recipient', 'id'], ['conversation'], ['conversation', 'id'], ['conversation', 'conversationType'], ['conversation', 'tenantId'], ['conversation', 'isGroup'],
    ['channelData'], ['channelData', 'tenant'], ['channelData', 'tenant', 'id'], ['channelData', 'team'], ['channelData', 'channel'], ['text'], ['textFormat'], ['entities'],
    ['attachments'], ['value'], ['value', 'action'], ['value', 'action', 'verb'], ['value', 'action', 'data'], ['value', 'action', 'type'], ['locale'], ['replyToId'],
    ['membersAdded'], ['membersRemoved'], ['action'],
  ];
  // A service URL is where the bot posts replies: never one that leaves this machine. An empty
  // or missing one is left out: the SDK then retries its reply for about ten seconds (see
  // tests/resilience/connector-errors.test.ts), which would take this run past its time.
  const safeServiceUrl = fc.oneof(
    fc.constantFrom<unknown>('not a url', `${h.connector.url}v3/../../`, 'javascript:alert(1)', 'file:///etc/passwd'),
    fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== '' && !/\/\/|^\s*https?/i.test(s)),
    wrongType,
  );
  const mutation = fc.constantFrom(...paths).chain((path) =>
    fc.tuple(fc.constant(path), path[0] === 'serviceUrl' ? safeServiceUrl : fc.oneof(value, fc.constant<unknown>(DELETE), fc.constantFrom<unknown>('message', 'invoke', 'installationUpdate', 'conversationUpdate', 'adaptiveCard/action', 'add', 'remove', 'personal', 'channel', [{ id: '28:qa-loop-bot' }]))),
  );
  const start = fc.oneof(
    fc.constantFrom<Record<string, unknown>>(
      ...commandCatalogue.map((command) => ({ type: 'message', text: command.name })),
      { type: 'message', text: 'hello' },
      { type: 'installationUpdate', action: 'add' },
      { type: 'installationUpdate', action: 'remove' },
      { type: 'conversationUpdate', membersAdded: [{ id: '28:qa-loop-bot' }] },
      { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'review.open', data: { reviewId: world.reviewA.id } } } },
    ),
    junkText.map((text) => ({ type: 'message', text })),
  );
  const damaged = fc.record({ who: sender, start, mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }), place: fc.constantFrom('personal', 'channel') }).map(({ who, start: fields, mutations, place }): Body => {
    // A copy: the activity shares objects (the bot's own identity) with every other one.
    const activity = structuredClone(h.teams.activity(who, place === 'personal' ? personalChat(who) : { conversationId: '19:fuzz@thread.tacv2', conversationType: 'channel', teamId: '19:fuzz@thread.tacv2', teamName: 'Fuzz', channelId: '19:fuzz@thread.tacv2' }, fields));
    for (const [path, v] of mutations) setPath(activity, path, v);
    return { json: activity };
  });

  /** Not an activity at all: any JSON, text that is not JSON, and bodies near and past 1 MB. */
  const notAnActivity = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }).map((json): Body => ({ json })),
    fc.string({ maxLength: 200 }).map((raw): Body => ({ raw })),
    fc.constantFrom<Body>({ raw: '' }, { raw: '{' }, { raw: 'null' }, { raw: '[]' }, { raw: '{"type":"message","text":"help","__proto__":{"polluted":1}}' }, { raw: '{"constructor":{"prototype":{"polluted":1}},"type":"message"}' }),
  );
  const huge = fc.tuple(fc.integer({ min: 500_000, max: 1_100_000 }), sender, fc.constantFrom('text', 'data')).map(([size, who, where]): Body => {
    const filler = 'Z'.repeat(size);
    const fields = where === 'text' ? { type: 'message', text: filler } : { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'review.save', data: { reviewId: world.reviewB.id, part: 'records', section: '0', move: 'later', lived_experience_rationale: filler } } } };
    return { json: h.teams.activity(who, personalChat(who), fields) };
  });
  return fc.oneof({ weight: 10, arbitrary: cardPress }, { weight: 7, arbitrary: damaged }, { weight: 3, arbitrary: notAnActivity }, { weight: 1, arbitrary: huge });
}

interface Sent {
  body: Body;
  status: number;
  response: unknown;
}

async function send(body: Body): Promise<Sent> {
  const response = await world.h.teams.post('raw' in body ? body.raw : JSON.stringify(body.json));
  statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  return { body, status: response.status, response: response.body };
}

/** What must hold of every answer, whoever sent it. */
function checkAnswer({ body, status, response }: Sent, options: { ownText?: boolean } = {}): void {
  const json = 'json' in body ? body.json : undefined;
  const activity = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  const shown = JSON.stringify(response) ?? '';
  const where = `${status} for ${('raw' in body ? body.raw : JSON.stringify(json)).slice(0, 300)}`;
  // No stack trace or driver message ever goes back.
  if (/\n\s+at |node_modules|SqliteError|TypeError|ReferenceError/.test(shown)) throw new Error(`internals in the answer: ${where}: ${shown.slice(0, 300)}`);
  if (status === 501) {
    // The Bot Framework SDK's answer to an invoke the bot does not implement (never a card press).
    if (activity.type !== 'invoke' || activity.name === 'adaptiveCard/action' || response !== undefined || !wellFormed(json)) throw new Error(`501 where it is not an unimplemented invoke: ${where}`);
    return;
  }
  if (status >= 500) throw new Error(`server error ${where}`);
  if (!wellFormed(json)) {
    const tooBig = 'json' in body && JSON.stringify(json).length > 1024 * 1024;
    if (!(status === 400 || (tooBig && status === 413))) throw new Error(`not an activity, yet answered ${where}`);
    if (status === 400 && json !== undefined && (response as { code?: string } | undefined)?.code !== 'INVALID_INPUT') throw new Error(`400 without INVALID_INPUT: ${where}`);
    return;
  }
  if (JSON.stringify(json).length > 1024 * 1024) {
    if (status !== 413) throw new Error(`over 1 MB, yet answered ${where}`);
    return;
  }
  if (status !== 200) throw new Error(`a well-formed activity answered ${where}`);
  if (activity.type === 'invoke' && activity.name === 'adaptiveCard/action') {
    const answer = response as { statusCode?: number; type?: string; value?: Record<string, unknown> } | undefined;
    if (answer?.statusCode !== 200 || answer.type !== CARD || answer.value?.type !== 'AdaptiveCard' || answer.value.version !== '1.5') {
      throw new Error(`a card press answered without a card: ${where}: ${shown.slice(0, 300)}`);
    }
    // A card Teams would refuse is no answer either. Echoed text with `${` in it is the
    // person's own, not a template. A person's own over-long answer comes back whole, making
    // a card over Teams' limit: a known fault, shown by the failing test below.
    const ownTooLong = options.ownText === true && (JSON.stringify(json).length >= TEAMS_CARD_LIMIT_BYTES);
    const problems = cardProblems(answer.value).filter((problem) => !problem.startsWith('unexpanded template text') && !(ownTooLong && problem.includes("over Teams' limit")));
    if (problems.length > 0) throw new Error(`card problems ${problems.join('; ')} for ${where}`);
  }
}

const auditActionsSince = async (count: number): Promise<string[]> =>
  (await sql<{ action: string }>`select action from audit_log order by rowid limit -1 offset ${count}`.execute(world.h.database.db)).rows.map((row) => row.action);

const INSTALL_ENTRIES = ['app.installed', 'app.reinstalled', 'app.uninstalled'];

test('from people with no part in any review: never a 5xx, every press gets a card, nothing stored, nothing about anyone else said', async () => {
  const { h } = world;
  const senders = [stranger, manyRoles, outsider];
  const staffIds = await Promise.all(world.trust.map((person) => world.staffId(person)));
  const batch = fc.array(arbitraries({ senders, plausible: true, staffIds }), { minLength: 25, maxLength: 25 });
  await fc.assert(
    fc.asyncProperty(batch, async (bodies) => {
      runs.untrusted += bodies.length;
      const counts = await storedRows(h.database);
      const digests = await tableDigests(h.database, ['audit_log', 'conversation_refs']);
      const callsBefore = h.connector.calls.length;
      const answers: Sent[] = [];
      for (const body of bodies) answers.push(await send(body));
      answers.forEach((answer) => checkAnswer(answer));
      // Nothing stored anywhere but the audit log's install entries and conversation references.
      const { audit_log: auditBefore = 0, conversation_refs: _refsBefore, ...restBefore } = counts;
      const { audit_log: _auditAfter, conversation_refs: _refsAfter, ...restAfter } = await storedRows(h.database);
      expect(restAfter).toEqual(restBefore);
      expect(await tableDigests(h.database, ['audit_log', 'conversation_refs'])).toEqual(digests);
      expect((await auditActionsSince(auditBefore)).filter((action) => !INSTALL_ENTRIES.includes(action))).toEqual([]);
      // Nothing said, in a card answer or a message, about reviews these people have no part in.
      const said = [...answers.map((answer) => JSON.stringify(answer.response) ?? ''), ...h.connector.calls.slice(callsBefore).map((call) => JSON.stringify(call.activity ?? {}))].join('\n');
      expect(world.secrets.filter((secret) => said.includes(secret))).toEqual([]);
    }),
    { seed: SEED, numRuns: 100, endOnFailure: true },
  );
  expect(runs.untrusted).toBe(100 * 25);
});

test('from the people in the reviews and the QA manager, with their own real ids and random data: never a 5xx, a card for every press, no new records', async () => {
  const { h, qa, reviewA, reviewB } = world;
  const senders = [qa, reviewB.reviewer, reviewA.lineManager, reviewA.practitioner];
  const staffIds = await Promise.all(world.trust.map((person) => world.staffId(person)));
  // Random data only: a value that happened to be a valid answer could rightly change a record.
  const batch = fc.array(arbitraries({ senders, plausible: false, staffIds }), { minLength: 20, maxLength: 20 });
  await fc.assert(
    fc.asyncProperty(batch, async (bodies) => {
      runs.privileged += bodies.length;
      const counts = await storedRows(h.database);
      const answers: Sent[] = [];
      for (const body of bodies) answers.push(await send(body));
      answers.forEach((answer) => checkAnswer(answer, { ownText: true }));
      const { audit_log: auditBefore = 0, conversation_refs: _refsBefore, ...restBefore } = counts;
      const { audit_log: _auditAfter, conversation_refs: _refsAfter, ...restAfter } = await storedRows(h.database);
      expect(restAfter).toEqual(restBefore);
      // Drafts may be saved (the reviewer's own answers) and the QA manager may close an action; nothing else happens.
      expect((await auditActionsSince(auditBefore)).filter((action) => ![...INSTALL_ENTRIES, 'review.draft-saved', 'action.closed'].includes(action))).toEqual([]);
    }),
    { seed: SEED + 1, numRuns: 20, endOnFailure: true },
  );
  const reviews = await h.database.db.selectFrom('reviews').select(['id', 'status']).orderBy('id').execute();
  expect(new Map(reviews.map((review) => [review.id, review.status]))).toEqual(new Map([[reviewA.id, 'overseen'], [reviewB.id, 'draft']]));
});

test('text that looks like a template, SQL or script is stored and shown exactly as typed, never run', async () => {
  const { h, reviewB } = world;
  const hostile = fc
    .tuple(fc.constantFrom(...INJECTIONS.filter((text) => text.trim() !== '' && !text.includes('\u0000'))), fc.string({ unit: 'grapheme', maxLength: 30 }), fc.constantFrom('${reviewer.name}', '${$root.snapshot.review.caseReference}', "'; --", '</TextBlock>'))
    .map(([a, b, c]) => `${a}${b}${c}`.trim());
  await fc.assert(
    fc.asyncProperty(hostile, async (text) => {
      runs.templates += 1;
      const press = await h.teams.press(reviewB.reviewer, 'review.save', { reviewId: reviewB.id, part: 'records', section: '0', move: 'later', lived_experience_rationale: text });
      expect(press.status).toBe(200);
      const stored = (await h.app.deps.repos.responses.find(reviewB.id, 'records'))!.answers.lived_experience_rationale;
      expect(stored).toBe(text);
      const opened = await h.teams.press(reviewB.reviewer, 'review.open', { reviewId: reviewB.id, view: 'section', part: 'records', section: '0' });
      const card = (opened.body as { value: unknown }).value;
      const shownValues = JSON.stringify(card);
      expect(shownValues).toContain(JSON.stringify(text).slice(1, -1));
      // The expressions were not evaluated: no other person's name or this review's case reference came out of them.
      expect(cardText(card)).not.toContain(world.reviewA.reviewer.name);
    }),
    { seed: SEED + 2, numRuns: 100, endOnFailure: true },
  );
});

// Teams' own input stops at the field's length; a forged press does not. The card shows the
// problem and keeps the answer to its field's length, so it stays one Teams can show.
test('an answer longer than its field allows comes back on a card Teams can still show', async () => {
  const { h, reviewB } = world;
  const response = await h.teams.press(reviewB.reviewer, 'review.save', { reviewId: reviewB.id, part: 'records', section: '0', move: 'later', lived_experience_rationale: 'w'.repeat(40_000) });
  expect(response.status).toBe(200);
  const card = (response.body as { value: unknown }).value;
  expect(cardText(card)).toMatch(/Keep this to \d+ characters \(it has 40000\)/);
  expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(TEAMS_CARD_LIMIT_BYTES);
});

test('afterwards the bot is as it was: "help" answers normally, /healthz is ok, and no object prototype was touched', async () => {
  const { h } = world;
  const replies = await h.teams.say(stranger, 'help');
  expect(replies).toHaveLength(1);
  expect(cardText(cardOf(replies[0]))).toContain('What QA Loop can do for you');
  expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  const total = runs.untrusted + runs.privileged + runs.templates;
  process.stdout.write(`fuzz.test.ts: ${total} generated requests (seed ${SEED}); answers by status: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}\n`);
  expect(total).toBeGreaterThanOrEqual(2_900);
});
