/**
 * Bundles the dashboard tab's scripts (and copies its style sheet) into dist/tab-assets,
 * where bot/tab-routes.ts serves them: `npm run build` runs it after tsc. esbuild makes one
 * minified file per page, @microsoft/teams-js included, so the page needs nothing else.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

function projectRoot(from: string): string {
  let at = from;
  while (!existsSync(join(at, 'package.json')) && dirname(at) !== at) at = dirname(at);
  return at;
}

export async function buildTab(outDir: string = join(projectRoot(__dirname), 'dist', 'tab-assets')): Promise<string> {
  const root = projectRoot(__dirname);
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: { tab: join(root, 'tab', 'dashboard.ts'), config: join(root, 'tab', 'config.ts') },
    outdir: outDir,
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020'],
    platform: 'browser',
    legalComments: 'none',
    logLevel: 'warning',
  });
  copyFileSync(join(root, 'tab', 'tab.css'), join(outDir, 'tab.css'));
  return outDir;
}

if (require.main === module) {
  buildTab().then(
    (outDir) => console.log(`Built the dashboard tab into ${outDir}`),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
