import { CallerIdConstants } from 'botbuilder';
import { AuthenticationConstants, GovernmentConstants } from 'botframework-connector';
import { DEFAULT_DATABASE_URL, loadConfig, parseDatabaseUrl, redactDatabaseUrl } from '../../services/config';

const failure = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the settings to be refused');
};

describe('settings', () => {
  test('no settings at all: local mode, port 3978, SQLite under data/', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      localMode: true,
      port: 3978,
      microsoftAppType: 'MultiTenant',
      databaseUrl: DEFAULT_DATABASE_URL,
      database: { kind: 'sqlite', path: 'data/qa-loop.sqlite' },
      logLevel: 'info',
      host: '127.0.0.1',
    });
  });

  test('with an app id the bot listens on every interface unless HOST says otherwise', () => {
    const withApp = { MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppPassword: 's' };
    expect(loadConfig(withApp).host).toBe('0.0.0.0');
    expect(loadConfig({ ...withApp, HOST: '10.1.2.3' }).host).toBe('10.1.2.3');
    expect(() => loadConfig({ HOST: 'my host' })).toThrow(/Setting HOST/);
  });

  test('an app id turns local mode off and needs a password', () => {
    expect(failure({ MicrosoftAppId: '11111111-2222-3333-4444-555555555555' })).toMatch(/MicrosoftAppPassword is required/);
    const config = loadConfig({ MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppPassword: 's' });
    expect(config.localMode).toBe(false);
  });

  test.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ MicrosoftAppId: 'my-bot' }, 'MicrosoftAppId'],
    [{ MicrosoftAppType: 'Single' }, 'MicrosoftAppType'],
    [{ MicrosoftAppType: 'SingleTenant', MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppPassword: 's' }, 'MicrosoftAppTenantId'],
    [{ DATABASE_URL: 'postgres://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'sqlite:' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'mssql://sa:pw@db.example.org:1433/' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'mssql://sa:pw@db.example.org/qa?encrypt=maybe' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  ])('%o is refused with a message naming %s', (env, setting) => {
    const message = failure(env as Record<string, string>);
    expect(message).toContain(`Setting ${setting}`);
  });

  test('an mssql URL is read into its parts; the password never reaches a log line', () => {
    const url = 'mssql://qa_app:p%40ss%3Aword@sql.trust.example:14330/qaloop?encrypt=true&trustServerCertificate=true';
    expect(parseDatabaseUrl(url)).toEqual({
      kind: 'mssql',
      server: 'sql.trust.example',
      port: 14330,
      database: 'qaloop',
      user: 'qa_app',
      password: 'p@ss:word',
      encrypt: true,
      trustServerCertificate: true,
    });
    expect(redactDatabaseUrl(url)).toBe('mssql://qa_app:***@sql.trust.example:14330/qaloop?encrypt=true&trustServerCertificate=true');
    expect(parseDatabaseUrl('mssql://u:p@h/db')).toMatchObject({ port: 1433, encrypt: true, trustServerCertificate: false });
  });

  test('Bot Framework authentication defaults are the SDK\'s own public-cloud values, so production is unchanged', () => {
    expect(loadConfig({}).botFrameworkAuth).toEqual({
      ChannelService: '',
      ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
      ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
      ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
      ToBotFromChannelOpenIdMetadataUrl: AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
      OAuthUrl: AuthenticationConstants.OAuthUrl,
      CallerId: CallerIdConstants.PublicAzureChannel,
    });
    expect(loadConfig({ ChannelService: GovernmentConstants.ChannelService }).botFrameworkAuth).toEqual({
      ChannelService: GovernmentConstants.ChannelService,
      ToChannelFromBotLoginUrl: GovernmentConstants.ToChannelFromBotLoginUrl,
      ToChannelFromBotOAuthScope: GovernmentConstants.ToChannelFromBotOAuthScope,
      ToBotFromChannelTokenIssuer: GovernmentConstants.ToBotFromChannelTokenIssuer,
      ToBotFromChannelOpenIdMetadataUrl: GovernmentConstants.ToBotFromChannelOpenIdMetadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: GovernmentConstants.ToBotFromEmulatorOpenIdMetadataUrl,
      OAuthUrl: GovernmentConstants.OAuthUrl,
      CallerId: CallerIdConstants.USGovChannel,
    });
  });

  test('one Bot Framework setting given replaces that one alone; the rest keep their defaults', () => {
    const config = loadConfig({ ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1:9/openid', ToBotFromChannelTokenIssuer: 'https://issuer.example.org' });
    expect(config.botFrameworkAuth).toMatchObject({
      ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1:9/openid',
      ToBotFromChannelTokenIssuer: 'https://issuer.example.org',
      ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
      CallerId: CallerIdConstants.PublicAzureChannel,
    });
  });

  test.each([
    [{ ToBotFromChannelOpenIdMetadataUrl: 'login.botframework.com/v1/.well-known/openidconfiguration' }, 'ToBotFromChannelOpenIdMetadataUrl'],
    [{ ToBotFromChannelOpenIdMetadataUrl: 'http://keys.example.org/openid' }, 'ToBotFromChannelOpenIdMetadataUrl'],
    [{ ToBotFromEmulatorOpenIdMetadataUrl: 'ftp://example.org/x' }, 'ToBotFromEmulatorOpenIdMetadataUrl'],
    [{ ToBotFromChannelTokenIssuer: 'botframework' }, 'ToBotFromChannelTokenIssuer'],
    [{ ToChannelFromBotLoginUrl: 'http://login.example.org/tenant' }, 'ToChannelFromBotLoginUrl'],
    [{ ToChannelFromBotOAuthScope: 'api.botframework.com' }, 'ToChannelFromBotOAuthScope'],
    [{ OAuthUrl: 'not a url' }, 'OAuthUrl'],
    [{ CallerId: 'azure' }, 'CallerId'],
    [{ ChannelService: 'https://botframework.example.org' }, 'ChannelService'],
  ])('a wrong Bot Framework setting %o stops start-up naming %s', (env, setting) => {
    expect(failure(env as Record<string, string>)).toContain(`Setting ${setting} must`);
  });

  test('ALLOWED_TENANT_IDS: GUIDs separated by commas, read in lower case; empty means any tenant', () => {
    expect(loadConfig({}).allowedTenantIds).toEqual([]);
    expect(loadConfig({ ALLOWED_TENANT_IDS: ' ' }).allowedTenantIds).toEqual([]);
    expect(loadConfig({ ALLOWED_TENANT_IDS: 'C0FFEE00-1234-4ABC-8DEF-0123456789AB, 7a1d2c3b-4e5f-4a6b-9c8d-0e1f2a3b4c5d,' }).allowedTenantIds).toEqual([
      'c0ffee00-1234-4abc-8def-0123456789ab',
      '7a1d2c3b-4e5f-4a6b-9c8d-0e1f2a3b4c5d',
    ]);
    expect(failure({ ALLOWED_TENANT_IDS: 'contoso.onmicrosoft.com' })).toContain('Setting ALLOWED_TENANT_IDS must be tenant ids (GUIDs)');
    expect(failure({ ALLOWED_TENANT_IDS: 'c0ffee00-1234-4abc-8def-0123456789ab;7a1d2c3b-4e5f-4a6b-9c8d-0e1f2a3b4c5d' })).toContain('Setting ALLOWED_TENANT_IDS');
  });
});
