/**
 * Builds the Teams app package: `npx tsx manifest/package.ts` (or `npm run package`).
 * The app id and bot id come from the MicrosoftAppId environment variable; without it
 * the package uses a fixed all-zero id and is only good for local development.
 * Writes dist/qa-loop-teams-app.zip, or exits 1 listing every schema error.
 */
import { join, relative } from 'node:path';
import { DEFAULT_PUBLIC_HOST, LOCAL_DEVELOPMENT_APP_ID, ManifestInvalidError, PACKAGE_FILE_NAME, packageApp, publicHostOf } from './manifest';

async function main(): Promise<number> {
  const fromEnv = (process.env.MicrosoftAppId ?? '').trim();
  const appId = fromEnv === '' ? LOCAL_DEVELOPMENT_APP_ID : fromEnv;
  if (fromEnv === '') {
    console.log(
      `Note: MicrosoftAppId is not set, so the package uses the local development id ${LOCAL_DEVELOPMENT_APP_ID}.\n` +
        '      It is for local development only (e.g. the Agents Playground); set MicrosoftAppId to build one for Teams.',
    );
  }
  const publicHost = publicHostOf(process.env.PUBLIC_BASE_URL);
  if (publicHost === undefined) {
    console.log(
      `Note: PUBLIC_BASE_URL is not an https:// address, so the dashboard tab points at ${DEFAULT_PUBLIC_HOST}.\n` +
        '      Set PUBLIC_BASE_URL to where Teams reaches this bot (e.g. https://qaloop.example.org) for a working tab.',
    );
  }
  const outFile = join(__dirname, '..', 'dist', PACKAGE_FILE_NAME);
  try {
    await packageApp({ appId, outFile, ...(publicHost === undefined ? {} : { publicHost }) });
  } catch (error) {
    if (error instanceof ManifestInvalidError) {
      console.error('The Teams app package was not written. Problems found:');
      for (const problem of error.errors) console.error(`  - ${problem}`);
      return 1;
    }
    throw error;
  }
  console.log(`Wrote ${relative(process.cwd(), outFile) || outFile} (app id ${appId})`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
