import { QaError } from '../errors';

/**
 * Settings for the dashboard tab's Teams single sign-on, read with the rest at start-up
 * (services/config.ts). The tab asks Teams for a token (authentication.getAuthToken) and
 * the bot's server checks it: signed by a key from Entra's published keys, issued by
 * Entra for the person's tenant, meant for this app, not expired.
 *
 * - TAB_SSO_AUDIENCE: the audiences (aud) accepted, comma-separated. Default: the app's
 *   Application ID URI api://HOST/MicrosoftAppId (HOST from PUBLIC_BASE_URL) and the app
 *   id itself. Empty with no app id: sign-in is off (local mode uses a development identity).
 * - TAB_SSO_OPENID_METADATA_URL: where the signing keys are published (OpenID metadata,
 *   whose jwks_uri is read). Default Entra's common v2.0 metadata.
 * - TAB_SSO_AUTHORITY: the Entra host that issues tokens; accepted issuers are
 *   AUTHORITY/{tenant}/v2.0 and https://sts.windows.net/{tenant}/. Default
 *   https://login.microsoftonline.com.
 */
export interface TabSsoSettings {
  audiences: string[];
  openIdMetadataUrl: string;
  authority: string;
}

export const ENTRA_AUTHORITY = 'https://login.microsoftonline.com';
export const ENTRA_METADATA_URL = `${ENTRA_AUTHORITY}/common/v2.0/.well-known/openid-configuration`;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

const refuse = (setting: string, problem: string): QaError => new QaError('CONFIG_INVALID', `Setting ${setting} ${problem}.`, { detail: { setting } });

function trustedUrl(setting: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw refuse(setting, 'must be an https:// URL (http:// only for localhost or 127.0.0.1)');
  }
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname)))) throw refuse(setting, 'must be an https:// URL (http:// only for localhost or 127.0.0.1)');
  return value.replace(/\/+$/, '');
}

/** The app's Application ID URI: api://HOST/APP_ID, as the manifest's webApplicationInfo.resource says. */
export const applicationIdUri = (publicBaseUrl: string, appId: string): string => `api://${new URL(publicBaseUrl).host}/${appId}`;

export function readTabSsoSettings(env: NodeJS.ProcessEnv, options: { appId: string; publicBaseUrl: string | undefined }): TabSsoSettings {
  const audienceText = (env.TAB_SSO_AUDIENCE ?? '').trim();
  const audiences = audienceText !== '' ? [...new Set(audienceText.split(',').map((part) => part.trim()).filter((part) => part !== ''))] : [];
  if (audiences.some((audience) => /\s/.test(audience))) throw refuse('TAB_SSO_AUDIENCE', 'must be audiences separated by commas, e.g. api://qaloop.example.org/APP_ID');
  if (audiences.length === 0 && options.appId !== '') {
    if (options.publicBaseUrl !== undefined) audiences.push(applicationIdUri(options.publicBaseUrl, options.appId));
    audiences.push(options.appId);
  }
  const metadata = (env.TAB_SSO_OPENID_METADATA_URL ?? '').trim();
  const authority = (env.TAB_SSO_AUTHORITY ?? '').trim();
  return {
    audiences,
    openIdMetadataUrl: metadata === '' ? ENTRA_METADATA_URL : trustedUrl('TAB_SSO_OPENID_METADATA_URL', metadata),
    authority: authority === '' ? ENTRA_AUTHORITY : trustedUrl('TAB_SSO_AUTHORITY', authority),
  };
}
