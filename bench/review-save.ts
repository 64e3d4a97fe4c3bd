import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { sql } from 'kysely';
import { CARD_CONTENT_TYPE } from '../cards/render';
import { Verbs } from '../cards/verbs';
import type { Answers } from '../services/forms/form-answers';
import { importRota } from '../services/rota-service';
import { FakeClock } from '../tests/support/fake-clock';
import { startHarness, type Harness } from '../tests/support/harness';
import { answersFor, pressForCard, shippedForm } from '../tests/support/review-flow';
import { cardText, TENANT_ID, type BotResponse } from '../tests/support/teams-client';
import { rotaCsv, type TrustPerson } from '../tests/support/trust';
import { startEchoServer, type EchoServer } from './echo-server';
import { echoCase, helpCase } from './help-round-trip';
import {
  emptySamples,
  measureInRounds,
  percentile,
  round,
  roundRatios,
  summarize,
  timeConcurrent,
  type Bench,
  type BenchResult,
  type Samples,
  type TimedCase,
} from './measure';

/**
 * A card submit at 50 concurrent users: 50 reviewers, each with their own practice-review
 * assignment and started review, each pressing `review.save` (an `adaptiveCard/action`
 * invoke to /api/messages) with "next" and "back" over the records review's sections,
 * one press in flight per reviewer, the next as soon as the last is answered. Each press
 * is validated, saved with its audit row in one transaction and answered with the card
 * rebuilt. Some leave a grade out: that path (problems beside their fields, the valid
 * answers still saved) is measured too. The database is a SQLite file in a temporary
 * directory, opened as the app opens it (WAL).
 *
 * The reference is the bare round trip (the bare restify echo of help-round-trip.ts) at the
 * same 50 in flight, measured in alternating rounds with the saves; `help` through the bot
 * at 50 in flight is shown too. Goal: p99 under 5x the bare round trip, and far inside
 * Teams' ~5 s invoke deadline.
 */

const REVIEWERS = 50;
/** One press in flight per reviewer, the next as soon as the last is answered. */
const IN_FLIGHT = REVIEWERS;
const ROUNDS = 5;
/** Time each case gets in total, split evenly over the rounds. */
const BUDGET_MS = 5000;
const WARMUP_MS = 1500;
/** Every PROBLEM_EVERY-th forward press of a reviewer leaves the section's grade out. */
const PROBLEM_EVERY = 4;
const GOAL_P99_OVER_BARE = 5;
const TEAMS_INVOKE_DEADLINE_MS = 5000;
/** "Far inside" the deadline, taken as at most a tenth of it. */
const FAR_INSIDE = 0.1;
const SERVICES = 5;
const MONTH = '2027-01';
/** The month's assignments are made on its first working day at 09:00, as the cycle does. */
const ASSIGNED_AT = new Date('2027-01-04T09:00:00Z');

const records = shippedForm('records_review');
const SECTIONS = records.sections.length;

/**
 * A synthetic trust: a director, a QA manager, and SERVICES services each with a head, a
 * service manager and enough team managers (each with a practitioner) for `reviewers` in all.
 * The team managers' rota rows say they start with a practice review (start_kind).
 */
function benchTrust(reviewers: number): { everyone: TrustPerson[]; pairs: { reviewer: TrustPerson; practitioner: TrustPerson }[] } {
  let n = 0;
  const make = (name: string, tier: string, service: string, team: string, lineManager: string | null, roles = ''): TrustPerson => {
    const aadObjectId = `00000000-0000-4000-9000-${String(++n).padStart(12, '0')}`;
    const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@bench.example.org`;
    return { id: `29:${aadObjectId}`, aadObjectId, name, email, userPrincipalName: email, tenantId: TENANT_ID, tier, service, team, lineManager, roles };
  };
  const director = make('Bench Director', 'director', 'Children and Families', 'Leadership', null);
  const everyone = [director, make('Bench Assurance', 'qa_service', 'Quality Assurance', 'QA Service', director.email, 'qa_manager;moderator')];
  const pairs: { reviewer: TrustPerson; practitioner: TrustPerson }[] = [];
  const perService = Math.ceil(reviewers / SERVICES);
  for (let s = 1; s <= SERVICES; s++) {
    const service = `Service ${s}`;
    const head = make(`${service} Head`, 'head_of_service', service, 'Leadership', director.email);
    const serviceManager = make(`${service} Service Manager`, 'service_manager', service, 'Area 1', head.email);
    everyone.push(head, serviceManager);
    const teams: { manager: TrustPerson; practitioner: TrustPerson }[] = [];
    for (let t = 1; t <= perService && pairs.length + teams.length < reviewers; t++) {
      const manager = make(`${service} Team Manager ${t}`, 'team_manager', service, `Team ${t}`, serviceManager.email);
      teams.push({ manager, practitioner: make(`${service} Practitioner ${t}`, 'practitioner', service, `Team ${t}`, manager.email) });
    }
    // Each team manager reviews the work of the practitioner in the next team of their service.
    teams.forEach(({ manager }, i) => pairs.push({ reviewer: manager, practitioner: teams[(i + 1) % teams.length]!.practitioner }));
    everyone.push(...teams.flatMap(({ manager, practitioner }) => [manager, practitioner]));
  }
  return { everyone, pairs };
}

/** The rota file for `people`, with a start_kind column: "review" for each of `reviewers`. */
function rotaWithStartKinds(people: readonly TrustPerson[], reviewers: readonly TrustPerson[]): string {
  const starting = new Set(reviewers.map((person) => person.email));
  const [header, ...rows] = rotaCsv(people).trimEnd().split('\n');
  return `${[`${header},start_kind`, ...rows.map((row) => `${row},${starting.has(row.split(',')[0] ?? '') ? 'review' : ''}`)].join('\n')}\n`;
}

export interface Reviewer {
  person: TrustPerson;
  reviewId: string;
  /** Where the reviewer is: the section their next press is on, going forward or back. */
  index: number;
  forward: boolean;
  forwardPresses: number;
  presses: number;
  /** What the records draft must hold once every press is answered: each section's last saved answers. */
  saved: Answers[];
}

export interface Press {
  reviewer: Reviewer;
  data: Record<string, string>;
  problem: boolean;
  /** Text the card that comes back must show. */
  expect: string[];
}

interface Answered {
  press: Press;
  response: BotResponse;
  ms: number;
}

const validAnswers = records.sections.map((_, index) => answersFor(records, index));
const gradeOf = records.sections.map((section) => {
  const grade = section.questions.find((question) => question.type === 'grade');
  if (grade === undefined) throw new Error(`Section ${section.id} has no grade to leave out.`);
  return grade.id;
});
const problemAnswers = records.sections.map((_, index) => answersFor(records, index, { [gradeOf[index]!]: '' }));
const withoutGrade = (index: number): Answers => Object.fromEntries(Object.entries(validAnswers[index]!).filter(([id]) => id !== gradeOf[index]));

/**
 * The next press of a reviewer walking the records review forward then back, and where it
 * leaves them. Every `problemEvery`-th forward press leaves the section's grade out (0: none do).
 */
export function nextPress(reviewer: Reviewer, slot: number, problemEvery = PROBLEM_EVERY): Press {
  const { index, forward } = reviewer;
  const problem = forward && problemEvery > 0 && (reviewer.forwardPresses + slot) % problemEvery === 0;
  const data = { reviewId: reviewer.reviewId, part: 'records', section: String(index), move: forward ? 'next' : 'back', ...(problem ? problemAnswers[index]! : validAnswers[index]!) };
  reviewer.presses++;
  if (forward) reviewer.forwardPresses++;
  if (problem) {
    // Kept on the section, with the problem beside the grade; the rest of the section is saved.
    reviewer.saved[index] = withoutGrade(index);
    return { reviewer, data, problem, expect: [`Section ${index + 1} of ${SECTIONS}`, 'Choose an answer.'] };
  }
  reviewer.saved[index] = validAnswers[index]!;
  const step = forward ? 1 : -1;
  const to = index + step;
  if (to < 0 || to >= SECTIONS) {
    // Past either end: the review as it stands; then the walk turns round.
    reviewer.forward = !forward;
    return { reviewer, data, problem, expect: ['Saved.'] };
  }
  reviewer.index = to;
  return { reviewer, data, problem, expect: [`Section ${to + 1} of ${SECTIONS}`, 'Saved.'] };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
export const invokeCard = (response: BotResponse): Record<string, unknown> | undefined => {
  const body = response.body;
  return response.status === 200 && isRecord(body) && body.type === CARD_CONTENT_TYPE && isRecord(body.value) && body.value.type === 'AdaptiveCard' ? body.value : undefined;
};

/** Whether the answer to `press` is a card, and what was wrong with it unless it is the card expected (next section, or the problem shown). */
export function checkAnswer(press: Press, response: BotResponse): { withCard: boolean; unexpected?: string } {
  const card = invokeCard(response);
  if (card === undefined) return { withCard: false, unexpected: `HTTP ${response.status}: ${JSON.stringify(response.body).slice(0, 200)}` };
  const text = cardText(card);
  const refused = ['That did not work', 'Not available to you', 'need attention'].filter((word) => !press.problem || word !== 'need attention');
  if (press.expect.every((part) => text.includes(part)) && !refused.some((word) => text.includes(word))) return { withCard: true };
  return { withCard: true, unexpected: `section ${press.data.section} ${press.data.move}${press.problem ? ' (grade left out)' : ''}: ${text.slice(0, 200)}` };
}

interface SaveCounts {
  presses: number;
  valid: number;
  problems: number;
  withCard: number;
  asExpected: number;
  errorsLogged: number;
  unexpected: string[];
}

/**
 * The reviewers' presses as one operation for timeConcurrent: with REVIEWERS in flight each
 * in-flight press has a reviewer of its own, so nobody presses twice at once. settle() reads
 * every answer (untimed) and counts those that are 200 with the expected card.
 */
function saveCase(h: Harness, reviewers: Reviewer[]): TimedCase<'save', Press> & { counts: SaveCounts; byPath: { valid: number[]; problem: number[] }; recordPaths: boolean } {
  const idle = reviewers.map((reviewer, slot) => ({ reviewer, slot }));
  const slotOf = new Map(idle.map(({ reviewer, slot }) => [reviewer, slot]));
  const answered: Answered[] = [];
  const counts: SaveCounts = { presses: 0, valid: 0, problems: 0, withCard: 0, asExpected: 0, errorsLogged: 0, unexpected: [] };
  const self = {
    key: 'save' as const,
    label: 'review.save',
    counts,
    byPath: { valid: [] as number[], problem: [] as number[] },
    recordPaths: false,
    op: {
      prepare: (): Press => {
        const next = idle.pop();
        if (next === undefined) throw new Error('More presses in flight than reviewers.');
        return nextPress(next.reviewer, next.slot);
      },
      run: async (press: Press): Promise<void> => {
        const t0 = performance.now();
        try {
          const response = await h.teams.press(press.reviewer.person, Verbs.saveReviewSection, press.data);
          answered.push({ press, response, ms: performance.now() - t0 });
        } finally {
          idle.push({ reviewer: press.reviewer, slot: slotOf.get(press.reviewer) ?? 0 });
        }
      },
    },
    settle: (): void => {
      for (const { press, response, ms } of answered) {
        counts.presses++;
        if (press.problem) counts.problems++;
        else counts.valid++;
        if (self.recordPaths) (press.problem ? self.byPath.problem : self.byPath.valid).push(ms);
        const checked = checkAnswer(press, response);
        if (checked.withCard) counts.withCard++;
        if (checked.unexpected === undefined) counts.asExpected++;
        else if (counts.unexpected.length < 3) counts.unexpected.push(checked.unexpected);
      }
      answered.length = 0;
      for (const line of h.logLines) if (Number((JSON.parse(line) as { level?: number }).level) >= 50) counts.errorsLogged++;
      h.logLines.length = 0;
      if (h.connector.calls.length > 0) throw new Error(`review.save made ${h.connector.calls.length} calls to the connector; it should answer in the invoke response only.`);
    },
  };
  return self;
}

/** The trust on file, everyone installed, the month's assignments made and each of `count` reviewers' reviews started (untimed). */
export async function setUp(h: Harness, clock: FakeClock, progress: (message: string) => void, count = REVIEWERS): Promise<Reviewer[]> {
  const { everyone, pairs } = benchTrust(count);
  everyone.forEach((person) => h.connector.addMember(person));
  const imported = await importRota(h.app.deps.services, rotaWithStartKinds(everyone, pairs.map(({ reviewer }) => reviewer)), 'bench');
  if (!imported.ok) throw new Error(`Rota import failed: ${imported.problems.join('; ')}`);
  for (const person of everyone) await h.teams.install(person);
  clock.set(ASSIGNED_AT);
  const run = await h.app.scheduler.runAt('assign-month', clock.now());
  if (run.result !== 'ran') throw new Error(`The month's assignment job did not run: ${JSON.stringify(run)}`);
  progress(`${everyone.length} people on file and installed, ${MONTH} assigned; starting ${pairs.length} reviews`);
  const { repos } = h.app.deps;
  const reviewers: Reviewer[] = [];
  for (const [i, { reviewer, practitioner }] of pairs.entries()) {
    const staff = await repos.staff.findByEmail(reviewer.email);
    const assignment = staff === undefined ? undefined : await repos.assignments.findFor(staff.id, MONTH);
    if (assignment?.kind !== 'practice_review') throw new Error(`${reviewer.email} has no practice review in ${MONTH} (${assignment?.kind ?? 'no assignment'}).`);
    const started = await pressForCard(h.teams, reviewer, Verbs.startReview, { assignmentId: assignment.id, caseReference: `CR${String(300000 + i)}`, practitionerEmail: practitioner.email });
    if (!started.text.includes(`Section 1 of ${SECTIONS}`)) throw new Error(`The review did not start: ${started.text.slice(0, 300)}`);
    const review = await repos.reviews.findByAssignment(assignment.id);
    if (review === undefined) throw new Error(`No review stored for ${reviewer.email}.`);
    reviewers.push({ person: reviewer, reviewId: review.id, index: 0, forward: true, forwardPresses: 0, presses: 0, saved: [] });
  }
  // Start-up's side effects (the practitioners' reflection cards waiting in the outbox) stay: delivery is not running.
  h.connector.clear();
  h.logLines.length = 0;
  return reviewers;
}

/**
 * Every press stored once: one draft-saved audit row per press, and each draft holds each
 * section's last answers. Reviews with fewer rows than presses lost one; with more, stored one twice.
 */
export async function checkStored(
  h: Harness,
  reviewers: readonly Reviewer[],
): Promise<{ auditRows: number; reviewsCounted: number; reviewsWithFewer: number; reviewsWithMore: number; draftsAsLastPressed: number }> {
  const rows = await h.database.db
    .selectFrom('audit_log')
    .select((eb) => ['record_id', eb.fn.countAll<number>().as('n')])
    .where('action', '=', 'review.draft-saved')
    .groupBy('record_id')
    .execute();
  const byReview = new Map(rows.map((row) => [row.record_id, Number(row.n)]));
  let reviewsCounted = 0;
  let reviewsWithFewer = 0;
  let reviewsWithMore = 0;
  let draftsAsLastPressed = 0;
  for (const reviewer of reviewers) {
    const stored = byReview.get(reviewer.reviewId) ?? 0;
    if (stored === reviewer.presses) reviewsCounted++;
    else if (stored < reviewer.presses) reviewsWithFewer++;
    else reviewsWithMore++;
    const draft = await h.app.deps.repos.responses.find(reviewer.reviewId, 'records');
    const expected = reviewer.saved.reduce<Answers>((all, section) => ({ ...all, ...section }), {});
    if (draft?.status === 'draft' && isDeepStrictEqual(draft.answers, expected)) draftsAsLastPressed++;
  }
  return { auditRows: [...byReview.values()].reduce((sum, n) => sum + n, 0), reviewsCounted, reviewsWithFewer, reviewsWithMore, draftsAsLastPressed };
}

const ms = (value: number): string => value.toFixed(1);
const times = (value: number): string => `${value.toFixed(2)}x`;
const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISSED');
interface Tail {
  count: number;
  p50Ms: number;
  p99Ms: number;
  perSecond: number;
}
const tail = (samples: Samples): Tail => {
  const sorted = [...samples.latenciesMs].sort((a, b) => a - b);
  return { count: sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), perSecond: summarize(samples).perSecond };
};
const roundTail = (t: Tail): Tail => ({ count: t.count, p50Ms: round(t.p50Ms), p99Ms: round(t.p99Ms), perSecond: round(t.perSecond, 1) });

/** The real bot on a SQLite file in a temporary directory, opened as the app opens it (WAL), before the month's assignments. */
export interface FileBot {
  h: Harness;
  clock: FakeClock;
  journalMode: string;
  synchronous: number | undefined;
  /** Stops the bot and removes the directory. */
  close(): Promise<void>;
}

export async function startFileBot(): Promise<FileBot> {
  const directory = mkdtempSync(join(tmpdir(), 'qa-loop-bench-'));
  const clock = new FakeClock(new Date('2026-12-10T10:00:00Z'));
  let h: Harness | undefined;
  try {
    h = await startHarness({ env: { DATABASE_URL: `sqlite:${join(directory, 'qa-loop.sqlite')}`, LOG_LEVEL: 'warn' }, clock });
    const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(h.database.db);
    const journalMode = journal.rows[0]?.journal_mode ?? 'unknown';
    const synchronous = (await sql<{ synchronous: number }>`pragma synchronous`.execute(h.database.db)).rows[0]?.synchronous;
    if (journalMode !== 'wal') throw new Error(`The database file is in ${journalMode} mode, not WAL as the app opens it.`);
    const harness = h;
    return {
      h: harness,
      clock,
      journalMode,
      synchronous,
      close: async () => {
        await harness.close();
        rmSync(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await h?.close();
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
}

export const reviewSaveBench: Bench = {
  name: 'review-save',
  async run(progress): Promise<BenchResult> {
    const bot = await startFileBot();
    const { h, clock, journalMode, synchronous } = bot;
    let echo: EchoServer | undefined;
    try {
      echo = await startEchoServer();
      const reviewers = await setUp(h, clock, progress);
      const save = saveCase(h, reviewers);
      const echoRef = echoCase(h, echo.url);
      const help = helpCase(h, 'help', 'help, person on the rota', reviewers[0]!.person, 'You are here as');

      progress(`warming up (${WARMUP_MS / 1000} s per case, ${IN_FLIGHT} in flight)`);
      const cases: TimedCase<'echo' | 'help' | 'save', unknown>[] = [echoRef, help, save];
      for (const c of cases) {
        await timeConcurrent(c.op, WARMUP_MS, IN_FLIGHT);
        c.settle();
      }
      progress(`${IN_FLIGHT} in flight: ${ROUNDS} rounds, ${BUDGET_MS / 1000} s per case`);
      save.recordPaths = true;
      const measured = await measureInRounds(cases, (op, budgetMs) => timeConcurrent(op, budgetMs, IN_FLIGHT), BUDGET_MS, ROUNDS);
      save.recordPaths = false;
      const stored = await checkStored(h, reviewers);

      const pooled = (key: 'echo' | 'help' | 'save'): Samples => measured.pooled.get(key) ?? emptySamples();
      const t = { echo: tail(pooled('echo')), help: tail(pooled('help')), save: tail(pooled('save')) };
      const pathTail = (values: number[]): Omit<Tail, 'perSecond'> => {
        const { perSecond: _unused, ...rest } = roundTail(tail({ latenciesMs: values, wallMs: 0 }));
        return rest;
      };
      const paths = { valid: pathTail(save.byPath.valid), problem: pathTail(save.byPath.problem) };
      const ratios = {
        p50OverBare: t.save.p50Ms / t.echo.p50Ms,
        p99OverBare: t.save.p99Ms / t.echo.p99Ms,
        p50OverHelp: t.save.p50Ms / t.help.p50Ms,
        p99OverHelp: t.save.p99Ms / t.help.p99Ms,
        p99OverDeadline: t.save.p99Ms / TEAMS_INVOKE_DEADLINE_MS,
      };
      const { counts } = save;
      const checks = {
        allWithCard: counts.withCard === counts.presses,
        allAsExpected: counts.asExpected === counts.presses,
        oneAuditRowEach: stored.auditRows === counts.presses && stored.reviewsCounted === reviewers.length,
        draftsAsLastPressed: stored.draftsAsLastPressed === reviewers.length,
        noErrors: counts.errorsLogged === 0,
      };
      const pair = (s: Omit<Tail, 'perSecond'>): string => `${ms(s.p50Ms)}, ${ms(s.p99Ms)}`;
      const against = (s: Tail, reference: Tail): string => `${times(s.p50Ms / reference.p50Ms)}, ${times(s.p99Ms / reference.p99Ms)}`;
      return {
        name: 'review-save',
        title: `review.save card submit (adaptiveCard/action: validate, save in a transaction, rebuild the card), ${REVIEWERS} reviewers pressing at once, SQLite file (${journalMode})`,
        table: [
          ['measure', 'value', 'goal', ''],
          [`review.save p99 / bare round trip p99 (both ${IN_FLIGHT} in flight)`, times(ratios.p99OverBare), `< ${GOAL_P99_OVER_BARE}x`, verdict(ratios.p99OverBare < GOAL_P99_OVER_BARE)],
          ['review.save p99 / Teams invoke deadline', `${ms(t.save.p99Ms)} / ${TEAMS_INVOKE_DEADLINE_MS} ms = ${ratios.p99OverDeadline.toFixed(3)}`, `<= ${FAR_INSIDE.toFixed(2)}`, verdict(ratios.p99OverDeadline <= FAR_INSIDE)],
          ['review.save p50, p99 / bare round trip', against(t.save, t.echo), '', ''],
          [`review.save p50, p99 ms (n ${t.save.count}, ${t.save.perSecond.toFixed(0)}/s)`, pair(t.save), '', ''],
          [`  valid answers, next or back (n ${paths.valid.count})`, pair(paths.valid), '', ''],
          [`  a grade left out, problem shown (n ${paths.problem.count})`, pair(paths.problem), '', ''],
          [`bare round trip p50, p99 ms (restify echo, ${t.echo.perSecond.toFixed(0)}/s)`, pair(t.echo), '', ''],
          [`help through the bot p50, p99 ms (${t.help.perSecond.toFixed(0)}/s)`, pair(t.help), '', ''],
          ['review.save p50, p99 / help', against(t.save, t.help), '', ''],
          ['presses answered 200 with a card', `${counts.withCard} of ${counts.presses}`, 'all', verdict(checks.allWithCard)],
          ['cards as expected (next section, or the problem shown)', `${counts.asExpected} of ${counts.presses}`, 'all', verdict(checks.allAsExpected)],
          ['draft-saved audit rows', `${stored.auditRows} for ${counts.presses} presses`, 'one a press', verdict(checks.oneAuditRowEach)],
          ["drafts holding each section's last answers", `${stored.draftsAsLastPressed} of ${reviewers.length}`, 'all', verdict(checks.draftsAsLastPressed)],
          ['errors logged by the bot during the saves', String(counts.errorsLogged), '0', verdict(checks.noErrors)],
        ],
        notes: [
          `goal: p99 under ${GOAL_P99_OVER_BARE}x the bare round trip, and far inside Teams' ~5 s invoke deadline ("far inside" taken as at most a tenth of it, ${FAR_INSIDE * TEAMS_INVOKE_DEADLINE_MS} ms).`,
          `Each reviewer has one press in flight and presses again as soon as it is answered: ${IN_FLIGHT} always in flight. Bare round trip and help at the same ${IN_FLIGHT} in flight, in ${ROUNDS} alternating rounds with the saves.`,
          `Presses: ${counts.valid} valid and ${counts.problems} with a grade left out (every ${PROBLEM_EVERY}th forward press), warm-up included; a press with a problem still saves its valid answers, so it too writes its audit row.`,
          `review.save median / bare median in each round: ${roundRatios(measured, 'save', 'echo').map((value) => value.toFixed(1)).join(', ')}`,
          `A p99 at ${IN_FLIGHT} in flight takes in every pause of the process (GC, other work on the machine), which holds all ${IN_FLIGHT} at once: here the bare round trip's own p99 is ${(t.echo.p99Ms / t.echo.p50Ms).toFixed(1)}x its p50.`,
          `SQLite file in a temporary directory, journal_mode ${journalMode} as the app opens it (synchronous ${String(synchronous)}); the client, the bot and the echo server share one Node process and event loop.`,
          ...counts.unexpected.map((line) => `unexpected answer: ${line}`),
        ],
        figures: {
          reviewers: REVIEWERS,
          inFlight: IN_FLIGHT,
          journalMode,
          synchronous,
          bare: roundTail(t.echo),
          help: roundTail(t.help),
          save: roundTail(t.save),
          saveValid: paths.valid,
          saveProblem: paths.problem,
          ratios: Object.fromEntries(Object.entries(ratios).map(([key, value]) => [key, round(value)])),
          goals: { p99OverBare: GOAL_P99_OVER_BARE, p99OverDeadline: FAR_INSIDE },
          presses: { ...counts, unexpected: counts.unexpected.length },
          stored,
          checks,
          roundMediansMs: Object.fromEntries([...measured.roundMedians].map(([key, values]) => [key, values.map((value) => round(value))])),
        },
      };
    } finally {
      await echo?.close();
      await bot.close();
    }
  },
};
