/**
 * Which tenant: with ALLOWED_TENANT_IDS set, activities from any other Microsoft 365
 * tenant are refused before any handler runs. Local mode (no token checks) keeps these
 * tests about the tenant alone; tests/http/auth.test.ts has the two checks together.
 */
import { REFUSED_TENANT_INVOKE_BODY } from '../../bot/tenant-gate';
import { expectValidCard } from '../support/card-check';
import { startHarness, type Harness } from '../support/harness';
import { storedRows } from '../support/stored-rows';
import { BOT, people, personalChat, teamChannel, type Place } from '../support/teams-client';

const OUR_TENANT = '7a1d2c3b-4e5f-4a6b-9c8d-0e1f2a3b4c5d';
const SISTER_TENANT = '2b3c4d5e-6f70-4812-9a3b-4c5d6e7f8091';
const OTHER_TENANT = 'c0ffee00-1234-4abc-8def-0123456789ab';

/** An activity as Teams sends it from `tenant`, in both places Teams names it. */
function from(h: Harness, tenant: { conversation?: string; channelData?: string }, place: Place, fields: Record<string, unknown>): Record<string, unknown> {
  const activity = h.teams.activity(people.alex, place, fields);
  const conversation = { ...(activity.conversation as Record<string, unknown>) };
  const channelData = { ...(activity.channelData as Record<string, unknown>) };
  delete conversation.tenantId;
  delete channelData.tenant;
  if (tenant.conversation !== undefined) conversation.tenantId = tenant.conversation;
  if (tenant.channelData !== undefined) channelData.tenant = { id: tenant.channelData };
  return { ...activity, conversation, channelData };
}
const both = (tenant: string) => ({ conversation: tenant, channelData: tenant });

const install: Record<string, unknown>[] = [
  { type: 'installationUpdate', action: 'add' },
  { type: 'conversationUpdate', membersAdded: [{ id: BOT.id }] },
];
const message = { type: 'message', text: 'help me with case 7654321', textFormat: 'plain' };
const press = { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', id: 'a1', verb: 'help.about', data: {} }, trigger: 'manual' } };

describe('ALLOWED_TENANT_IDS', () => {
  let h: Harness;
  beforeEach(async () => {
    // Upper case and spaces on purpose: tenant ids are compared as GUIDs, not as text.
    h = await startHarness({ env: { ALLOWED_TENANT_IDS: ` ${OUR_TENANT.toUpperCase()}, ${SISTER_TENANT} ` } });
  });
  afterEach(async () => {
    await h.close();
  });

  test('activities from a tenant on the list are handled as usual', async () => {
    const chat = personalChat(people.alex);
    for (const fields of install) expect((await h.teams.post(from(h, both(OUR_TENANT), chat, fields))).status).toBe(200);
    expect(await h.app.deps.repos.conversations.findByConversationId(chat.conversationId)).toMatchObject({ installed: true, tenantId: OUR_TENANT });
    expect((await h.teams.post(from(h, both(SISTER_TENANT), chat, message))).status).toBe(200);
    const pressed = await h.teams.post(from(h, both(SISTER_TENANT), chat, press));
    expect(pressed.status).toBe(200);
    expectValidCard((pressed.body as { value?: unknown }).value);
    expect(h.connector.posted(chat.conversationId)).toHaveLength(2); // the welcome and the answer
  });

  const outsiders: [string, { conversation?: string; channelData?: string }][] = [
    ['another tenant', both(OTHER_TENANT)],
    ['ours in conversation.tenantId but another in channelData.tenant.id', { conversation: OUR_TENANT, channelData: OTHER_TENANT }],
    ['another in conversation.tenantId but ours in channelData.tenant.id', { conversation: OTHER_TENANT, channelData: OUR_TENANT }],
    ['no tenant at all', {}],
  ];

  test.each(outsiders)('%s: refused before any handler: nothing stored, nothing sent, one log line without the text', async (_name, tenant) => {
    const before = await storedRows(h.database);
    for (const place of [personalChat(people.alex), teamChannel('Children in Need North')]) {
      for (const fields of [...install, message]) {
        const response = await h.teams.post(from(h, tenant, place, fields));
        expect(response.status).toBe(200);
        expect(response.body).toBeUndefined();
      }
      const pressed = await h.teams.post(from(h, tenant, place, press));
      expect(pressed).toEqual({ status: 200, body: REFUSED_TENANT_INVOKE_BODY });
    }
    expect(await storedRows(h.database)).toEqual(before);
    expect(h.connector.calls).toEqual([]);

    const refusals = h.logLines
      .map((line) => JSON.parse(line) as { msg: string; level: number; tenantId?: string | null; activityType?: string })
      .filter((entry) => entry.msg === 'activity refused: tenant not in ALLOWED_TENANT_IDS');
    expect(refusals.map((entry) => entry.activityType)).toEqual(['installationUpdate', 'conversationUpdate', 'message', 'invoke', 'installationUpdate', 'conversationUpdate', 'message', 'invoke']);
    for (const entry of refusals) {
      expect(entry).toMatchObject({ level: 40, tenantId: tenant.conversation === undefined && tenant.channelData === undefined ? null : OTHER_TENANT });
      const facts = Object.keys(entry).filter((key) => !['level', 'time', 'app', 'msg', 'pid', 'hostname'].includes(key));
      expect(facts.sort()).toEqual(['activityType', 'tenantId']);
    }
    expect(h.logLines.join('\n')).not.toContain('7654321');
  });
});

describe('the start-up warning', () => {
  const appSettings = { MicrosoftAppId: '5f1c0a4e-8a55-4b0c-9a3e-2f9d7c6b1a10', MicrosoftAppPassword: 'not-a-real-secret' };
  const warned = (h: Harness): boolean => h.logLines.some((line) => line.includes('ALLOWED_TENANT_IDS is not set'));

  test.each([
    ['an app id and no ALLOWED_TENANT_IDS: warns that every tenant is accepted', appSettings, true],
    ['an app id and ALLOWED_TENANT_IDS: no warning', { ...appSettings, ALLOWED_TENANT_IDS: OUR_TENANT }, false],
    ['local mode (no app id): no warning', {}, false],
  ])('%s', async (_name, env, expected) => {
    const h = await startHarness({ env });
    try {
      expect(warned(h)).toBe(expected);
      if (expected) expect(JSON.parse(h.logLines.find((line) => line.includes('ALLOWED_TENANT_IDS is not set')) ?? '{}')).toMatchObject({ level: 40, setting: 'ALLOWED_TENANT_IDS' });
    } finally {
      await h.close();
    }
  });
});
