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

  test('Bot Framework authentication settings are passed through for the adapter', () => {
    const config = loadConfig({ ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1:9/openid' });
    expect(config.botFrameworkAuth).toEqual({ ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1:9/openid' });
  });
});
