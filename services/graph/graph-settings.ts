import { z } from 'zod';
import { QaError } from '../errors';

/**
 * Settings for reading the rota from Entra through Microsoft Graph and installing the
 * app for people the bot cannot reach. Graph is optional: with no credentials set,
 * QA Loop runs on the CSV rota alone, so readGraphSettings returns undefined.
 */

/** User properties that can name a person's team (department always names the service). */
export const TEAM_ATTRIBUTES = [
  'officeLocation',
  'companyName',
  'employeeType',
  'city',
  ...Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}` as const),
] as const;
export type TeamAttribute = (typeof TEAM_ATTRIBUTES)[number];

export interface GraphSettings {
  /** The trust's Entra tenant: a GUID or a domain such as trust.onmicrosoft.com. */
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Graph root including the version, no trailing slash, e.g. https://graph.microsoft.com/v1.0. */
  baseUrl: string;
  /** Where tokens come from, no trailing slash, e.g. https://login.microsoftonline.com. */
  authorityHost: string;
  /** The app's id in the tenant app catalogue; without it the app is not installed for anyone. */
  appCatalogId: string | undefined;
  /** The user property read as the team. */
  teamAttribute: TeamAttribute;
}

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com/v1.0';
export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

const text = z
  .string()
  .optional()
  .transform((value) => (value ?? '').trim());

/**
 * The client secret and bearer tokens travel to these URLs, so plain http is refused
 * except on the loopback interface (a local stand-in for tests and development).
 */
const serviceUrl = (fallback: string) =>
  text
    .transform((value) => (value === '' ? fallback : value).replace(/\/+$/, ''))
    .refine(
      (value) => {
        try {
          const url = new URL(value);
          return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
        } catch {
          return false;
        }
      },
      { message: 'must be an https:// URL (http:// only for localhost)' },
    )
    .refine((value) => !value.includes('?') && !value.includes('#'), { message: 'must not have a query or fragment' });

const graphEnvSchema = z
  .object({
    GRAPH_TENANT_ID: text.refine((value) => value === '' || GUID.test(value) || DOMAIN.test(value), {
      message: 'must be the tenant GUID or its domain, e.g. trust.onmicrosoft.com',
    }),
    GRAPH_CLIENT_ID: text.refine((value) => value === '' || GUID.test(value), {
      message: 'must be a GUID such as 00000000-0000-0000-0000-000000000000',
    }),
    GRAPH_CLIENT_SECRET: text,
    GRAPH_BASE_URL: serviceUrl(DEFAULT_GRAPH_BASE_URL),
    GRAPH_AUTHORITY_HOST: serviceUrl(DEFAULT_AUTHORITY_HOST),
    TEAMS_APP_CATALOG_ID: text.refine((value) => value === '' || GUID.test(value), {
      message: 'must be the GUID of the app in the tenant app catalogue (not the manifest id of a store app)',
    }),
    GRAPH_TEAM_ATTRIBUTE: text
      .transform((value) => (value === '' ? 'officeLocation' : value))
      .refine((value) => (TEAM_ATTRIBUTES as readonly string[]).includes(value), {
        message: `must be one of ${TEAM_ATTRIBUTES.slice(0, 4).join(', ')} or extensionAttribute1 to extensionAttribute15`,
      }),
  })
  .superRefine((env, ctx) => {
    // Half a set of credentials is a mistake, not a choice to run without Graph.
    const credentials = ['GRAPH_TENANT_ID', 'GRAPH_CLIENT_ID', 'GRAPH_CLIENT_SECRET'] as const;
    const given = credentials.filter((name) => env[name] !== '');
    if (given.length > 0 && given.length < credentials.length) {
      for (const name of credentials.filter((candidate) => env[candidate] === '')) {
        ctx.addIssue({ code: 'custom', path: [name], message: `is required when ${given.join(' and ')} ${given.length > 1 ? 'are' : 'is'} set` });
      }
    }
    if (given.length === 0 && env.TEAMS_APP_CATALOG_ID !== '') {
      ctx.addIssue({ code: 'custom', path: ['TEAMS_APP_CATALOG_ID'], message: 'needs GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET to install the app' });
    }
  });

/** Reads the Graph settings; undefined when no credentials are set. A wrong setting is a CONFIG_INVALID naming it. */
export function readGraphSettings(env: NodeJS.ProcessEnv = process.env): GraphSettings | undefined {
  const result = graphEnvSchema.safeParse(env);
  if (!result.success) {
    const settings = result.error.issues.map((issue) => String(issue.path[0] ?? 'settings'));
    const problems = result.error.issues.map((issue, i) => `${settings[i]} ${issue.message}`);
    throw new QaError('CONFIG_INVALID', `Setting ${problems.join('; setting ')}.`, { detail: { settings } });
  }
  const values = result.data;
  if (values.GRAPH_TENANT_ID === '') return undefined;
  return {
    tenantId: values.GRAPH_TENANT_ID,
    clientId: values.GRAPH_CLIENT_ID,
    clientSecret: values.GRAPH_CLIENT_SECRET,
    baseUrl: values.GRAPH_BASE_URL,
    authorityHost: values.GRAPH_AUTHORITY_HOST,
    appCatalogId: values.TEAMS_APP_CATALOG_ID === '' ? undefined : values.TEAMS_APP_CATALOG_ID.toLowerCase(),
    teamAttribute: values.GRAPH_TEAM_ATTRIBUTE as TeamAttribute,
  };
}
