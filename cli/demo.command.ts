/** `demo load`: a fictional trust to try QA Loop out with the Agents Playground. */
import { monthLabel } from '../cards/labels';
import { monthOf } from '../services/calendar';
import { csvField } from '../services/csv';
import { assignMonth } from '../services/cycle-jobs';
import { QaError } from '../services/errors';
import { kindLabels } from '../services/rota';
import { REQUIRED_COLUMNS } from '../services/rota-import';
import { importRota, rotaForMonth } from '../services/rota-service';
import { DEMO_QA_MANAGER_EMAIL, DEMO_TRUST_NAME, demoPeople } from './demo-trust';
import type { CliCommand, CliRuntime } from './qa';

/** Holds the assign-month run only while it is recorded, a moment later. */
const RECORD_LEASE_MS = 60_000;

/** The demo as a rota file, so it is checked and imported exactly as a real one is. */
function demoRotaCsv(): string {
  const header = [...REQUIRED_COLUMNS, 'start_kind'];
  const lines = demoPeople.map((person) =>
    [person.email, person.name, person.tier, person.service, person.team, person.lineManagerEmail ?? '', person.roles.join(';'), person.startKind ?? ''].map(csvField).join(','),
  );
  return [header.join(','), ...lines].join('\n') + '\n';
}

/**
 * Importing replaces the rota: managers missing from the file leave it. Over a real
 * trust's rota that would take everyone off it, so the demo only goes where no one but
 * the demo's own people is on the rota.
 */
async function refuseOverARealRota(cli: CliRuntime): Promise<void> {
  const demoEmails = new Set(demoPeople.map((person) => person.email));
  const [members, staff] = await Promise.all([cli.context.repos.rota.listMembers(), cli.context.repos.staff.listAll()]);
  const onRota = new Set(members.filter((member) => member.onRota).map((member) => member.staffId));
  const others = staff.filter((person) => onRota.has(person.id) && !demoEmails.has(person.email));
  if (others.length > 0) {
    throw new QaError('CONFLICT', 'demo refused over a rota that is not the demo', {
      userMessage:
        `This database's rota has ${others.length} manager${others.length === 1 ? '' : 's'} who ${others.length === 1 ? 'is' : 'are'} not in the demo (${others[0]?.email ?? ''}` +
        `${others.length > 1 ? ', ...' : ''}). Loading the demo would take them off the rota, so nothing was loaded. Point DATABASE_URL at another database for the demo.`,
      detail: { others: others.length },
    });
  }
}

/**
 * Makes this month's assignments for the demo's managers without queuing any message,
 * so "my tasks" has something to show at once. The month's assign-month run is then
 * recorded as done: the bot's scheduler makes up a missed run, and that run would send
 * every demo manager their card for an assignment they already have.
 */
async function assignThisMonth(cli: CliRuntime): Promise<void> {
  const { context } = cli;
  const now = context.clock.now();
  const month = monthOf(now);
  if (!context.calendar.isActiveMonth(month)) {
    cli.out(`${monthLabel(month)} is a paused month, so no one has an assignment this month.`);
    return;
  }
  const demoEmails = new Set(demoPeople.map((person) => person.email));
  const entries = (await rotaForMonth(context, month)).filter((entry) => demoEmails.has(entry.person.email));
  let made = 0;
  for (const entry of entries) {
    if (entry.assignment !== undefined) continue;
    const excused = entry.status === 'excused';
    const { created } = await context.repos.assignments.create(entry.person.id, month, entry.kind, excused ? 'excused' : 'assigned', excused ? entry.excuseReason : null, now);
    if (created) made++;
  }
  if ((await context.repos.jobRuns.claim(assignMonth.name, month, cli.config.instanceId, now, RECORD_LEASE_MS)) === 'claimed') {
    await context.repos.jobRuns.finish(assignMonth.name, month, cli.config.instanceId, { error: null }, now);
  }
  if (made > 0) {
    await context.repos.audit.append(
      { actor: cli.actor, actorRole: 'qa_manager', action: 'demo.assigned', recordKind: 'assignment', recordId: null, source: 'cli', detail: { month, made } },
      now,
    );
  }
  cli.out(`${monthLabel(month)}: ${made} assignment${made === 1 ? '' : 's'} made, ${entries.length - made} made already; no messages were queued.`);
  const alex = entries.find((entry) => entry.person.email === DEMO_QA_MANAGER_EMAIL);
  cli.out(
    alex === undefined
      ? `${DEMO_QA_MANAGER_EMAIL} has no assignment in ${monthLabel(month)}: this month's assignments were made before the demo joined, so the demo's managers start next month.`
      : `${alex.person.name} (${alex.person.email}, the demo's QA manager) has a ${kindLabels[alex.kind].toLowerCase()} in ${monthLabel(month)}.`,
  );
}

const loadCommand: CliCommand = {
  usage: 'demo load',
  summary: `Load ${DEMO_TRUST_NAME} and this month's assignments (safe to run again)`,
  takes: { min: 0, max: 0 },
  async run(_input, cli) {
    await refuseOverARealRota(cli);
    const result = await importRota(cli.context, demoRotaCsv(), cli.actor);
    if (!result.ok) {
      // The demo's own data is wrong: a fault in QA Loop, not something the user can fix.
      throw new QaError('INTERNAL', `The demo trust's data was refused: ${result.problems.join('; ')}`);
    }
    const services = new Set(demoPeople.map((person) => person.service));
    cli.out(
      `Loaded ${DEMO_TRUST_NAME}: ${demoPeople.length} people in ${services.size} services, ${result.onRota} managers on the rota ` +
        `(${result.added} added, ${result.updated} updated).`,
    );
    await assignThisMonth(cli);
    cli.out('Start the Playground with npm run playground and type "my tasks"');
  },
};

export const demoCommands: readonly CliCommand[] = [loadCommand];
