import { openDatabase, type DatabaseHandle } from '../../db/connect';
import { migrateToLatest } from '../../db/migrate';
import { createRepositories, type Repositories } from '../../db/repositories';
import { createCalendar, loadBankHolidays } from '../../services/calendar';
import { figure, reportFigures } from '../../services/reports/figures';
import { parsePeriod } from '../../services/reports/period';
import { buildReport } from '../../services/reports/report-builder';
import { reportMarkdown } from '../../services/reports/report-markdown';
import { summarise } from '../../services/reports/report-summary';
import { TRUST, type ReportScope } from '../../services/reports/scope';

/**
 * The report's spotlight and briefing figures against rows whose answers are known:
 * one spotlight posted to two channels with four replies (one a question to the bot,
 * one made after the period), one briefing to six people in two services and a channel,
 * with every delivery outcome, and acknowledgements inside and after the period.
 */
const calendar = createCalendar({ bankHolidays: loadBankHolidays() });
let handle: DatabaseHandle;
let repos: Repositories;
const now = new Date('2027-06-15T10:00:00Z');
const t = (iso: string): string => new Date(iso).toISOString();

async function seed(): Promise<void> {
  const db = handle.db;
  const staff = [
    ['qa', 'North', 'North A', 'qa_manager'],
    ['p1', 'North', 'North A', ''],
    ['p2', 'North', 'North A', ''],
    ['p3', 'North', 'North B', ''],
    ['p4', 'South', 'South A', ''],
    ['p5', 'South', 'South A', ''],
    ['p6', 'South', 'South A', ''],
  ];
  for (const [id, service, team, roles] of staff) {
    await db.insertInto('staff').values({ id: id!, email: `${id!}@trust.example`, aad_object_id: null, name: `Person ${id!}`, tier: 'practitioner', service: service!, team: team!, line_manager_id: null, roles: roles!, active: 1, created_at: t('2027-01-01'), updated_at: t('2027-01-01') }).execute();
  }
  await db.insertInto('forms').values({ id: 'f1', form_key: 'thematic_review', version: 1, title: 'Thematic review', definition_json: '{}', published_by: 'qa', published_at: t('2027-01-01') }).execute();
  await db.insertInto('themes').values({ id: 'th1', month: '2027-03', title: 'Voice of the child', origin: 'pib', why: 'Board asked', form_id: 'f1', sample_size: 2, channels_json: '[]', created_by: 'qa', created_at: t('2027-02-01'), updated_at: t('2027-02-01') }).execute();
  const content = { figures: { managers: 3, casesSampled: 6, questions: [], grades: [], reviewsConsidered: 2, observationsConsidered: 1 }, edits: { headline: 'Voice heard in most plans', strengths: ['Direct work recorded'], gaps: ['Plans not shared with children'], quotes: [] } };
  await db.insertInto('spotlights').values({ id: 'sp1', theme_id: 'th1', month: '2027-03', status: 'posted', content_json: JSON.stringify(content), created_by: 'qa', created_at: t('2027-03-30T10:00:00Z'), updated_at: t('2027-03-30T10:00:00Z'), posted_by: 'qa', posted_at: t('2027-03-31T09:00:00Z') }).execute();
  for (const [id, channel] of [['post1', '19:north@thread.tacv2'], ['post2', '19:south@thread.tacv2']]) {
    await db.insertInto('spotlight_posts').values({ id: id!, spotlight_id: 'sp1', conversation_id: channel!, channel_name: channel!, outbox_key: `spotlight:sp1:${channel!}`, root_activity_id: `root-${id!}`, created_at: t('2027-03-31T09:00:00Z') }).execute();
  }
  const replies: [string, string, number, string][] = [
    ['r1', 'post1', 0, '2027-03-31T10:00:00Z'],
    ['r2', 'post1', 1, '2027-03-31T11:00:00Z'],
    ['r3', 'post2', 0, '2027-03-31T12:00:00Z'],
    // After the end of March (London): not in March's report.
    ['r4', 'post2', 0, '2027-04-02T09:00:00Z'],
  ];
  for (const [id, post, mentioned, at] of replies) {
    await db.insertInto('spotlight_replies').values({ id, post_id: post, activity_id: `act-${id}`, author_aad_object_id: null, mentioned_bot: mentioned, created_at: t(at) }).execute();
  }
  await db.insertInto('briefings').values({
    id: 'b1', title: 'Hearing the child', status: 'sent', parts_json: '{}', spotlight_id: 'sp1', author_id: 'qa', approver_id: 'p1', submitted_at: t('2027-03-20'), decided_at: t('2027-03-21'), decision_note: null,
    audience_json: '{}', send_at: null, sent_at: t('2027-03-22T09:00:00Z'), sent_by: 'qa', reminder_working_days: 3, reminded_at: null, recalled_at: null, recalled_by: null, created_at: t('2027-03-20'), updated_at: t('2027-03-22'),
  }).execute();
  // person, outbox status, acknowledged at, read at
  const copies: [string, string, string | null, string | null][] = [
    ['p1', 'sent', '2027-03-23T09:00:00Z', '2027-03-22T10:00:00Z'],
    ['p2', 'sent', null, '2027-03-22T10:00:00Z'],
    ['p3', 'sent', '2027-04-03T09:00:00Z', null],
    ['p4', 'sent', '2027-03-24T09:00:00Z', null],
    ['p5', 'not_installed', null, null],
    ['p6', 'failed', null, null],
  ];
  for (const [person, status, acknowledged, read] of copies) {
    const staffRow = staff.find((row) => row[0] === person)!;
    const key = `briefing:b1:${person}`;
    await db.insertInto('briefing_recipients').values({ id: `c-${person}`, briefing_id: 'b1', recipient_key: person, kind: 'person', staff_id: person, conversation_id: null, service: staffRow[1]!, team: staffRow[2]!, outbox_key: key, acknowledged_at: acknowledged === null ? null : t(acknowledged), read_at: read === null ? null : t(read), reminded_at: null, created_at: t('2027-03-22T09:00:00Z') }).execute();
    await db.insertInto('outbox').values({ id: `o-${person}`, dedupe_key: key, kind: 'briefing', conversation_id: null, staff_id: person, payload_json: '{}', status, attempts: 1, next_attempt_at: t('2027-03-22T09:00:00Z'), locked_until: null, last_error: null, activity_id: null, created_at: t('2027-03-22T09:00:00Z'), sent_at: null, operation: null, target_activity_id: null }).execute();
  }
  await db.insertInto('briefing_recipients').values({ id: 'c-ch', briefing_id: 'b1', recipient_key: '19:north@thread.tacv2', kind: 'channel', staff_id: null, conversation_id: '19:north@thread.tacv2', service: null, team: null, outbox_key: 'briefing:b1:19:north@thread.tacv2', acknowledged_at: null, read_at: null, reminded_at: null, created_at: t('2027-03-22T09:00:00Z') }).execute();
  await db.insertInto('briefing_usage').values({ id: 'u1', briefing_id: 'b1', team: 'North A', recorded_by: 'qa', setting: 'team meeting', discussed_on: '2027-03-25', notes: null, created_at: t('2027-03-25T15:00:00Z') }).execute();
}

beforeAll(async () => {
  handle = openDatabase({ kind: 'sqlite', path: ':memory:' });
  await migrateToLatest(handle.db, handle.dialect);
  repos = createRepositories(handle.db, handle.dialect);
  await seed();
});
afterAll(async () => {
  await handle.close();
});

async function figuresOf(key: string, scope: ReportScope) {
  const built = await buildReport({ repos, calendar, clock: { now: () => now } }, { period: parsePeriod('monthly', key), scope });
  const figures = reportFigures(built);
  return { built, count: (id: string) => figure(figures, id).count, ids: (id: string) => figure(figures, id).records.map((record) => record.id).sort() };
}

test('March 2027 for the trust: the spotlight with its discussion, the briefing with its delivery and acknowledgements', async () => {
  const { built, count, ids } = await figuresOf('2027-03', TRUST);
  const [spotlight] = built.closingTheLoop.spotlights;
  expect(spotlight).toMatchObject({ theme: 'Voice of the child', headline: 'Voice heard in most plans', managers: 3, casesSampled: 6, channels: 2, strengths: ['Direct work recorded'], gaps: ['Plans not shared with children'] });
  expect(count('spotlights.posted')).toBe(1);
  expect(ids('spotlights.replies')).toEqual(['r1', 'r2', 'r3']);
  expect(ids('spotlights.2027-03.questions')).toEqual(['r2']);
  expect(ids('briefings.copies')).toEqual(['c-p1', 'c-p2', 'c-p3', 'c-p4', 'c-p5', 'c-p6']);
  expect(ids('briefings.delivered')).toEqual(['c-p1', 'c-p2', 'c-p3', 'c-p4']);
  expect(ids('briefings.b1.not_installed')).toEqual(['c-p5']);
  expect(ids('briefings.b1.failed')).toEqual(['c-p6']);
  // p3 acknowledged in April: not by the end of March.
  expect(ids('briefings.acknowledged')).toEqual(['c-p1', 'c-p4']);
  expect(ids('briefings.read')).toEqual(['c-p1', 'c-p2']);
  expect(count('briefings.usage')).toBe(1);
  expect(built.closingTheLoop.briefings[0]).toMatchObject({ title: 'Hearing the child', sentOn: '2027-03-22', channels: 1, recalled: false });
  expect(count('briefings.team.North/North A.delivered')).toBe(2);
  expect(count('briefings.team.North/North A.acknowledged')).toBe(1);
  const markdown = reportMarkdown(built);
  expect(markdown).toContain('Voice heard in most plans');
  expect(markdown).toContain('2: 50% (n=4, small sample)');
  const summary = summarise(built);
  expect(summary.groups.find((group) => group.title === 'Spotlights and briefings')?.facts).toEqual(
    expect.arrayContaining([{ title: 'Delivered', value: '4 of 6 copies' }, { title: 'Thread replies', value: '3' }]),
  );
});

test('March 2027 for the South service: its own people\'s copies only; April: the late reply, no briefing', async () => {
  const south = await figuresOf('2027-03', { kind: 'service', service: 'South' });
  expect(south.ids('briefings.copies')).toEqual(['c-p4', 'c-p5', 'c-p6']);
  expect(south.ids('briefings.acknowledged')).toEqual(['c-p4']);
  expect(south.built.closingTheLoop.briefings[0]?.channels).toBe(0);
  const april = await figuresOf('2027-04', TRUST);
  expect(april.count('spotlights.posted')).toBe(0);
  expect(april.count('briefings.copies')).toBe(0);
});

test('after the retention period a briefing copy keeps its delivery outcome for the reports, not its content', async () => {
  await handle.db.insertInto('outbox').values({ id: 'o-other', dedupe_key: 'reminder:old', kind: 'reminder', conversation_id: null, staff_id: 'p1', payload_json: '{"text":"x"}', status: 'sent', attempts: 1, next_attempt_at: t('2027-03-22T09:00:00Z'), locked_until: null, last_error: null, activity_id: null, created_at: t('2027-03-22T09:00:00Z'), sent_at: null, operation: null, target_activity_id: null }).execute();
  await handle.db.updateTable('outbox').set({ payload_json: '{"text":"the briefing"}' }).where('kind', '=', 'briefing').execute();
  expect(await repos.retention.deleteMessagesBefore(new Date('2027-10-01T00:00:00Z'), ['briefing'])).toBe(7);
  const rows = await handle.db.selectFrom('outbox').select(['id', 'status', 'payload_json']).orderBy('id').execute();
  expect(rows.map((row) => row.id)).not.toContain('o-other');
  expect(rows.filter((row) => row.id.startsWith('o-p')).every((row) => row.payload_json === '{}')).toBe(true);
  const { ids } = await figuresOf('2027-03', TRUST);
  expect(ids('briefings.delivered')).toEqual(['c-p1', 'c-p2', 'c-p3', 'c-p4']);
  expect(ids('briefings.b1.not_installed')).toEqual(['c-p5']);
});
