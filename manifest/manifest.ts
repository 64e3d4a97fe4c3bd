/**
 * The QA Loop Teams app package: the manifest built from manifest.template.json,
 * checked offline against the Teams schema bundled in @microsoft/app-manifest,
 * and zipped with the two icons. package.ts is the command-line front end.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import AdmZip from 'adm-zip';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';

/** The app id used when MicrosoftAppId is not set: good for local development only. */
export const LOCAL_DEVELOPMENT_APP_ID = '00000000-0000-0000-0000-000000000000';
export const APP_ID_PLACEHOLDER = '{{MicrosoftAppId}}';
/** The schema the template declares (the newest numbered one bundled in @microsoft/app-manifest 1.1.2). */
export const SCHEMA_URL = 'https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.schema.json';
export const PACKAGE_FILE_NAME = 'qa-loop-teams-app.zip';
/** Where the template and icons live (this directory). */
export const MANIFEST_DIR = __dirname;
export const ICONS = { 'color.png': 192, 'outline.png': 32 } as const;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type ManifestSchema = NonNullable<Parameters<typeof AppManifestUtils.validateAgainstSchema>[1]>;

export class ManifestInvalidError extends Error {
  constructor(readonly errors: string[]) {
    super(`The Teams app manifest is not valid:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
    this.name = 'ManifestInvalidError';
  }
}

export const PUBLIC_HOST_PLACEHOLDER = '{{PublicHost}}';
/** The host the dashboard tab is served from when PUBLIC_BASE_URL names no https address. */
export const DEFAULT_PUBLIC_HOST = 'qaloop.example.org';

function substitute(value: Json, values: Record<string, string>): Json {
  if (typeof value === 'string') return Object.entries(values).reduce((text, [placeholder, replacement]) => text.split(placeholder).join(replacement), value);
  if (Array.isArray(value)) return value.map((item) => substitute(item, values));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, values)]));
  }
  return value;
}

/** The host of an https PUBLIC_BASE_URL (where Teams loads the tab and its sign-in resource), else undefined. */
export function publicHostOf(publicBaseUrl: string | undefined): string | undefined {
  if (publicBaseUrl === undefined || publicBaseUrl.trim() === '') return undefined;
  try {
    const url = new URL(publicBaseUrl.trim());
    return url.protocol === 'https:' && url.pathname.replace(/\/+$/, '') === '' ? url.host : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The manifest with `{{MicrosoftAppId}}` replaced by `appId` (the app id, the bot id and the
 * tab's sign-in resource) and `{{PublicHost}}` by `publicHost` (the tab's pages, validDomains,
 * and the Application ID URI api://HOST/APP_ID). Substitution happens on the parsed JSON,
 * so an odd value can never break the JSON itself.
 */
export function buildManifest(appId: string, dir: string = MANIFEST_DIR, publicHost: string = DEFAULT_PUBLIC_HOST): Record<string, unknown> {
  const template = JSON.parse(readFileSync(join(dir, 'manifest.template.json'), 'utf8')) as Json;
  const manifest = substitute(template, { [APP_ID_PLACEHOLDER]: appId, [PUBLIC_HOST_PLACEHOLDER]: publicHost });
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
    throw new Error('manifest.template.json must hold a JSON object');
  }
  return manifest;
}

const TEAMS_SCHEMA_PREFIX = 'https://developer.microsoft.com/json-schemas/teams/';
const schemaCache = new Map<string, ManifestSchema>();

/**
 * The schema a `$schema` URL names, read from the copy shipped inside @microsoft/app-manifest
 * (build/json-schemas/teams/...): validation never touches the network. Undefined if not bundled.
 */
function bundledSchema(url: string): ManifestSchema | undefined {
  if (!url.startsWith(TEAMS_SCHEMA_PREFIX)) return undefined;
  const cached = schemaCache.get(url);
  if (cached) return cached;
  const packageRoot = dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const file = join(packageRoot, 'build', new URL(url).pathname);
  if (!existsSync(file)) return undefined;
  const schema = JSON.parse(readFileSync(file, 'utf8')) as ManifestSchema;
  schemaCache.set(url, schema);
  return schema;
}

/** Schema errors for `manifest`, one readable line each; an empty list means valid. */
export async function validateManifest(manifest: Record<string, unknown>): Promise<string[]> {
  const url = typeof manifest.$schema === 'string' ? manifest.$schema : '';
  const schema = bundledSchema(url);
  if (!schema) {
    return [`$schema must name a Teams schema bundled in @microsoft/app-manifest, such as ${SCHEMA_URL}`];
  }
  const errors = await AppManifestUtils.validateAgainstSchema(manifest as unknown as AppManifest, schema);
  const leftOver = JSON.stringify(manifest).match(/\{\{\w+\}\}/g) ?? [];
  return [...errors.map((e) => e.trim()), ...leftOver.map((p) => `placeholder ${p} was not substituted`)];
}

/** Width and height from a PNG's IHDR chunk, or undefined when the bytes are not a PNG. */
export function pngSize(png: Buffer): { width: number; height: number } | undefined {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (png.length < 24 || !png.subarray(0, 8).equals(signature) || png.toString('ascii', 12, 16) !== 'IHDR') {
    return undefined;
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export interface PackageResult {
  outFile: string;
  manifest: Record<string, unknown>;
}

/**
 * Builds, validates and zips the app package: manifest.json, color.png and outline.png
 * at the root of `outFile`. Throws ManifestInvalidError (nothing written) when invalid.
 */
export async function packageApp(options: { appId: string; outFile: string; dir?: string; publicHost?: string }): Promise<PackageResult> {
  const dir = options.dir ?? MANIFEST_DIR;
  const manifest = buildManifest(options.appId, dir, options.publicHost);
  const errors = await validateManifest(manifest);
  const icons = Object.entries(ICONS).map(([name, size]) => {
    const file = join(dir, name);
    if (!existsSync(file)) {
      errors.push(`${name} is missing: run npx tsx manifest/make-icons.ts`);
      return { name, png: Buffer.alloc(0) };
    }
    const png = readFileSync(file);
    const found = pngSize(png);
    if (!found || found.width !== size || found.height !== size) {
      errors.push(`${name} must be a ${size}×${size} PNG`);
    }
    return { name, png };
  });
  if (errors.length > 0) throw new ManifestInvalidError(errors);

  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'));
  for (const { name, png } of icons) zip.addFile(name, png);
  mkdirSync(dirname(options.outFile), { recursive: true });
  writeFileSync(options.outFile, zip.toBuffer());
  return { outFile: options.outFile, manifest };
}
