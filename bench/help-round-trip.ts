import { randomUUID } from 'node:crypto';
import type { TeamsMember } from '../tests/support/connector-stand-in';
import { startHarness, type Harness } from '../tests/support/harness';
import { cardOf, cardText, people, personalChat, TeamsClient } from '../tests/support/teams-client';
import { startEchoServer } from './echo-server';
import {
  emptySamples,
  measureInRounds,
  median,
  round,
  roundRatios,
  roundSummary,
  summarize,
  timeConcurrent,
  timeSequential,
  type Bench,
  type BenchResult,
  type Measured,
  type Summary,
  type TimedCase,
} from './measure';

/**
 * A `help` message through /api/messages: the bot reads it, looks the person up, builds
 * the help card, posts the reply to the connector stand-in over HTTP and answers 200.
 * The reference is a bare restify server echoing the same activity, posted with the same
 * client (TeamsClient.post, i.e. fetch). Cases are measured in alternating rounds so that
 * drift in the machine's state falls on bot and reference alike.
 */

const IN_FLIGHT = 8;
const ROUNDS = 10;
/** Time each case gets in total, split evenly over the rounds. */
const SEQUENTIAL_BUDGET_MS = 2500;
const CONCURRENT_BUDGET_MS = 2000;
/** Warm-up is timed too, so that a slow or busy machine does not stretch the run. */
const WARMUP_SEQUENTIAL_MS = 1000;
const WARMUP_CONCURRENT_MS = 500;

export type Activity = Record<string, unknown>;
type CaseKey = 'echo' | 'help' | 'helpNotOnRota';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A `help` message in a personal chat, exactly as TeamsClient.say builds it. */
function helpActivity(teams: TeamsClient, person: TeamsMember): Activity {
  return teams.activity(person, personalChat(person), { id: `bench-${randomUUID()}`, type: 'message', text: 'help', textFormat: 'plain' });
}

function idOf(activity: Activity): string {
  if (typeof activity.id !== 'string') throw new Error('Bench activity has no id.');
  return activity.id;
}

/**
 * `help` from `person` through /api/messages; settle() checks that each got one card reply
 * at the connector stand-in, then empties the stand-in's records and the bot's log.
 */
export function helpCase<K extends string>(h: Harness, key: K, label: string, person: TeamsMember, expectedText: string): TimedCase<K, Activity> {
  const sent: string[] = [];
  return {
    key,
    label,
    op: {
      prepare: () => {
        const activity = helpActivity(h.teams, person);
        sent.push(idOf(activity));
        return activity;
      },
      run: async (activity) => {
        const response = await h.teams.post(activity);
        if (response.status !== 200) throw new Error(`Bot answered ${response.status}: ${JSON.stringify(response.body)}`);
      },
    },
    settle: () => {
      const replies = new Map<string, Activity[]>();
      for (const call of h.connector.calls) {
        if (call.kind !== 'reply' || call.activityId === undefined) throw new Error(`Unexpected connector call during the bench: ${call.kind}`);
        replies.set(call.activityId, [...(replies.get(call.activityId) ?? []), call.activity ?? {}]);
      }
      sent.forEach((id, index) => {
        const got = replies.get(id) ?? [];
        if (got.length !== 1 || cardOf(got[0]) === undefined) throw new Error(`Expected one card reply to ${id}, got ${got.length}.`);
        // Reading a whole card is slow: check the text of the first reply in each block only.
        if (index === 0 && !cardText(cardOf(got[0])).includes(expectedText)) throw new Error(`The help card for ${label} lacks "${expectedText}".`);
      });
      if (replies.size !== sent.length) throw new Error(`Replies to ${replies.size} activities, ${sent.length} sent.`);
      sent.length = 0;
      h.connector.clear();
      h.logLines.length = 0;
    },
  };
}

/** The bare round trip: the same activity, posted with the same client, to the echo server at `echoUrl`. */
export function echoCase(h: Harness, echoUrl: string): TimedCase<'echo', Activity> {
  const client = new TeamsClient(echoUrl, h.connector);
  return {
    key: 'echo',
    label: 'echo (bare restify)',
    op: {
      prepare: () => helpActivity(h.teams, people.alex),
      run: async (activity) => {
        const response = await client.post(activity);
        if (response.status !== 200 || !isRecord(response.body) || response.body.id !== activity.id) {
          throw new Error(`Echo answered ${response.status}: ${JSON.stringify(response.body)}`);
        }
      },
    },
    settle: () => undefined,
  };
}

const roundFigures = (measured: Measured<CaseKey>): Record<string, number[]> => ({
  ...Object.fromEntries([...measured.roundMedians].map(([key, values]) => [`${key}MedianMs`, values.map((value) => round(value))])),
  helpOverEchoMedian: roundRatios(measured, 'help', 'echo').map((value) => round(value)),
});
const summaryOf = <K extends string>(measured: Measured<K>, key: K): Summary => summarize(measured.pooled.get(key) ?? emptySamples());
const ms = (value: number): string => value.toFixed(3);
const rps = (value: number): string => value.toFixed(0);
const times = (value: number): string => `${value.toFixed(2)}x`;
const spread = (values: number[]): string =>
  `median ${median(values).toFixed(2)}x, range ${Math.min(...values).toFixed(2)}-${Math.max(...values).toFixed(2)}x`;

export const helpRoundTrip: Bench = {
  name: 'help-round-trip',
  async run(progress): Promise<BenchResult> {
    const h = await startHarness();
    const echo = await startEchoServer();
    try {
      // A QA manager on the rota: after the first message links their Entra id, each
      // `help` is one database look-up. Megan is not on the rota: every message costs a
      // database miss, a Teams member look-up (to the stand-in) and a miss by email.
      await h.app.deps.repos.staff.insert(
        { email: people.alex.email, name: 'Alex Wilber', tier: 'service_manager', service: 'Quality Assurance', team: 'QA Service', roles: ['qa_manager', 'manager'] },
        new Date(),
      );
      const echoRef = echoCase(h, echo.url);
      const help = helpCase(h, 'help', 'help, person on the rota', people.alex, 'status');
      const helpNotOnRota = helpCase(h, 'helpNotOnRota', 'help, person not on the rota', people.megan, 'not on the QA rota');

      // The premise of the figure: the reply has reached the connector when the 200 arrives.
      const first = help.op.prepare();
      await help.op.run(first);
      if (!h.connector.calls.some((call) => call.kind === 'reply' && call.activityId === first.id)) {
        throw new Error('The bot answered 200 before its reply reached the connector: the round trip would not include the reply.');
      }
      help.settle();
      if ((await h.app.deps.repos.staff.findByAadObjectId(people.alex.aadObjectId)) === undefined) {
        throw new Error('The first message did not link the manager to their Entra id.');
      }

      progress(`warming up (${WARMUP_SEQUENTIAL_MS / 1000} s sequential per case, then ${WARMUP_CONCURRENT_MS / 1000} s with ${IN_FLIGHT} in flight)`);
      for (const c of [echoRef, help, helpNotOnRota]) {
        await timeSequential(c.op, WARMUP_SEQUENTIAL_MS);
        c.settle();
      }
      for (const c of [echoRef, help]) {
        await timeConcurrent(c.op, WARMUP_CONCURRENT_MS, IN_FLIGHT);
        c.settle();
      }

      progress(`sequential: ${ROUNDS} rounds, ${SEQUENTIAL_BUDGET_MS / 1000} s per case`);
      const sequential = await measureInRounds([echoRef, help, helpNotOnRota], timeSequential, SEQUENTIAL_BUDGET_MS, ROUNDS);
      progress(`concurrent: ${IN_FLIGHT} in flight, ${ROUNDS} rounds, ${CONCURRENT_BUDGET_MS / 1000} s per case`);
      const concurrent = await measureInRounds([echoRef, help], (op, budgetMs) => timeConcurrent(op, budgetMs, IN_FLIGHT), CONCURRENT_BUDGET_MS, ROUNDS);

      const seq = { echo: summaryOf(sequential, 'echo'), help: summaryOf(sequential, 'help'), helpNotOnRota: summaryOf(sequential, 'helpNotOnRota') };
      const conc = { echo: summaryOf(concurrent, 'echo'), help: summaryOf(concurrent, 'help') };
      // Every ratio is help / echo: above 1 for latency means slower, below 1 for req/s means fewer.
      const ratios = {
        sequentialMedian: seq.help.medianMs / seq.echo.medianMs,
        sequentialP95: seq.help.p95Ms / seq.echo.p95Ms,
        sequentialThroughput: seq.help.perSecond / seq.echo.perSecond,
        notOnRotaSequentialMedian: seq.helpNotOnRota.medianMs / seq.echo.medianMs,
        concurrentMedian: conc.help.medianMs / conc.echo.medianMs,
        concurrentThroughput: conc.help.perSecond / conc.echo.perSecond,
      };

      const row = (label: string, s: Summary, reference: Summary): string[] => [
        label,
        String(s.count),
        ms(s.medianMs),
        ms(s.p95Ms),
        rps(s.perSecond),
        times(s.medianMs / reference.medianMs),
        times(s.perSecond / reference.perSecond),
      ];
      return {
        name: 'help-round-trip',
        title: `help round trip through /api/messages vs bare restify echo (same client, same ${JSON.stringify(echoRef.op.prepare()).length}-byte activity)`,
        table: [
          ['case', 'n', 'median ms', 'p95 ms', 'req/s', 'median vs echo', 'req/s vs echo'],
          row('sequential  echo (bare restify)', seq.echo, seq.echo),
          row('sequential  help, on the rota', seq.help, seq.echo),
          row('sequential  help, not on the rota', seq.helpNotOnRota, seq.echo),
          row(`${IN_FLIGHT} in flight  echo (bare restify)`, conc.echo, conc.echo),
          row(`${IN_FLIGHT} in flight  help, on the rota`, conc.help, conc.echo),
        ],
        notes: [
          `help median / echo median in each of the ${ROUNDS} rounds: sequential ${spread(roundRatios(sequential, 'help', 'echo'))}; ${IN_FLIGHT} in flight ${spread(roundRatios(concurrent, 'help', 'echo'))}`,
          '"not on the rota" adds a Teams member look-up (HTTP to the stand-in) and two database misses to every message.',
          'The bot answers 200 with an empty body after posting a ~1.3 KB card reply; the echo answers with the activity it got.',
          'Client, bot, connector stand-in and echo server share one Node process and event loop.',
        ],
        figures: {
          inFlight: IN_FLIGHT,
          sequential: { echo: roundSummary(seq.echo), help: roundSummary(seq.help), helpNotOnRota: roundSummary(seq.helpNotOnRota) },
          concurrent: { echo: roundSummary(conc.echo), help: roundSummary(conc.help) },
          ratios: Object.fromEntries(Object.entries(ratios).map(([key, value]) => [key, round(value)])),
          rounds: { sequential: roundFigures(sequential), concurrent: roundFigures(concurrent) },
        },
      };
    } finally {
      await echo.close();
      await h.close();
    }
  },
};
