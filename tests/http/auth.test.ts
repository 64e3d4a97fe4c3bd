/**
 * Who is calling: with MicrosoftAppId set, every request to /api/messages must carry a
 * Bot Framework channel token. Tokens here are signed by a local RSA key that a local
 * issuer stand-in publishes (OpenID metadata and JWKS), and the bot is pointed at it
 * through its ordinary settings, so the SDK's real checks run on tokens the test controls.
 */

// The bot's *outgoing* token (its own, for replies to the Bot Connector) comes from Entra ID
// through MSAL over the internet. The connector stand-in does not check it, so MSAL answers
// with a fixed token here; the incoming checks under test are untouched by this.
jest.mock('@azure/msal-node', () => ({
  ...jest.requireActual<Record<string, unknown>>('@azure/msal-node'),
  ConfidentialClientApplication: class {
    async acquireTokenByClientCredential(): Promise<{ accessToken: string; expiresOn: Date }> {
      return { accessToken: 'outgoing-token-from-msal-stand-in', expiresOn: new Date(Date.now() + 3_600_000) };
    }
  },
}));

import { BotFrameworkIssuerStandIn, newSigningKey, withChangedClaims, withTamperedSignature } from '../support/bot-framework-issuer';
import { expectValidCard } from '../support/card-check';
import { startHarness, type Harness } from '../support/harness';
import { storedRows } from '../support/stored-rows';
import { BOT, cardOf, people, personalChat } from '../support/teams-client';

const APP_ID = '5f1c0a4e-8a55-4b0c-9a3e-2f9d7c6b1a10';
const OTHER_APP_ID = '0b7d3c2e-1f4a-4e6b-8c9d-a1b2c3d4e5f6';
const OUR_TENANT = '7a1d2c3b-4e5f-4a6b-9c8d-0e1f2a3b4c5d';
const OTHER_TENANT = 'c0ffee00-1234-4abc-8def-0123456789ab';

const issuer = new BotFrameworkIssuerStandIn(['msteams']);
const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const seconds = (): number => Math.floor(Date.now() / 1000);

/** Everything Teams sends when someone installs the app, talks to it and presses a button. */
const everyKindOfActivity: Record<string, unknown>[] = [
  { type: 'installationUpdate', action: 'add' },
  { type: 'conversationUpdate', membersAdded: [{ id: BOT.id }] },
  { type: 'message', text: 'help', textFormat: 'plain' },
  { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', id: 'a1', verb: 'help.about', data: {} }, trigger: 'manual' } },
];

beforeAll(async () => {
  await issuer.start();
});
afterAll(async () => {
  await issuer.stop();
});

// The SDK writes a refused token's error to console.error itself (the bot's own log is
// the JSON line asserted below); kept out of the test output.
let sdkConsole: jest.SpyInstance;
beforeEach(() => {
  sdkConsole = jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  sdkConsole.mockRestore();
});

describe('with MicrosoftAppId set', () => {
  test('a valid channel token: the activity is handled, stored and answered, and the bot calls back with its own token', async () => {
    const h = await startHarness({ env: issuer.settings(APP_ID) });
    try {
      const token = bearer(issuer.token(issuer.claims(APP_ID, h.connector.url)));
      const chat = personalChat(people.alex);
      for (const fields of everyKindOfActivity.slice(0, 3)) {
        expect((await h.teams.post(h.teams.activity(people.alex, chat, fields), token)).status).toBe(200);
      }
      const pressed = await h.teams.post(h.teams.activity(people.alex, chat, everyKindOfActivity[3] ?? {}), token);
      expect(pressed.status).toBe(200);
      expectValidCard((pressed.body as { value?: unknown }).value);

      expect(await h.app.deps.repos.conversations.findByConversationId(chat.conversationId)).toMatchObject({ installed: true, serviceUrl: h.connector.url });
      const posted = h.connector.posted(chat.conversationId);
      expect(posted).toHaveLength(2); // the welcome, and the answer to "help"
      posted.forEach((activity) => expectValidCard(cardOf(activity)));
      expect(h.connector.calls.every((call) => call.authorization === 'Bearer outgoing-token-from-msal-stand-in')).toBe(true);
      // The signing key really came from the issuer's published metadata.
      expect(issuer.fetched).toEqual(expect.arrayContaining(['/v1/.well-known/openidconfiguration', '/v1/.well-known/keys']));
    } finally {
      await h.close();
    }
  });

  describe('a request without a valid token gets 401, and nothing is stored or sent', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ env: issuer.settings(APP_ID) });
    });
    afterAll(async () => {
      await h.close();
    });

    type Attempt = (connectorUrl: string) => { headers: Record<string, string>; channelId?: string };
    const valid = (connectorUrl: string): Record<string, unknown> => issuer.claims(APP_ID, connectorUrl);
    /** What is wrong, what the SDK's check says (logged as the reason), and the request. */
    const refusals: [string, RegExp, Attempt][] = [
      ['no Authorization header', /not authorized/, () => ({ headers: {} })],
      ['a scheme other than Bearer', /No valid identity/, () => ({ headers: { authorization: `Basic ${Buffer.from(`${APP_ID}:stand-in-secret`).toString('base64')}` } })],
      ['an expired token', /expired/, (url) => ({ headers: bearer(issuer.token({ ...valid(url), nbf: seconds() - 7200, exp: seconds() - 600 })) })],
      ['a token not valid yet', /not active/, (url) => ({ headers: bearer(issuer.token({ ...valid(url), nbf: seconds() + 600, exp: seconds() + 4200 })) })],
      ['a token for another bot (wrong audience)', /Invalid AppId/, (url) => ({ headers: bearer(issuer.token({ ...valid(url), aud: OTHER_APP_ID })) })],
      ['a token from another issuer', /No valid identity/, (url) => ({ headers: bearer(issuer.token({ ...valid(url), iss: 'https://api.botframework.com' })) })],
      ['an unsigned token (alg none)', /signature is required/, (url) => ({ headers: bearer(issuer.token(valid(url), { alg: 'none' })) })],
      ['a token with a tampered signature', /invalid signature/, (url) => ({ headers: bearer(withTamperedSignature(issuer.token(valid(url)))) })],
      ['a signed token whose audience was changed afterwards', /invalid signature/, (url) => ({ headers: bearer(withChangedClaims(issuer.token({ ...valid(url), aud: OTHER_APP_ID }), { aud: APP_ID })) })],
      ['a token signed by a key the bot does not trust, under the trusted key id', /invalid signature/, (url) => ({ headers: bearer(issuer.token(valid(url), { key: newSigningKey(), kid: issuer.trustedKey.kid })) })],
      ['a token signed by a key that is not published', /Signing Key could not be retrieved/, (url) => ({ headers: bearer(issuer.token(valid(url), { key: newSigningKey() })) })],
      ['an HS256 token keyed with the public key (algorithm confusion)', /invalid algorithm/, (url) => ({ headers: bearer(issuer.token(valid(url), { alg: 'HS256' })) })],
      ['a serviceUrl claim that is not the activity\'s serviceUrl', /ServiceUrl claim do not match/, (url) => ({ headers: bearer(issuer.token({ ...valid(url), serviceurl: 'https://smba.trafficmanager.net/emea/' })) })],
      ['no serviceUrl claim', /ServiceUrl claim do not match/, (url) => ({ headers: bearer(issuer.token({ ...valid(url), serviceurl: undefined })) })],
      ['a key not endorsed for the activity\'s channel', /Could not validate endorsement/, (url) => ({ headers: bearer(issuer.token(valid(url))), channelId: 'webchat' })],
    ];

    test.each(refusals)('%s', async (_name, reason, attempt) => {
      const before = await storedRows(h.database);
      const linesBefore = h.logLines.length;
      const { headers, channelId } = attempt(h.connector.url);
      for (const fields of everyKindOfActivity) {
        const activity = h.teams.activity(people.alex, personalChat(people.alex), { ...fields, ...(channelId === undefined ? {} : { channelId }) });
        const response = await h.teams.post(activity, headers);
        expect(response.status).toBe(401);
        expect(response.body).toEqual({ code: 'UNAUTHENTICATED', message: 'A valid Bot Framework token is required.' });
      }
      expect(await storedRows(h.database)).toEqual(before);
      expect(h.connector.calls).toEqual([]);
      const refusedLines = h.logLines.slice(linesBefore).filter((line) => line.includes('request refused: no valid Bot Framework token'));
      expect(refusedLines).toHaveLength(everyKindOfActivity.length);
      for (const line of refusedLines) {
        const entry = JSON.parse(line) as { level: number; reason?: string; activityType?: string };
        expect(entry).toMatchObject({ level: 40, reason: expect.stringMatching(reason), activityType: expect.any(String) });
      }
      const logged = h.logLines.slice(linesBefore).join('\n');
      const token = headers.authorization?.split(' ')[1];
      if (token !== undefined && token !== '') expect(logged).not.toContain(token);
      expect(logged).not.toContain('"help"');
    });

    test('the same activities with a valid token are accepted by this very bot (the refusals above are the token\'s doing)', async () => {
      const response = await h.teams.post(
        h.teams.activity(people.megan, personalChat(people.megan), { type: 'installationUpdate', action: 'add' }),
        bearer(issuer.token(valid(h.connector.url))),
      );
      expect(response.status).toBe(200);
      expect(await h.app.deps.repos.conversations.findByConversationId(personalChat(people.megan).conversationId)).toMatchObject({ installed: true });
    });
  });

  test('token first, then tenant: with ALLOWED_TENANT_IDS a valid token from another tenant stores nothing, and a bad token from ours is 401', async () => {
    const h = await startHarness({ env: { ...issuer.settings(APP_ID), ALLOWED_TENANT_IDS: OUR_TENANT } });
    try {
      const chat = personalChat(people.alex);
      const from = (tenant: string, fields: Record<string, unknown>) =>
        h.teams.activity(people.alex, chat, { ...fields, conversation: { id: chat.conversationId, conversationType: 'personal', tenantId: tenant }, channelData: { tenant: { id: tenant } } });
      const token = bearer(issuer.token(issuer.claims(APP_ID, h.connector.url)));
      const before = await storedRows(h.database);

      const foreign = await h.teams.post(from(OTHER_TENANT, { type: 'installationUpdate', action: 'add' }), token);
      expect(foreign.status).toBe(200);
      const badToken = await h.teams.post(from(OUR_TENANT, { type: 'installationUpdate', action: 'add' }), bearer(withTamperedSignature(issuer.token(issuer.claims(APP_ID, h.connector.url)))));
      expect(badToken.status).toBe(401);
      expect(await storedRows(h.database)).toEqual(before);
      expect(h.connector.calls).toEqual([]);

      const ours = await h.teams.post(from(OUR_TENANT, { type: 'installationUpdate', action: 'add' }), token);
      expect(ours.status).toBe(200);
      expect(await h.app.deps.repos.conversations.findByConversationId(chat.conversationId)).toMatchObject({ installed: true, tenantId: OUR_TENANT });
      expect(h.connector.posted(chat.conversationId)).toHaveLength(1);
    } finally {
      await h.close();
    }
  });
});
