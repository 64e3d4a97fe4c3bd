import { importRota } from '../../services/rota-service';
import { cardSession } from '../support/card-session';
import { expectValidCard } from '../support/card-check';
import { FakeClock } from '../support/fake-clock';
import { startHarness, type Harness } from '../support/harness';
import { answersFor, shippedForm } from '../support/review-flow';
import { BOT, cardOf, cardText, teamChannel } from '../support/teams-client';
import { rotaCsv, smallTrust, type TrustPerson } from '../support/trust';

/**
 * A month's spotlight over HTTP: a theme planned on the card, three managers' dip-samples,
 * the spotlight collated (figures as answered), edited (a bad edit comes back with every
 * answer kept), posted as a new thread in two channels of a team (one not General, known
 * from the team's channel list at install), a double press posting once, and in a thread
 * an @mention answered there and every reply counted once.
 */
jest.setTimeout(120_000);

const trust = smallTrust({ practitioners: true });
const qa = trust.find((p) => p.roles.includes('qa_manager'))!;
const clock = new FakeClock(new Date('2026-12-10T10:00:00Z'));
let h: Harness;
const { press, deliveredTo } = cardSession(() => h, clock);
const team = teamChannel('Practice Learning');
const general = team.conversationId;
const neglectChannel = '19:neglect-learning@thread.tacv2';
let spotlightId = '';

beforeAll(async () => {
  h = await startHarness({ clock });
  trust.forEach((p) => h.connector.addMember(p));
  expect((await importRota(h.app.deps.services, rotaCsv(trust), 'test')).ok).toBe(true);
  for (const p of trust) await h.teams.install(p);
  // Teams lists General (the team's own id) without a name.
  h.connector.setTeamChannels(team.teamId!, [{ id: general }, { id: neglectChannel, name: 'Neglect learning' }]);
  await h.teams.install(qa, team);
  clock.set(new Date('2027-01-04T10:00:00Z'));
});
afterAll(async () => {
  await h.close();
});

test('installing in a team saves each of its channels with a readable name; a thread is never saved as a channel', async () => {
  const saved = await h.app.deps.repos.conversations.findByConversationId(neglectChannel);
  expect(saved).toMatchObject({ scope: 'team', channelId: neglectChannel, teamId: team.teamId, installed: true });
  expect(saved?.reference).toMatchObject({ conversation: { id: neglectChannel, name: 'Practice Learning › Neglect learning' } });
  expect((await h.app.deps.repos.conversations.findByConversationId(general))?.reference).toMatchObject({ conversation: { id: general, name: 'Practice Learning › General' } });
  const all = await h.app.deps.repos.conversations.listInstalled('team');
  expect(all.some((c) => c.conversationId.includes(';messageid='))).toBe(false);
});

test('a theme planned, three managers dip-sample it, and the spotlight collates what they answered', async () => {
  expect((await press(qa, 'theme.save', { month: '2027-01', title: 'Neglect: recognising cumulative harm', origin: 'pib', why: 'Raised at the Practice Improvement Board.', sampleSize: '2' })).text).toContain('Saved: January 2027');
  await h.app.scheduler.tick(new Date('2027-01-04T09:00:00Z'));
  const managers: { person: TrustPerson; assignmentId: string }[] = [];
  for (const p of trust) {
    const staff = (await h.app.deps.repos.staff.findByEmail(p.email))!;
    const assignment = await h.app.deps.repos.assignments.findFor(staff.id, '2027-01');
    if (assignment?.kind === 'thematic_review') managers.push({ person: p, assignmentId: assignment.id });
  }
  expect(managers.length).toBeGreaterThanOrEqual(3);
  const form = shippedForm('thematic_review');
  for (const [i, { person, assignmentId }] of managers.slice(0, 3).entries()) {
    await press(person, 'thematic.begin', { assignmentId });
    await press(person, 'thematic.sample', { assignmentId, caseReference: `CR80${i}001`, ...answersFor(form, 0, { theme_evident: i === 0 ? 'no' : 'yes', grade: 'good' }) });
    await press(person, 'thematic.sample', { assignmentId, caseReference: `CR80${i}002`, ...answersFor(form, 0, { theme_evident: 'yes', child_voice: 'partly', grade: 'requires_improvement' }) });
    expect((await press(person, 'thematic.submit', { assignmentId })).text).toContain('Your QA activity for the month is done');
  }

  const [reply] = await h.teams.say(qa, 'spotlight');
  const card = cardOf(reply)!;
  expectValidCard(card);
  const text = cardText(card);
  expect(text).toContain('Spotlight: January 2027');
  expect(text).toContain('Practice Learning › Neglect learning');
  const spotlight = (await h.app.deps.repos.spotlights.findByTheme((await h.app.deps.repos.themes.forMonth('2027-01'))!.id))!;
  spotlightId = spotlight.id;
  const { figures } = spotlight.content;
  expect(figures).toMatchObject({ casesSampled: 6, managers: 3 });
  expect(figures.questions.find((q) => q.key === 'theme_evident')?.counts).toEqual([{ answer: 'Yes', count: 5 }, { answer: 'No', count: 1 }]);
  expect(figures.questions.find((q) => q.key === 'grade')?.counts).toEqual([{ answer: 'Good', count: 3 }, { answer: 'Requires improvement to be good', count: 3 }]);
  expect(figures.questions.find((q) => q.key === 'finding')).toMatchObject({ answered: 6, counts: [] });
  expect(text).toContain('Yes 5, No 1');
  // The suggested strengths and gaps come from the counts.
  expect(spotlight.content.edits.strengths.join(' ')).toContain('5 of 6');
  expect(spotlight.content.edits.gaps.join(' ')).toContain('Requires improvement');
  // Asking again shows the same spotlight, not a second one.
  await h.teams.say(qa, 'spotlight 2027-01');
  expect((await h.app.deps.repos.spotlights.findById(spotlightId))?.createdAt).toEqual(spotlight.createdAt);
});

test('a bad edit comes back with the problem beside its field and every other answer kept; a good one saves', async () => {
  const bad = await press(qa, 'spotlight.save', {
    spotlightId, headline: 'x', strengths: 'Chronologies up to date in most cases', gaps: 'Cumulative harm not named', quotes: 'Tom Smith was not seen alone', channels: `${general},${neglectChannel}`,
  });
  expect(bad.text).toContain('Not saved yet');
  expect(bad.text).toContain('Give the spotlight a headline of at least 3 characters.');
  expect(bad.text).toContain("someone's full name");
  expect(bad.text).toContain('Chronologies up to date in most cases');
  expect(bad.text).toContain('Cumulative harm not named');
  const inputs = new Map<string, unknown>();
  JSON.stringify(bad.card, (key, value: unknown) => {
    if (typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string') inputs.set((value as { id: string }).id, (value as { value?: unknown }).value);
    return value;
  });
  expect(inputs.get('channels')).toBe(`${general},${neglectChannel}`);
  expect(inputs.get('quotes')).toBe('Tom Smith was not seen alone');
  expect((await h.app.deps.repos.spotlights.findById(spotlightId))?.content.edits.headline).not.toBe('x');

  const good = await press(qa, 'spotlight.save', {
    spotlightId, headline: 'Cumulative harm: seen, but not always named', strengths: 'Chronologies up to date in most cases', gaps: 'Cumulative harm not named in plans', quotes: 'The chronology told the story of the last two years.', channels: `${general},${neglectChannel}`,
  });
  expect(good.text).toContain('Saved. Post it when it reads right.');
  expect((await h.app.deps.repos.spotlights.findById(spotlightId))?.content).toMatchObject({ edits: { headline: 'Cumulative harm: seen, but not always named', quotes: ['The chronology told the story of the last two years.'] }, channels: [general, neglectChannel] });
});

test('only the QA manager may post; posting twice at once posts one new thread in each of two channels', async () => {
  const manager = trust.find((p) => p.tier === 'team_manager')!;
  expect((await press(manager, 'spotlight.post', { spotlightId, headline: 'Mine' })).text).toContain('Not available to you');
  expect((await h.app.deps.repos.spotlights.findById(spotlightId))?.status).toBe('draft');

  const data = { spotlightId, headline: 'Cumulative harm: seen, but not always named', strengths: 'Chronologies up to date in most cases', gaps: 'Cumulative harm not named in plans', quotes: 'The chronology told the story of the last two years.', channels: `${general},${neglectChannel}` };
  const callsBefore = h.connector.calls.length;
  const [a, b] = await Promise.all([press(qa, 'spotlight.post', data), press(qa, 'spotlight.post', data)]);
  expect([a.text, b.text].filter((text) => text.includes('Posted: it goes to 2 channels'))).toHaveLength(1);
  expect([a.text, b.text].filter((text) => text.includes('already posted'))).toHaveLength(1);
  expect((await h.app.deps.repos.outbox.listWithPrefix(`spotlight:${spotlightId}:`, { offset: 0, limit: 10 })).map((m) => m.conversationId).sort()).toEqual([general, neglectChannel].sort());

  for (const channel of [general, neglectChannel]) {
    const sent = await deliveredTo(channel);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain('Cumulative harm: seen, but not always named');
    expect(sent[0]!.text).toContain('Reply in this thread to discuss; @mention QA Loop to ask about the figures.');
    expect(sent[0]!.text).toContain('Yes 5, No 1');
  }
  // New threads: POST /v3/conversations/<channel id>/activities, not a reply to anything.
  const posts = h.connector.calls.slice(callsBefore).filter((call) => call.conversationId === general || call.conversationId === neglectChannel);
  expect(posts.map((call) => [call.kind, call.conversationId, call.activityId])).toEqual(expect.arrayContaining([['send', general, undefined], ['send', neglectChannel, undefined]]));
  expect(posts.filter((call) => call.kind === 'reply')).toHaveLength(0);
  // Pressing again later changes nothing.
  expect((await press(qa, 'spotlight.post', data)).text).toContain('already posted');
  await h.app.delivery.drainOnce(clock.now());
  expect(h.connector.calls.filter((call) => call.kind === 'send' && (call.conversationId === general || call.conversationId === neglectChannel))).toHaveLength(2);
});

test('in the thread an @mention is answered there with the right figure; replies are counted once each', async () => {
  const posts = await h.app.deps.repos.spotlights.listPosts(spotlightId);
  const outbox = await h.app.deps.repos.outbox.findByDedupeKey(`spotlight:${spotlightId}:${neglectChannel}`);
  expect(outbox?.activityId).toBeTruthy();
  const thread = `${neglectChannel};messageid=${outbox!.activityId!}`;
  const place = { ...team, conversationId: thread, channelId: neglectChannel };
  const asker = trust.find((p) => p.tier === 'service_manager')!;

  const question = `<at>${BOT.name}</at> how many cases were sampled for CR800001?`;
  const activity = h.teams.activity(asker, place, { type: 'message', text: question, textFormat: 'plain', entities: [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT }] });
  expect((await h.teams.post(activity)).status).toBe(200);
  const answers = h.connector.calls.filter((call) => call.kind === 'reply' && call.activityId === activity.id);
  expect(answers).toHaveLength(1);
  expect(answers[0]!.conversationId).toBe(thread);
  const answer = String(answers[0]!.activity?.text);
  expect(answer).toContain('6 cases sampled');
  expect(answer).not.toContain('CR800001');
  // Teams delivers the same activity again: counted once, answered once.
  expect((await h.teams.post(activity)).status).toBe(200);
  expect(h.connector.calls.filter((call) => call.kind === 'reply' && call.activityId === activity.id)).toHaveLength(1);

  // A question about a named dip-sample question gets its counts.
  const [named] = await h.teams.say(asker, 'what did the sample say about child\'s voice?', place);
  expect(String(named?.text)).toContain('Partly: 3');
  // A reply without a mention is counted, not answered.
  const plain = h.teams.activity(asker, place, { type: 'message', text: 'Good to see this.', textFormat: 'plain' });
  await h.teams.post(plain);
  expect(h.connector.calls.filter((call) => call.activityId === plain.id)).toHaveLength(0);

  const post = posts.find((p) => p.conversationId === neglectChannel)!;
  expect(await h.app.deps.repos.spotlights.replyCounts(spotlightId)).toEqual([{ postId: post.id, replies: 3, questions: 2, people: 1 }]);
  // The QA manager's card shows each thread and its replies.
  const [card] = await h.teams.say(qa, 'spotlight 2027-01');
  expect(cardText(cardOf(card))).toContain('Posted; 3 replies, 2 questions to QA Loop');

  const audit = new Set((await h.app.deps.repos.audit.list(new Date(0), new Date('2030-01-01'), { offset: 0, limit: 1000 })).map((e) => e.action));
  for (const expected of ['spotlight.collated', 'spotlight.edited', 'spotlight.posted']) expect(audit).toContain(expected);
});

test('the posted spotlight pre-fills a seven-minute briefing: its theme, figures, edited strengths and gaps, and quote', async () => {
  const draft = await press(qa, 'briefing.draft', { spotlightId });
  const values = new Map<string, unknown>();
  JSON.stringify(draft.card, (key, value: unknown) => {
    if (typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string') values.set((value as { id: string }).id, (value as { value?: unknown }).value);
    return value;
  });
  expect(values.get('title')).toBe('Seven-minute briefing: Neglect: recognising cumulative harm');
  expect(values.get('background')).toContain('Raised at the Practice Improvement Board.');
  expect(values.get('background')).toContain('3 managers dip-sampled 6 cases');
  expect(values.get('whyItMatters')).toBe('Cumulative harm: seen, but not always named');
  expect(values.get('keyPoint1')).toContain('Chronologies up to date in most cases');
  expect(values.get('keyPoint2')).toContain('Cumulative harm not named in plans');
  expect(values.get('remember')).toContain('The chronology told the story of the last two years.');
});

test('on the last working day of the month the spotlight is collated again and the QA manager is sent the preview, never the channels', async () => {
  clock.set(new Date('2027-02-26T10:00:00Z'));
  expect((await press(qa, 'theme.save', { month: '2027-02', title: 'Hearing the voice of the child', origin: 'slt', why: 'Raised at the Senior Leadership Team.', sampleSize: '1' })).text).toContain('Saved: February 2027');
  const before = h.connector.calls.filter((call) => call.kind === 'send' && call.conversationId.startsWith('19:')).length;
  await h.app.scheduler.tick(new Date('2027-02-26T09:00:00Z'));
  const preview = (await deliveredTo(qa)).find((card) => card.text.includes('Spotlight: February 2027'));
  expect(preview).toBeDefined();
  expect(preview?.text).toContain('Post to channels');
  expect(h.connector.calls.filter((call) => call.kind === 'send' && call.conversationId.startsWith('19:'))).toHaveLength(before);
});

test('removing the app from the team stops every channel of it being offered or posted to, audited once', async () => {
  await h.teams.uninstall(qa, team);
  await h.teams.uninstall(qa, team);
  const { conversations, audit } = h.app.deps.repos;
  expect(await conversations.findByConversationId(neglectChannel)).toMatchObject({ installed: false });
  expect(await conversations.findByConversationId(general)).toMatchObject({ installed: false });
  expect((await conversations.listInstalled('team')).filter((c) => c.teamId === team.teamId)).toEqual([]);
  const removals = (await audit.list(new Date(0), new Date('2030-01-01'), { offset: 0, limit: 5000 })).filter((entry) => entry.action === 'app.uninstalled' && entry.recordId === general);
  expect(removals).toHaveLength(1);
  expect(removals[0]?.detail).toEqual({ channels: 2 });
});
