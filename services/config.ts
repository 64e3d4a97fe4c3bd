import { hostname } from 'node:os';
import { z } from 'zod';
import { DEFAULT_CASE_REFERENCE_EXAMPLE, DEFAULT_CASE_REFERENCE_PATTERN, type CaseReferenceRule } from './case-reference';
import { QaError } from './errors';
import type { RetentionSettings } from './retention';
import { readGraphSettings, type GraphSettings } from './graph/graph-settings';
import { readReportLinkSettings, type ReportLinkSettings } from './reports/report-settings';
import { readTabSsoSettings, type TabSsoSettings } from './dashboard/tab-settings';

/**
 * Every setting QA Loop reads, validated once at start-up. Names follow the Bot
 * Framework's own (MicrosoftAppId, ...) so that the usual deployment templates work.
 * A missing or wrong setting stops the process with a message that names it.
 */
export type DatabaseSettings =
  | { kind: 'sqlite'; path: string }
  | {
      kind: 'mssql';
      server: string;
      port: number;
      database: string;
      user: string;
      password: string;
      encrypt: boolean;
      trustServerCertificate: boolean;
    };

export interface Config {
  microsoftAppId: string;
  microsoftAppPassword: string;
  microsoftAppType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  microsoftAppTenantId: string;
  /** True when no app id is set: the Bot Framework's local mode, no JWT checks. */
  localMode: boolean;
  port: number;
  /** The address to listen on: loopback in local mode (no token checks), every interface otherwise. */
  host: string;
  database: DatabaseSettings;
  databaseUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Where Bot Framework tokens come from and whom they are for: the public Azure cloud unless set. */
  botFrameworkAuth: BotFrameworkAuthSettings;
  /** Microsoft 365 tenants (lower-case GUIDs) whose activities are accepted; empty = any tenant. */
  allowedTenantIds: string[];
  /** Months (1–12) with no QA activity: August and December unless the trust decides otherwise. */
  pausedMonths: number[];
  /** A JSON file of bank holidays replacing the shipped England and Wales list, if set. */
  bankHolidaysFile: string | undefined;
  /** How long case detail and sent messages are kept (months; 0 = kept until deleted by hand). */
  retention: RetentionSettings;
  /** The format of case references (CASE_REFERENCE_PATTERN) and an example shown to people. */
  caseReference: CaseReferenceRule;
  /** Names this process in job runs and logs; two instances must differ. */
  instanceId: string;
  /** Microsoft Graph (rota sync from Entra, installing the app for people); off unless configured. */
  graph: GraphSettings | undefined;
  /** Signed links to full reports on the bot's server (REPORT_LINK_SECRET, PUBLIC_BASE_URL, REPORT_LINK_DAYS). */
  reportLinks: ReportLinkSettings;
  /** Teams single sign-on for the dashboard tab (TAB_SSO_AUDIENCE, TAB_SSO_OPENID_METADATA_URL, TAB_SSO_AUTHORITY). */
  tabSso: TabSsoSettings;
  /** Working days after a seven-minute briefing is sent before those who have not acknowledged it are reminded, once (BRIEFING_REMINDER_WORKING_DAYS; the card offers it as the default). */
  briefingReminderWorkingDays: number;
}

export const DEFAULT_DATABASE_URL = 'sqlite:data/qa-loop.sqlite';

/** A whole number of months, 0 to 1200, with a default. */
const monthsSetting = (fallback: number) =>
  optionalText
    .transform((value) => (value === '' ? String(fallback) : value))
    .refine((value) => /^\d{1,4}$/.test(value) && Number(value) <= 1200, { message: 'must be a whole number of months (0 to keep)' })
    .transform(Number);

function isUsablePattern(value: string): boolean {
  try {
    new RegExp(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Bot Framework authentication settings that ConfigurationBotFrameworkAuthentication
 * reads, under the SDK's own names. All are always given to the adapter: once any one of
 * them is set the SDK takes every one as meant, and an unset one would be left empty.
 */
export interface BotFrameworkAuthSettings {
  /** Empty for the public Azure cloud, or https://botframework.azure.us for US Government. */
  ChannelService: string;
  /** Where the bot gets its own token for calls to the Bot Connector. */
  ToChannelFromBotLoginUrl: string;
  ToChannelFromBotOAuthScope: string;
  /** The issuer (iss) incoming channel tokens must have. */
  ToBotFromChannelTokenIssuer: string;
  /** The OpenID metadata whose keys sign incoming channel tokens. */
  ToBotFromChannelOpenIdMetadataUrl: string;
  ToBotFromEmulatorOpenIdMetadataUrl: string;
  OAuthUrl: string;
  /** Set on each authenticated activity as its callerId. */
  CallerId: string;
}

export const US_GOVERNMENT_CHANNEL_SERVICE = 'https://botframework.azure.us';

/** The SDK's own values (AuthenticationConstants, GovernmentConstants, CallerIdConstants in botframework-connector 4.23). */
export const BOT_FRAMEWORK_CLOUDS: Record<'public' | 'usGovernment', Omit<BotFrameworkAuthSettings, 'ChannelService'>> = {
  public: {
    ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
    ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
    ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
    ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
    OAuthUrl: 'https://api.botframework.com',
    CallerId: 'urn:botframework:azure',
  },
  usGovernment: {
    ToChannelFromBotLoginUrl: 'https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us',
    ToChannelFromBotOAuthScope: 'https://api.botframework.us',
    ToBotFromChannelTokenIssuer: 'https://api.botframework.us',
    ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration',
    ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.us/cab8a31a-1906-4287-a0d8-4eef66b95f6e/v2.0/.well-known/openid-configuration',
    OAuthUrl: 'https://api.botframework.azure.us',
    CallerId: 'urn:botframework:azureusgov',
  },
};

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Tokens and signing keys come from these addresses: plain http only on this machine (a local stand-in). */
function isTrustworthyUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  } catch {
    return false;
  }
}

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value ?? '').trim());

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const guidOrEmpty = optionalText.refine(
  (value) => value === '' || GUID.test(value),
  'must be a GUID such as 00000000-0000-0000-0000-000000000000',
);

const authUrl = optionalText.refine((value) => value === '' || isTrustworthyUrl(value), {
  message: 'must be an https:// URL (http:// only for localhost or 127.0.0.1)',
});

const envSchema = z
  .object({
    MicrosoftAppId: guidOrEmpty,
    MicrosoftAppPassword: optionalText,
    MicrosoftAppType: z
      .enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], {
        error: 'must be MultiTenant, SingleTenant or UserAssignedMSI',
      })
      .optional()
      .transform((value) => value ?? 'MultiTenant'),
    MicrosoftAppTenantId: guidOrEmpty,
    PORT: optionalText
      .transform((value) => (value === '' ? '3978' : value))
      .refine((value) => /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 65535, {
        message: 'must be a whole number from 1 to 65535',
      })
      .transform(Number),
    HOST: optionalText.refine((value) => value === '' || /^[0-9a-fA-F:.]+$|^localhost$/.test(value), { message: 'must be an IP address such as 127.0.0.1 or 0.0.0.0' }),
    DATABASE_URL: optionalText.transform((value) => (value === '' ? DEFAULT_DATABASE_URL : value)),
    QA_PAUSED_MONTHS: optionalText
      .transform((value) => (value === '' ? '8,12' : value))
      .refine((value) => /^\s*(1[0-2]|[1-9])(\s*,\s*(1[0-2]|[1-9]))*\s*$/.test(value), {
        message: 'must be month numbers separated by commas, e.g. 8,12',
      })
      .transform((value) => [...new Set(value.split(',').map((part) => Number(part.trim())))].sort((a, b) => a - b))
      .refine((months) => months.length < 12, { message: 'cannot pause every month' }),
    BANK_HOLIDAYS_FILE: optionalText,
    CASE_REFERENCE_PATTERN: optionalText
      .transform((value) => (value === '' ? DEFAULT_CASE_REFERENCE_PATTERN : value))
      .refine(isUsablePattern, { message: 'must be a regular expression, e.g. ^[0-9]{6,10}$' }),
    CASE_REFERENCE_EXAMPLE: optionalText.transform((value) => (value === '' ? DEFAULT_CASE_REFERENCE_EXAMPLE : value)),
    RETENTION_CASE_DETAIL_MONTHS: monthsSetting(36),
    RETENTION_MESSAGES_MONTHS: monthsSetting(6),
    BRIEFING_REMINDER_WORKING_DAYS: optionalText
      .transform((value) => (value === '' ? '3' : value))
      .refine((value) => /^\d{1,2}$/.test(value) && Number(value) <= 20, { message: 'must be a whole number of working days from 0 (no reminder) to 20' })
      .transform(Number),
    INSTANCE_ID: optionalText,
    ChannelService: optionalText.refine((value) => value === '' || value === US_GOVERNMENT_CHANNEL_SERVICE, {
      message: `must be empty (public Azure) or ${US_GOVERNMENT_CHANNEL_SERVICE} (US Government)`,
    }),
    ToChannelFromBotLoginUrl: authUrl,
    ToChannelFromBotOAuthScope: authUrl,
    ToBotFromChannelTokenIssuer: authUrl,
    ToBotFromChannelOpenIdMetadataUrl: authUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: authUrl,
    OAuthUrl: authUrl,
    CallerId: optionalText.refine((value) => value === '' || /^urn:\S+$/.test(value), { message: 'must be a URN such as urn:botframework:azure' }),
    ALLOWED_TENANT_IDS: optionalText
      .transform((value) => [...new Set(value.split(',').map((part) => part.trim().toLowerCase()).filter((part) => part !== ''))])
      .refine((ids) => ids.every((id) => GUID.test(id)), {
        message: 'must be tenant ids (GUIDs) separated by commas, e.g. 00000000-0000-0000-0000-000000000000',
      }),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .optional()
      .transform((value) => value ?? 'info'),
  })
  .superRefine((env, ctx) => {
    if (env.MicrosoftAppId !== '' && env.MicrosoftAppType !== 'UserAssignedMSI' && env.MicrosoftAppPassword === '') {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppPassword'], message: 'is required when MicrosoftAppId is set' });
    }
    if (env.MicrosoftAppType !== 'MultiTenant' && env.MicrosoftAppTenantId === '') {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppTenantId'],
        message: `is required when MicrosoftAppType is ${env.MicrosoftAppType}`,
      });
    }
    if (env.MicrosoftAppId === '' && env.MicrosoftAppType !== 'MultiTenant') {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppId'], message: `is required when MicrosoftAppType is ${env.MicrosoftAppType}` });
    }
  });

/** Parses `sqlite:PATH`, `sqlite::memory:` or `mssql://user:password@host:port/database?encrypt=true`. */
export function parseDatabaseUrl(url: string): DatabaseSettings {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') throw configError('DATABASE_URL', 'sqlite: needs a file path, e.g. sqlite:data/qa-loop.sqlite');
    return { kind: 'sqlite', path };
  }
  if (url.startsWith('mssql://')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw configError('DATABASE_URL', 'is not a valid mssql:// URL');
    }
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
    if (parsed.hostname === '') throw configError('DATABASE_URL', 'mssql:// URL needs a host');
    if (database === '') throw configError('DATABASE_URL', 'mssql:// URL needs a database name after the host, e.g. /qaloop');
    if (parsed.username === '') throw configError('DATABASE_URL', 'mssql:// URL needs a user name');
    const flag = (name: string, fallback: boolean): boolean => {
      const value = parsed.searchParams.get(name);
      if (value === null) return fallback;
      if (value === 'true') return true;
      if (value === 'false') return false;
      throw configError('DATABASE_URL', `${name} must be true or false`);
    };
    const port = parsed.port === '' ? 1433 : Number(parsed.port);
    return {
      kind: 'mssql',
      server: parsed.hostname,
      port,
      database,
      user: decodeURIComponent(parsed.username),
      password: decodeURIComponent(parsed.password),
      encrypt: flag('encrypt', true),
      trustServerCertificate: flag('trustServerCertificate', false),
    };
  }
  throw configError('DATABASE_URL', 'must start with sqlite: or mssql://');
}

function configError(setting: string, problem: string): QaError {
  return new QaError('CONFIG_INVALID', `Setting ${setting} ${problem}.`, { detail: { setting } });
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${String(issue.path[0] ?? 'settings')} ${issue.message}`);
    throw new QaError('CONFIG_INVALID', `Setting ${problems.join('; setting ')}.`, {
      detail: { settings: result.error.issues.map((issue) => String(issue.path[0])) },
    });
  }
  const values = result.data;
  const cloud = BOT_FRAMEWORK_CLOUDS[values.ChannelService === US_GOVERNMENT_CHANNEL_SERVICE ? 'usGovernment' : 'public'];
  const orDefault = (name: keyof typeof cloud): string => (values[name] === '' ? cloud[name] : values[name]);
  const botFrameworkAuth: BotFrameworkAuthSettings = {
    ChannelService: values.ChannelService,
    ToChannelFromBotLoginUrl: orDefault('ToChannelFromBotLoginUrl'),
    ToChannelFromBotOAuthScope: orDefault('ToChannelFromBotOAuthScope'),
    ToBotFromChannelTokenIssuer: orDefault('ToBotFromChannelTokenIssuer'),
    ToBotFromChannelOpenIdMetadataUrl: orDefault('ToBotFromChannelOpenIdMetadataUrl'),
    ToBotFromEmulatorOpenIdMetadataUrl: orDefault('ToBotFromEmulatorOpenIdMetadataUrl'),
    OAuthUrl: orDefault('OAuthUrl'),
    CallerId: orDefault('CallerId'),
  };
  const reportLinks = readReportLinkSettings(env, { localMode: values.MicrosoftAppId === '', port: values.PORT });
  return {
    microsoftAppId: values.MicrosoftAppId,
    microsoftAppPassword: values.MicrosoftAppPassword,
    microsoftAppType: values.MicrosoftAppType,
    microsoftAppTenantId: values.MicrosoftAppTenantId,
    localMode: values.MicrosoftAppId === '',
    port: values.PORT,
    // Without an app id nobody's token is checked, so by default only this machine may call.
    host: values.HOST !== '' ? values.HOST : values.MicrosoftAppId === '' ? '127.0.0.1' : '0.0.0.0',
    database: parseDatabaseUrl(values.DATABASE_URL),
    databaseUrl: values.DATABASE_URL,
    logLevel: values.LOG_LEVEL,
    botFrameworkAuth,
    allowedTenantIds: values.ALLOWED_TENANT_IDS,
    pausedMonths: values.QA_PAUSED_MONTHS,
    bankHolidaysFile: values.BANK_HOLIDAYS_FILE === '' ? undefined : values.BANK_HOLIDAYS_FILE,
    caseReference: { pattern: new RegExp(values.CASE_REFERENCE_PATTERN), example: values.CASE_REFERENCE_EXAMPLE },
    retention: { caseDetailMonths: values.RETENTION_CASE_DETAIL_MONTHS, messagesMonths: values.RETENTION_MESSAGES_MONTHS },
    instanceId: values.INSTANCE_ID === '' ? `${hostname()}-${process.pid}` : values.INSTANCE_ID,
    graph: readGraphSettings(env),
    reportLinks,
    tabSso: readTabSsoSettings(env, { appId: values.MicrosoftAppId, publicBaseUrl: reportLinks.publicBaseUrl }),
    briefingReminderWorkingDays: values.BRIEFING_REMINDER_WORKING_DAYS,
  };
}

/** The database URL with any password hidden, for logs and status cards. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/^(mssql:\/\/[^:/@]*:)[^@]*@/, '$1***@');
}
