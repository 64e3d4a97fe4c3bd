import { loadConfig } from '../../services/config';
import { ENTRA_AUTHORITY, ENTRA_METADATA_URL } from '../../services/dashboard/tab-settings';

const APP_ID = '5b0f8d7e-2c4a-4e61-9a3b-7d2e1f0c6a55';
const withApp = { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'secret' };

describe('dashboard tab sign-in settings', () => {
  test('with an app id: the Application ID URI on PUBLIC_BASE_URL and the app id are the audiences; Entra is the issuer', () => {
    expect(loadConfig({ ...withApp, PUBLIC_BASE_URL: 'https://qaloop.trust.example' }).tabSso).toEqual({
      audiences: [`api://qaloop.trust.example/${APP_ID}`, APP_ID],
      openIdMetadataUrl: ENTRA_METADATA_URL,
      authority: ENTRA_AUTHORITY,
    });
    expect(loadConfig(withApp).tabSso.audiences).toEqual([APP_ID]);
  });

  test('local mode signs nobody in unless TAB_SSO_AUDIENCE is set; every setting can be given', () => {
    expect(loadConfig({}).tabSso.audiences).toEqual([]);
    expect(
      loadConfig({ TAB_SSO_AUDIENCE: 'api://a.example/x, api://b.example/y', TAB_SSO_OPENID_METADATA_URL: 'http://127.0.0.1:9/meta', TAB_SSO_AUTHORITY: 'http://localhost:9/' }).tabSso,
    ).toEqual({ audiences: ['api://a.example/x', 'api://b.example/y'], openIdMetadataUrl: 'http://127.0.0.1:9/meta', authority: 'http://localhost:9' });
  });

  test('keys and issuers only from https (http only on this machine)', () => {
    expect(() => loadConfig({ TAB_SSO_OPENID_METADATA_URL: 'http://keys.example.org/meta' })).toThrow(/TAB_SSO_OPENID_METADATA_URL must be an https:\/\/ URL/);
    expect(() => loadConfig({ TAB_SSO_AUTHORITY: 'not a url' })).toThrow(/TAB_SSO_AUTHORITY/);
  });
});
