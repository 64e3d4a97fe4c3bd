import { startHarness, type Harness } from '../support/harness';
import { cardOf, people } from '../support/teams-client';

describe('the HTTP edge', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  test('GET /healthz says the database is reachable', async () => {
    const response = await fetch(`${h.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: { engine: 'sqlite', reachable: true } });
  });

  test.each([
    ['broken JSON', '{"type": "message",'],
    ['a JSON array', '[1,2,3]'],
    ['no activity type', JSON.stringify({ text: 'help', conversation: { id: 'c' }, from: { id: 'u' } })],
    ['a type that is not text', JSON.stringify({ type: 5, conversation: { id: 'c' }, from: { id: 'u' } })],
    ['no conversation', JSON.stringify({ type: 'message', text: 'help', from: { id: 'u' } })],
  ])('%s gets 400 and the process stays up', async (_name, body) => {
    const response = await h.teams.post(body);
    expect(response.status).toBe(400);
    expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);
    const replies = await h.teams.say(people.alex, 'help');
    expect(cardOf(replies[0])).toBeDefined();
  });

  test('one JSON log line per request, with no card contents or typed text', async () => {
    await h.teams.install(people.alex);
    await h.teams.say(people.alex, 'case 1234567 is worrying');
    await h.teams.press(people.alex, 'help.about');
    await fetch(`${h.baseUrl}/healthz`);
    const requests = h.logLines.map((line) => JSON.parse(line) as { msg: string; request?: { path: string; status: number } }).filter((entry) => entry.msg === 'request');
    expect(requests.map((entry) => `${entry.request?.path} ${entry.request?.status}`)).toEqual([
      '/api/messages 200',
      '/api/messages 200',
      '/api/messages 200',
      '/api/messages 200',
      '/healthz 200',
    ]);
    const everything = h.logLines.join('\n');
    expect(everything).not.toContain('1234567');
    expect(everything).not.toContain('Welcome to QA Loop');
    expect(everything).not.toContain('The QA cycle');
  });

  test('database unreachable: /healthz answers 503 and a user is told to try again shortly', async () => {
    await h.database.db.destroy();
    const health = await fetch(`${h.baseUrl}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'unavailable', database: { engine: 'sqlite', reachable: false } });
    const replies = await h.teams.say(people.alex, 'whoami');
    expect(replies.map((reply) => reply.text)).toEqual(['QA Loop cannot reach its records just now. Please try again shortly.']);
    const pressed = await h.teams.press(people.alex, 'help.about');
    expect(pressed.status).toBe(200);
    expect(JSON.stringify(pressed.body)).toContain('try again shortly');
    const turnErrors = h.logLines.filter((line) => line.includes('"turn failed"'));
    expect(turnErrors.length).toBe(1);
    expect(turnErrors[0]).toContain('"code":"DATABASE_UNAVAILABLE"');
  });
});

describe('with an app id configured', () => {
  test('a request without a Bot Framework token is refused with 401 and nothing is processed', async () => {
    const h = await startHarness({
      env: { MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppPassword: 'not-a-real-secret' },
    });
    try {
      const response = await h.teams.post(h.teams.activity(people.alex, { conversationId: 'a:1', conversationType: 'personal' }, { type: 'message', text: 'help' }));
      expect(response.status).toBe(401);
      expect(h.connector.calls).toHaveLength(0);
    } finally {
      await h.close();
    }
  });
});
