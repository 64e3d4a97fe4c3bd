import { expectValidCard } from '../support/card-check';
import { startHarness, type Harness } from '../support/harness';
import { cardOf, cardText, people, personalChat, teamChannel } from '../support/teams-client';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const addQaManager = () =>
  h.app.deps.repos.staff.insert(
    { email: people.alex.email, name: 'Alex Wilber', tier: 'service_manager', service: 'Quality Assurance', team: 'QA Service', roles: ['qa_manager', 'manager'] },
    new Date(),
  );

describe('installing the app', () => {
  test('in a personal chat: stores the conversation, welcomes once with a valid card, audits it', async () => {
    await h.teams.install(people.megan);
    const posted = h.connector.posted(personalChat(people.megan).conversationId);
    expect(posted).toHaveLength(1);
    const card = cardOf(posted[0]);
    expectValidCard(card);
    expect(cardText(card)).toContain('Welcome to QA Loop');
    expect(cardText(card)).toContain('not on the QA rota yet');
    const saved = await h.app.deps.repos.conversations.findByConversationId(personalChat(people.megan).conversationId);
    expect(saved).toMatchObject({ scope: 'personal', installed: true, aadObjectId: people.megan.aadObjectId, tenantId: expect.any(String) });
    expect(saved?.reference).toMatchObject({ serviceUrl: h.connector.url, conversation: { id: personalChat(people.megan).conversationId } });
    const audit = await h.app.deps.repos.audit.list(new Date(0), new Date(Date.now() + 60_000), { offset: 0, limit: 10 });
    expect(audit.map((entry) => entry.action)).toEqual(['app.installed']);
  });

  test('a known manager is greeted by name and linked to their staff record by email look-up', async () => {
    const person = await addQaManager();
    await h.teams.install(people.alex);
    const card = cardOf(h.connector.posted()[0]);
    expect(cardText(card)).toContain('Hello Alex.');
    const linked = await h.app.deps.repos.staff.findById(person.id);
    expect(linked?.aadObjectId).toBe(people.alex.aadObjectId);
    const saved = await h.app.deps.repos.conversations.findPersonalForStaff(person.id);
    expect(saved?.conversationId).toBe(personalChat(people.alex).conversationId);
  });

  test('in a team: one message to the channel, none to members; reinstall after removal welcomes again', async () => {
    const channel = teamChannel('Children in Need North');
    await h.teams.install(people.alex, channel);
    const posted = h.connector.posted();
    expect(posted).toHaveLength(1);
    expect(h.connector.calls.filter((call) => call.kind === 'createConversation')).toHaveLength(0);
    expectValidCard(cardOf(posted[0]));
    expect(cardText(cardOf(posted[0]))).toContain('Children in Need North');
    await h.teams.uninstall(people.alex, channel);
    expect((await h.app.deps.repos.conversations.findByConversationId(channel.conversationId))?.installed).toBe(false);
    await h.teams.install(people.alex, channel);
    expect(h.connector.posted()).toHaveLength(2);
    expect((await h.app.deps.repos.conversations.findByConversationId(channel.conversationId))?.installed).toBe(true);
  });
});

test('in a group chat: the reference is stored and one message goes to the chat', async () => {
  const chat = { conversationId: '19:meeting-group-chat@thread.v2', conversationType: 'groupChat' as const };
  await h.teams.install(people.alex, chat);
  const posted = h.connector.posted(chat.conversationId);
  expect(posted).toHaveLength(1);
  expectValidCard(cardOf(posted[0]));
  expect(cardText(cardOf(posted[0]))).toContain('QA Loop has joined this chat');
  expect(await h.app.deps.repos.conversations.findByConversationId(chat.conversationId)).toMatchObject({ scope: 'groupChat', installed: true, staffId: null });
});

describe('help and commands', () => {
  test('help lists only what a member of staff may use', async () => {
    const replies = await h.teams.say(people.megan, 'help');
    expect(replies).toHaveLength(1);
    const card = cardOf(replies[0]);
    expectValidCard(card);
    const text = cardText(card);
    expect(text).toContain('whoami');
    expect(text).not.toContain('status');
  });

  test('help lists status for the QA manager, and status answers with figures', async () => {
    await addQaManager();
    expect(cardText(cardOf((await h.teams.say(people.alex, '  HELP '))[0]))).toContain('status');
    const status = cardOf((await h.teams.say(people.alex, 'status'))[0]);
    expectValidCard(status);
    expect(cardText(status)).toMatch(/SQLite, reachable/);
    expect(cardText(status)).toContain('People on file\n1');
  });

  test('status is refused, kindly, to someone without the role', async () => {
    const card = cardOf((await h.teams.say(people.megan, 'status'))[0]);
    expectValidCard(card);
    expect(cardText(card)).toContain('for the QA service');
  });

  test('whoami shows the staff record, or says the person is not on the rota', async () => {
    expect(cardText(cardOf((await h.teams.say(people.megan, 'whoami'))[0]))).toContain('not on the QA rota');
    await addQaManager();
    const card = cardOf((await h.teams.say(people.alex, 'whoami'))[0]);
    expectValidCard(card);
    expect(cardText(card)).toContain('QA manager, manager');
  });

  test('help works in a channel when the bot is mentioned', async () => {
    const replies = await h.teams.say(people.megan, 'help', teamChannel('Fostering'));
    expect(cardText(cardOf(replies[0]))).toContain('What QA Loop can do for you');
  });

  test('unknown text gets a short pointer to help and is never echoed back', async () => {
    const replies = await h.teams.say(people.megan, 'Jane Smith born 01/02/2015 is worrying me');
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toBe('Sorry, I did not recognise that. Type "help" to see what I can do.');
    expect(JSON.stringify(replies)).not.toContain('Jane');
  });
});
