import { importRota } from '../../services/rota-service';
import { expectValidCard } from '../support/card-check';
import { FakeClock } from '../support/fake-clock';
import { startHarness, type Harness } from '../support/harness';
import { answersFor, pressForCard, shippedForm } from '../support/review-flow';
import { cardOf, cardText } from '../support/teams-client';
import { rotaCsv, smallTrust, type TrustPerson } from '../support/trust';
import { parseThemes, saveTheme } from '../../services/themes/themes-service';

/**
 * The themes planner and thematic reviews over HTTP: the QA manager plans a month's theme
 * on the card (bad answers come back), a file plans another with its own questions, and
 * three managers on thematic duty dip-sample cases, which completes their assignments.
 */
jest.setTimeout(120_000);

const trust = smallTrust({ practitioners: true });
const qa = trust.find((p) => p.roles.includes('qa_manager'))!;
const clock = new FakeClock(new Date('2026-12-10T10:00:00Z'));
let h: Harness;
const managers: { person: TrustPerson; assignmentId: string }[] = [];

async function press(person: TrustPerson, verb: string, data: Record<string, unknown>): Promise<{ card: Record<string, unknown>; text: string }> {
  const { card, text } = await pressForCard(h.teams, person, verb, data);
  expectValidCard(card);
  return { card: card as Record<string, unknown>, text };
}

beforeAll(async () => {
  h = await startHarness({ clock });
  trust.forEach((p) => h.connector.addMember(p));
  expect((await importRota(h.app.deps.services, rotaCsv(trust), 'test')).ok).toBe(true);
  for (const p of trust) await h.teams.install(p);
  clock.set(new Date('2027-01-04T10:00:00Z'));
});
afterAll(async () => {
  await h.close();
});

test('the QA manager plans January\'s theme on the planner card; bad answers come back beside their fields', async () => {
  const [reply] = await h.teams.say(qa, 'themes');
  expect(cardText(cardOf(reply))).toContain('Themes planner');
  const bad = await press(qa, 'theme.save', { month: '2027-08', title: 'Ch', origin: 'somewhere', why: '', sampleSize: '40' });
  expect(bad.text).toContain('Choose one of the months listed.');
  expect(bad.text).toContain('must be at least 3 characters');
  expect(bad.text).toContain('must be one of emt');
  const good = await press(qa, 'theme.save', { month: '2027-01', title: 'Neglect: recognising cumulative harm', origin: 'pib', why: 'Raised at the Practice Improvement Board after audit findings.', sampleSize: '2' });
  expect(good.text).toContain('Saved: January 2027, "Neglect: recognising cumulative harm".');
  expect((await h.app.deps.repos.themes.forMonth('2027-01'))).toMatchObject({ sampleSize: 2, origin: 'pib' });
  expect((await press(trust.find((p) => p.tier === 'team_manager')!, 'theme.save', { month: '2027-01' })).text).toContain('Not available to you');
});

test('a themes file is checked whole: a bad one saves nothing; a good one plans February with its own questions', async () => {
  const isActive = (month: string) => h.app.deps.calendar.isActiveMonth(month);
  const bad = parseThemes({ themes: [{ month: '2027-08', title: 'Summer', origin: 'emt', why: 'Because', sampleSize: 2 }, { month: '2027-02', title: 'X', origin: 'emt', why: 'Because', sampleSize: 0 }] }, isActive);
  expect(bad).toMatchObject({ ok: false });
  expect(!bad.ok && bad.problems.join('\n')).toMatch(/themes\.0\.month: 2027-08 is a paused month[\s\S]*themes\.1\.title[\s\S]*themes\.1\.sampleSize/);
  const questions = { sections: [{ id: 'neglect', title: 'Neglect', questions: [{ id: 'chronology', label: 'Is there an up-to-date chronology?', type: 'yesno', required: true }] }] };
  const good = parseThemes({ themes: [{ month: '2027-02', title: 'Chronologies', origin: 'performance_data', why: 'Audit shows chronologies out of date.', sampleSize: 1, questions }] }, isActive);
  expect(good.ok).toBe(true);
  const theme = await saveTheme(h.app.deps.services, good.ok ? good.themes[0]! : (undefined as never), qa.email, 'cli');
  const form = await h.app.deps.repos.forms.findById(theme.formId);
  expect(form?.definition.sections[0]?.questions.map((q) => q.id)).toEqual(['chronology']);
});

test('three managers dip-sample January\'s theme: names refused as case references, a double press stores once, the sample submits once', async () => {
  await h.app.scheduler.tick(new Date('2027-01-04T09:00:00Z'));
  for (const p of trust.filter((person) => ['team_manager', 'service_manager', 'head_of_service'].includes(person.tier))) {
    const staff = (await h.app.deps.repos.staff.findByEmail(p.email))!;
    const assignment = await h.app.deps.repos.assignments.findFor(staff.id, '2027-01');
    if (assignment?.kind === 'thematic_review') managers.push({ person: p, assignmentId: assignment.id });
  }
  expect(managers.length).toBeGreaterThanOrEqual(3);
  const form = shippedForm('thematic_review');
  for (const [i, { person, assignmentId }] of managers.slice(0, 3).entries()) {
    const [reply] = await h.teams.say(person, 'my tasks');
    const card = cardOf(reply)!;
    expect(cardText(card)).toContain('Start the thematic review');
    const open = await press(person, 'thematic.begin', { assignmentId });
    expect(open.text).toContain('Neglect: recognising cumulative harm');
    expect(open.text).toContain('0 of 2');
    const named = await press(person, 'thematic.sample', { assignmentId, caseReference: 'Tom Jones', ...answersFor(form, 0, { grade: '' }) });
    expect(named.text).toContain('That is not a case reference');
    expect(named.text).toContain('Choose an answer.');
    expect(named.text).toContain('Evidence for finding found in the record.');
    const early = await press(person, 'thematic.submit', { assignmentId });
    expect(early.text).toContain('the theme asks for 2 cases');
    const first = { assignmentId, caseReference: `cr90${i}001`, ...answersFor(form, 0, { theme_evident: i === 0 ? 'no' : 'yes' }) };
    await Promise.all([press(person, 'thematic.sample', first), press(person, 'thematic.sample', first)]);
    await press(person, 'thematic.sample', { assignmentId, caseReference: `CR90${i}002`, ...answersFor(form, 0) });
    const review = (await h.app.deps.repos.themes.reviewForAssignment(assignmentId))!;
    expect((await h.app.deps.repos.themes.listSamples(review.id)).map((s) => s.caseReference).sort()).toEqual([`CR90${i}001`, `CR90${i}002`]);
    const [a, b] = await Promise.all([press(person, 'thematic.submit', { assignmentId }), press(person, 'thematic.submit', { assignmentId })]);
    expect([a.text, b.text].filter((text) => text.includes('Your QA activity for the month is done'))).toHaveLength(1);
    expect((await h.app.deps.repos.assignments.findById(assignmentId))!.status).toBe('done');
  }
  const stranger = managers[3]?.person ?? trust.find((p) => p.tier === 'director')!;
  const refused = await press(stranger, 'thematic.sample', { assignmentId: managers[0]!.assignmentId, caseReference: 'CR999999' });
  expect(refused.text).toMatch(/not one of yours|Not available to you/);
  const audit = new Set((await h.app.deps.repos.audit.list(new Date(0), new Date('2030-01-01'), { offset: 0, limit: 1000 })).map((e) => e.action));
  for (const expected of ['theme.saved', 'thematic.started', 'thematic.sampled', 'thematic.submitted']) expect(audit).toContain(expected);
});

test('with no theme planned, the thematic review says so and may be marked done by hand', async () => {
  clock.set(new Date('2027-03-01T10:00:00Z'));
  await h.app.scheduler.tick(new Date('2027-03-01T09:00:00Z'));
  const march = (await h.app.deps.repos.assignments.listForMonth('2027-03')).find((a) => a.kind === 'thematic_review')!;
  const staff = (await h.app.deps.repos.staff.findById(march.staffId))!;
  const person = trust.find((p) => p.email === staff.email)!;
  const card = await press(person, 'thematic.begin', { assignmentId: march.id });
  expect(card.text).toContain('has not set a theme for this month');
  expect((await press(person, 'assignment.complete', { assignmentId: march.id })).text).toContain('Done: thank you');
});
