import { commandCatalogue, TEAMS_MENU_LIMIT } from '../services/permissions';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32, inflateSync } from 'node:zlib';
import AdmZip from 'adm-zip';
import {
  buildManifest,
  DEFAULT_PUBLIC_HOST,
  LOCAL_DEVELOPMENT_APP_ID,
  ManifestInvalidError,
  MANIFEST_DIR,
  packageApp,
  publicHostOf,
  SCHEMA_URL,
  validateManifest,
} from '../manifest/manifest';
import { drawColorIcon, drawOutlineIcon } from '../manifest/make-icons';

// @microsoft/app-manifest requires strip-bom, which is ESM-only; Jest on Node 20 cannot
// require ESM (plain Node 20.19+ and tsx can). Nothing tested here reads manifest files
// through the library (the only strip-bom user), so an equivalent CommonJS stand-in is used.
jest.mock('strip-bom', () => ({
  __esModule: true,
  default: (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text),
}));

const APP_ID = '3f1c2b6a-8d4e-4a5b-9c7d-1e2f3a4b5c6d';

interface Command {
  title: string;
  description?: string;
}
interface CommandList {
  scopes: string[];
  commands: Command[];
}
interface Bot {
  botId: string;
  scopes: string[];
  supportsFiles: boolean;
  isNotificationOnly: boolean;
  commandLists: CommandList[];
}

function botOf(manifest: Record<string, unknown>): Bot {
  const bots = manifest.bots as Bot[];
  expect(bots).toHaveLength(1);
  return bots[0] as Bot;
}

interface DecodedPng {
  width: number;
  height: number;
  rgba: Buffer;
}

/**
 * Decodes the PNGs make-icons.ts writes: 8-bit RGBA, no interlace, filter 0 on every row.
 * Anything else (or a bad chunk CRC) fails loudly rather than decoding wrongly.
 */
function decodePng(png: Buffer): DecodedPng {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let header: Buffer | undefined;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    expect(png.readUInt32BE(offset + 8 + length)).toBe(crc32(png.subarray(offset + 4, offset + 8 + length)));
    if (type === 'IHDR') header = data;
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
    if (type === 'IEND') break;
  }
  if (!header) throw new Error('PNG has no IHDR chunk');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  // bit depth 8, colour type 6 (RGBA), deflate, filter method 0, no interlace
  expect([...header.subarray(8, 13)]).toEqual([8, 6, 0, 0, 0]);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  expect(raw.length).toBe((stride + 1) * height);
  const rgba = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (stride + 1)]).toBe(0); // filter type None
    raw.copy(rgba, y * stride, y * (stride + 1) + 1, (y + 1) * (stride + 1));
  }
  return { width, height, rgba };
}

function pixels(image: DecodedPng): Array<[number, number, number, number]> {
  const out: Array<[number, number, number, number]> = [];
  for (let i = 0; i < image.rgba.length; i += 4) {
    out.push([image.rgba[i] ?? -1, image.rgba[i + 1] ?? -1, image.rgba[i + 2] ?? -1, image.rgba[i + 3] ?? -1]);
  }
  return out;
}

describe('Teams app manifest', () => {
  it('declares the newest numbered Teams schema bundled in @microsoft/app-manifest', () => {
    const schemasDir = join(dirname(require.resolve('@microsoft/app-manifest/package.json')), 'build', 'json-schemas', 'teams');
    const newest = readdirSync(schemasDir)
      .filter((name) => /^v1\.\d+$/.test(name))
      .map((name) => Number(name.slice('v1.'.length)))
      .sort((a, b) => b - a)[0];
    const manifest = buildManifest(APP_ID);
    expect(manifest.manifestVersion).toBe(`1.${newest}`);
    expect(manifest.$schema).toBe(`https://developer.microsoft.com/json-schemas/teams/v1.${newest}/MicrosoftTeams.schema.json`);
    expect(manifest.$schema).toBe(SCHEMA_URL);
  });

  it('builds a manifest that passes schema validation offline with no errors', async () => {
    await expect(validateManifest(buildManifest(APP_ID))).resolves.toEqual([]);
    await expect(validateManifest(buildManifest(LOCAL_DEVELOPMENT_APP_ID))).resolves.toEqual([]);
  });

  it('puts the app id into both the app id and the bot id, leaving no placeholder', () => {
    const manifest = buildManifest(APP_ID);
    expect(manifest.id).toBe(APP_ID);
    expect(botOf(manifest).botId).toBe(APP_ID);
    expect(JSON.stringify(manifest)).not.toContain('{{');
  });

  it('names and describes the app as agreed', () => {
    const manifest = buildManifest(APP_ID);
    expect(manifest.name).toMatchObject({ short: 'QA Loop' });
    const description = manifest.description as { short: string; full: string };
    expect(description.short).toBe('Practice reviews, observations and QA reminders');
    for (const phrase of ['tier managers', '10-month cycle', 'thematic review', 'Adaptive Cards', 'family feedback', 'moderation', 'seven-minute briefings']) {
      expect(description.full).toContain(phrase);
    }
    expect(manifest.accentColor).toBe('#2E5E8C');
    expect(manifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
    expect(manifest.developer).toMatchObject({ name: 'QA Loop' });
    for (const url of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl'] as const) {
      expect((manifest.developer as Record<string, string>)[url]).toMatch(/^https:\/\/qaloop\.example\.org\//);
    }
  });

  it('offers the bot in personal, team and group chat scopes with the agreed command lists', () => {
    const bot = botOf(buildManifest(APP_ID));
    expect([...bot.scopes].sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot.supportsFiles).toBe(false);
    expect(bot.isNotificationOnly).toBe(false);

    const listFor = (scope: string): Command[] => {
      const lists = bot.commandLists.filter((list) => list.scopes.includes(scope));
      expect(lists).toHaveLength(1);
      return lists[0]?.commands ?? [];
    };
    // The personal command menu is every command the bot knows (but those kept out of Teams' ten), in the order help lists them.
    expect(listFor('personal').map((command) => command.title)).toEqual(commandCatalogue.filter((command) => command.notInMenu !== true).map((command) => command.name));
    expect(listFor('personal').length).toBeLessThanOrEqual(TEAMS_MENU_LIMIT);
    expect(listFor('personal')[0]).toEqual({ title: 'help', description: 'See what QA Loop can do for you' });
    expect(listFor('team')).toEqual([{ title: 'help', description: 'See what QA Loop can do for you' }]);
    expect(listFor('groupChat')).toEqual([{ title: 'help', description: 'See what QA Loop can do for you' }]);
  });

  it('reports errors for a broken manifest', async () => {
    const withoutName = buildManifest(APP_ID);
    delete withoutName.name;
    const missingName = await validateManifest(withoutName);
    expect(missingName.some((e) => e.includes("must have required property 'name'"))).toBe(true);

    const badId = await validateManifest(buildManifest('not-a-guid'));
    expect(badId.some((e) => e.startsWith('/id '))).toBe(true);
    expect(badId.some((e) => e.startsWith('/bots/0/botId '))).toBe(true);

    const badScope = buildManifest(APP_ID);
    botOf(badScope).scopes.push('meeting');
    expect((await validateManifest(badScope)).some((e) => e.startsWith('/bots/0/scopes/3 '))).toBe(true);

    const placeholderLeft = { ...buildManifest(APP_ID), version: '{{AppVersion}}' };
    expect(await validateManifest(placeholderLeft)).toContain('placeholder {{AppVersion}} was not substituted');

    const unbundledSchema = { ...buildManifest(APP_ID), $schema: 'https://example.org/schema.json' };
    expect(await validateManifest(unbundledSchema)).toEqual([expect.stringMatching(/^\$schema must name a Teams schema bundled/)]);
  });
});

describe('Teams app manifest: the dashboard tab', () => {
  it('has the dashboard as a personal tab beside the chat, a team tab with a configuration page, and Teams sign-in for it', async () => {
    const manifest = buildManifest(APP_ID, MANIFEST_DIR, 'qaloop.trust.example');
    await expect(validateManifest(manifest)).resolves.toEqual([]);
    expect(manifest.staticTabs).toEqual([
      { entityId: 'qa-dashboard', name: 'Dashboard', contentUrl: 'https://qaloop.trust.example/tab', websiteUrl: 'https://qaloop.trust.example/tab', scopes: ['personal'] },
      { entityId: 'conversations', scopes: ['personal'] },
    ]);
    expect(manifest.configurableTabs).toEqual([{ configurationUrl: 'https://qaloop.trust.example/tab/config', canUpdateConfiguration: false, scopes: ['team'], context: ['channelTab'] }]);
    expect(manifest.webApplicationInfo).toEqual({ id: APP_ID, resource: `api://qaloop.trust.example/${APP_ID}` });
    expect(manifest.validDomains).toEqual(['qaloop.trust.example']);
    // The default host (no https PUBLIC_BASE_URL) still makes a valid manifest.
    expect(buildManifest(APP_ID).validDomains).toEqual([DEFAULT_PUBLIC_HOST]);
    expect(publicHostOf('https://qaloop.trust.example')).toBe('qaloop.trust.example');
    expect(publicHostOf('http://localhost:3978')).toBeUndefined();
    expect(publicHostOf('https://qaloop.trust.example/sub')).toBeUndefined();
  });
});

describe('Teams app icons', () => {
  const color = decodePng(readFileSync(join(MANIFEST_DIR, 'color.png')));
  const outline = decodePng(readFileSync(join(MANIFEST_DIR, 'outline.png')));

  it('has a 192×192 colour icon in the accent blue with a white mark', () => {
    expect([color.width, color.height]).toEqual([192, 192]);
    const all = pixels(color);
    const centreLeft = all[96 * 192 + 40]; // inside the square, left of the mark
    expect(centreLeft).toEqual([0x2e, 0x5e, 0x8c, 255]);
    expect(all.some(([r, g, b, a]) => r === 255 && g === 255 && b === 255 && a === 255)).toBe(true);
  });

  it('has a 32×32 outline icon of only pure white and fully transparent pixels', () => {
    expect([outline.width, outline.height]).toEqual([32, 32]);
    const all = pixels(outline);
    const white = all.filter(([r, g, b, a]) => r === 255 && g === 255 && b === 255 && a === 255);
    const transparent = all.filter(([, , , a]) => a === 0);
    expect(white.length + transparent.length).toBe(32 * 32);
    expect(white.length).toBeGreaterThan(100); // there is a mark to see
    expect(transparent.length).toBeGreaterThan(white.length); // on a transparent background
    expect(all[0]).toEqual([0, 0, 0, 0]); // the corner is background
  });

  it('matches what make-icons.ts draws now (the committed PNGs are not stale)', () => {
    expect(decodePng(drawColorIcon()).rgba.equals(color.rgba)).toBe(true);
    expect(decodePng(drawOutlineIcon()).rgba.equals(outline.rgba)).toBe(true);
  });
});

describe('Teams app package', () => {
  let tempDir: string;
  beforeEach(() => {
    tempDir = mkdtempSync(join(tmpdir(), 'qa-loop-manifest-'));
  });
  afterEach(() => {
    rmSync(tempDir, { recursive: true, force: true });
  });

  it('writes a zip with manifest.json, color.png and outline.png at its root', async () => {
    const outFile = join(tempDir, 'nested', 'qa-loop-teams-app.zip');
    const result = await packageApp({ appId: APP_ID, outFile });
    expect(result.outFile).toBe(outFile);

    const zip = new AdmZip(outFile);
    expect(zip.getEntries().map((entry) => entry.entryName).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(zip.readAsText('manifest.json')) as Record<string, unknown>;
    expect(manifest).toEqual(buildManifest(APP_ID));
    expect(manifest.id).toBe(APP_ID);
    await expect(validateManifest(manifest)).resolves.toEqual([]);
    for (const name of ['color.png', 'outline.png']) {
      expect(zip.getEntry(name)?.getData().equals(readFileSync(join(MANIFEST_DIR, name)))).toBe(true);
    }
  });

  it('refuses to write a package for an invalid app id', async () => {
    const outFile = join(tempDir, 'qa-loop-teams-app.zip');
    const attempt = packageApp({ appId: 'not-a-guid', outFile });
    await expect(attempt).rejects.toBeInstanceOf(ManifestInvalidError);
    await expect(attempt).rejects.toMatchObject({ errors: expect.arrayContaining([expect.stringMatching(/^\/id /)]) });
    expect(readdirSync(tempDir)).toEqual([]);
  });
});
