import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type restify from 'restify';
import { dashboardFor } from '../services/dashboard/dashboard';
import { QaError } from '../services/errors';
import { identifyCaller } from '../services/identity';
import { effectiveRoles, type Role } from '../services/roles';
import type { StaffMember } from '../services/staff';
import { classifyError, loggableError } from './classify-error';
import type { BotDeps } from './deps';
import { TabTokenVerifier } from './tab-auth';

/**
 * The dashboard tab, from the bot's own server:
 *
 * - GET /tab: the page (personal tab, and the content of the team tab); GET /tab/config:
 *   the team tab's configuration page; GET /tab/assets/{tab.js,config.js,tab.css}: their
 *   script and style, bundled at build time (tab/build.ts) into dist/tab-assets.
 * - GET /api/tab/summary?month=YYYY-MM&service=&team=: the figures the caller may see, as
 *   JSON. The caller is whoever the Teams SSO token (Authorization: Bearer) names; in local
 *   mode with no token, a development identity (`as=EMAIL`, else the first QA manager).
 */
const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};
/** Teams hosts the tab in a frame from these origins (web, desktop, Outlook and Microsoft 365 app). */
const FRAME_ANCESTORS = "'self' https://teams.microsoft.com https://*.teams.microsoft.com https://teams.cloud.microsoft https://*.cloud.microsoft https://*.office.com https://*.microsoft365.com https://outlook.office.com https://outlook.office365.com";
const PAGE_POLICY = `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors ${FRAME_ANCESTORS}`;
const ASSETS: Record<string, string> = {
  'tab.js': 'text/javascript; charset=utf-8',
  'config.js': 'text/javascript; charset=utf-8',
  'tab.css': 'text/css; charset=utf-8',
};

/** The project root (where package.json is), whether running from source or from dist/. */
function projectRoot(from: string): string {
  let at = from;
  while (!existsSync(join(at, 'package.json')) && dirname(at) !== at) at = dirname(at);
  return at;
}

export const TAB_ASSETS_DIR = join(projectRoot(__dirname), 'dist', 'tab-assets');

function shell(title: string, script: string, localMode: boolean, body: string): string {
  return `<!DOCTYPE html>
<html lang="en-GB" data-theme="default" data-local="${localMode ? 'true' : 'false'}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><link rel="stylesheet" href="/tab/assets/tab.css"></head>
<body>${body}<script src="/tab/assets/${script}"></script></body>
</html>`;
}

type Identity = { staff: StaffMember; roles: Role[]; development: boolean };
class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly userMessage: string,
  ) {
    super(userMessage);
  }
}

export function registerTabRoutes(server: restify.Server, deps: BotDeps): void {
  const verifier = new TabTokenVerifier(deps.config.tabSso, deps.config.allowedTenantIds);
  const localMode = deps.config.localMode;

  const sendPage = (res: restify.Response, html: string): void => {
    res.sendRaw(200, html, { ...SECURITY_HEADERS, 'Cache-Control': 'no-cache', 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': PAGE_POLICY });
  };

  server.get('/tab', async (_req: restify.Request, res: restify.Response) => {
    sendPage(res, shell('QA dashboard', 'tab.js', localMode, '<main id="app" tabindex="-1"><h1>QA dashboard</h1><p role="status">Loading your figures…</p></main>'));
  });
  server.get('/tab/config', async (_req: restify.Request, res: restify.Response) => {
    sendPage(
      res,
      shell('QA dashboard: add to this team', 'config.js', localMode, '<main id="app"><h1>QA dashboard</h1><p>Adds the QA dashboard to this team as a tab. Each person who opens it sees the figures their role allows: their own activity, their service, or the whole trust.</p><p id="config-status" role="status"></p></main>'),
    );
  });

  server.get('/tab/assets/:file', async (req: restify.Request, res: restify.Response) => {
    const file = String(req.params.file ?? '');
    const type = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    const path = join(TAB_ASSETS_DIR, file);
    if (type === undefined || !existsSync(path)) {
      if (type !== undefined) deps.logger.warn({ asset: file }, 'dashboard tab asset missing: run npm run build');
      res.sendRaw(404, 'Not found', { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
      return;
    }
    res.sendRaw(200, readFileSync(path), { ...SECURITY_HEADERS, 'Cache-Control': 'no-cache', 'Content-Type': type });
  });

  const whoIsAsking = async (req: restify.Request, query: URLSearchParams): Promise<Identity> => {
    const header = req.headers.authorization ?? '';
    const now = deps.clock.now();
    if (header === '') {
      if (!localMode) throw new Refusal(401, 'UNAUTHENTICATED', 'Open the dashboard in Teams to sign in.');
      // Local mode only: nobody's token is checked anywhere, so a named development identity.
      const wanted = (query.get('as') ?? '').trim().toLowerCase();
      const everyone = await deps.repos.staff.listAll();
      const person =
        wanted !== ''
          ? everyone.find((candidate) => candidate.active && candidate.email.toLowerCase() === wanted)
          : everyone.filter((candidate) => candidate.active && candidate.roles.includes('qa_manager')).sort((a, b) => a.name.localeCompare(b.name))[0];
      if (person === undefined) throw new Refusal(403, 'FORBIDDEN', wanted === '' ? 'There is no QA manager on file to stand in as. Load a rota first (npm run qa -- demo load).' : 'Nobody with that email is on file.');
      return { staff: person, roles: effectiveRoles(person.roles), development: true };
    }
    const match = /^Bearer ([A-Za-z0-9._-]+)$/.exec(header);
    if (match === null) throw new Refusal(401, 'UNAUTHENTICATED', 'Sign-in failed: the request did not carry a Teams token.');
    const check = await verifier.check(match[1] ?? '');
    if (!check.ok) {
      deps.logger.warn({ refused: check.reason }, 'dashboard token refused');
      if (check.reason === 'keys-unavailable') throw new Refusal(503, 'UNAVAILABLE', 'Sign-in cannot be checked just now. Please try again shortly.');
      throw new Refusal(401, 'UNAUTHENTICATED', 'Sign-in failed. Close and reopen the tab; if it keeps happening, tell the QA service.');
    }
    const caller = await identifyCaller(deps.repos.staff, { aadObjectId: check.claims.oid, lookUpEmail: () => Promise.resolve(check.claims.email) }, now);
    if (caller.staff === undefined) throw new Refusal(403, 'FORBIDDEN', 'You are not on QA Loop\'s staff list. If you should be, ask the QA service.');
    return { staff: caller.staff, roles: caller.roles, development: false };
  };

  server.get('/api/tab/summary', async (req: restify.Request, res: restify.Response) => {
    const headers = { ...SECURITY_HEADERS, 'Cache-Control': 'no-store' };
    const query = new URLSearchParams(req.getQuery());
    try {
      const identity = await whoIsAsking(req, query);
      const summary = await dashboardFor(deps.services, identity.staff, identity.roles, {
        month: query.get('month') ?? undefined,
        service: query.get('service') ?? undefined,
        team: query.get('team') ?? undefined,
      });
      res.set(headers);
      res.send(200, { identity: { name: identity.staff.name, development: identity.development }, summary });
    } catch (error) {
      res.set(headers);
      if (error instanceof Refusal) {
        res.send(error.status, { code: error.code, message: error.userMessage });
        return;
      }
      const problem = error instanceof QaError ? error : classifyError(error);
      const status = { FORBIDDEN: 403, NOT_FOUND: 404, INVALID_INPUT: 400, DATABASE_UNAVAILABLE: 503 }[problem.code as string] ?? 500;
      if (status >= 500) deps.logger.error({ code: problem.code, err: loggableError(problem) }, 'dashboard summary failed');
      res.send(status, { code: problem.code, message: problem.userMessage });
    }
  });
}
