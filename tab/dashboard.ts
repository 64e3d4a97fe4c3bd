/**
 * The dashboard tab's page script (bundled by tab/build.ts into dist/tab-assets/tab.js).
 * It asks /api/tab/summary for what the person may see and draws it with plain DOM calls:
 * nothing from the server is ever parsed as HTML.
 */
import type { BreakdownRow, CountRow, DashboardSummary, ScopeFigures } from '../services/dashboard/dashboard';
import { applyTheme, connectHost, isLocalMode, type Host } from './host';

interface Answer {
  identity: { name: string; development: boolean };
  summary: DashboardSummary;
}

type Child = Node | string | undefined | false;

function h(tag: string, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) if (child !== undefined && child !== false) element.append(child);
  return element;
}

const root = (): HTMLElement => document.getElementById('app') as HTMLElement;
const params = new URLSearchParams(window.location.search);
const state: { service?: string; team?: string } = {};
let host: Host;

function query(): string {
  const out = new URLSearchParams();
  const month = params.get('month');
  if (month !== null) out.set('month', month);
  if (isLocalMode() && params.get('as') !== null) out.set('as', params.get('as') ?? '');
  if (state.service !== undefined) out.set('service', state.service);
  if (state.team !== undefined) out.set('team', state.team);
  const text = out.toString();
  return text === '' ? '' : `?${text}`;
}

function show(...children: Child[]): void {
  root().replaceChildren(...children.filter((child): child is Node | string => child !== undefined && child !== false));
}

function problem(title: string, message: string): void {
  show(h('h1', {}, 'QA dashboard'), h('div', { class: 'problem', role: 'alert' }, h('h2', {}, title), h('p', {}, message)));
}

async function load(focus: boolean): Promise<void> {
  const token = await host.token().catch(() => undefined);
  // Without a token only a local-mode server answers (with its development identity).
  if (token === undefined && !isLocalMode()) {
    problem('Not signed in', 'Open the QA dashboard in Teams: it signs you in with your work account.');
    return;
  }
  let response: Response;
  try {
    response = await fetch(`/api/tab/summary${query()}`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` }, cache: 'no-store' });
  } catch {
    problem('QA Loop cannot be reached', 'Check your connection and reopen the tab.');
    return;
  }
  const body = (await response.json().catch(() => ({}))) as Partial<Answer> & { message?: string };
  if (!response.ok || body.summary === undefined || body.identity === undefined) {
    problem(response.status === 401 ? 'Not signed in' : response.status === 403 ? 'Not available to you' : 'The figures could not be shown', body.message ?? 'Please try again shortly.');
    return;
  }
  render(body as Answer);
  if (focus) document.getElementById('title')?.focus();
}

function go(service: string | undefined, team: string | undefined): void {
  state.service = service;
  state.team = team;
  void load(true);
}

const number = (value: number): string => value.toLocaleString('en-GB');

function stat(label: string, value: number, note?: string, warn = false): HTMLElement {
  return h('div', { class: 'stat' }, h('dt', {}, label), h('dd', {}, h('span', { class: warn && value > 0 ? 'value warn' : 'value' }, number(value)), note !== undefined && h('span', { class: 'note' }, ` ${note}`)));
}

function bar(value: number, max: number): HTMLElement {
  const width = max === 0 ? 0 : Math.round((value * 100) / max);
  return h('span', { class: 'bar', 'aria-hidden': 'true', 'data-width': String(width) });
}

function table(caption: string, head: string[], rows: Child[][], id: string): HTMLElement {
  return h(
    'table',
    { id },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...head.map((cell, index) => h('th', { scope: 'col', class: index === 0 ? '' : 'num' }, cell)))),
    h('tbody', {}, ...rows.map((row) => h('tr', {}, ...row.map((cell, index) => (index === 0 ? h('th', { scope: 'row' }, cell) : h('td', { class: 'num' }, cell)))))),
  );
}

function gradeTable(figures: ScopeFigures): HTMLElement {
  const rows = figures.grades.reviews.map((row: CountRow, index: number) => {
    const observations = figures.grades.observations[index]?.count ?? 0;
    return [row.label, h('span', { class: 'with-bar' }, bar(row.count, figures.grades.reviewsTotal), number(row.count)), h('span', { class: 'with-bar' }, bar(observations, figures.grades.observationsTotal), number(observations))];
  });
  return table('Grade distribution this month: final practice reviews (moderated grade) and practice observations', ['Grade', 'Practice reviews', 'Observations'], rows, 'grades');
}

function breakdownTable(summary: DashboardSummary): HTMLElement | undefined {
  const breakdown = summary.breakdown;
  if (breakdown === undefined) return undefined;
  const caption = breakdown.level === 'service' ? 'The trust by service: choose a service to see its teams' : `${summary.scope?.label ?? ''} by team: choose a team to see its figures`;
  if (breakdown.rows.length === 0) return h('p', {}, 'No QA records in this month yet.');
  const rows = breakdown.rows.map((row: BreakdownRow) => [
    h('button', { type: 'button', class: 'drill', 'aria-label': `${row.name}: show its figures` }, row.name),
    number(row.completed),
    number(row.expected),
    number(row.overdue),
    number(row.openActions),
    number(row.reviews),
    number(row.feedback),
  ]);
  const element = table(caption, [breakdown.level === 'service' ? 'Service' : 'Team', 'Completed', 'Expected', 'Overdue', 'Open actions', 'Final reviews', 'Family feedback'], rows, 'breakdown');
  element.querySelectorAll('button.drill').forEach((button, index) => {
    const row = breakdown.rows[index];
    if (row !== undefined) button.addEventListener('click', () => go(row.service, row.team));
  });
  return element;
}

function trail(summary: DashboardSummary): HTMLElement | undefined {
  if (summary.trail.length < 2) return undefined;
  const last = summary.trail.length - 1;
  return h(
    'nav',
    { 'aria-label': 'Where you are' },
    h(
      'ol',
      { class: 'trail' },
      ...summary.trail.map((step, index) => {
        if (index === last) return h('li', {}, h('span', { 'aria-current': 'page' }, step.label));
        const button = h('button', { type: 'button', class: 'link' }, step.label);
        button.addEventListener('click', () => go(step.service, step.team));
        return h('li', {}, button);
      }),
    ),
  );
}

function render({ identity, summary }: Answer): void {
  const personal = summary.personal;
  const figures = summary.figures;
  const overdueActivity = personal.overdueActivity;
  const mine = h(
    'section',
    { 'aria-labelledby': 'mine' },
    h('h2', { id: 'mine' }, 'Your QA'),
    h(
      'dl',
      { class: 'stats' },
      h('div', { class: 'stat' }, h('dt', {}, `Your activity for ${summary.monthLabel}`), h('dd', {}, personal.activity === undefined ? 'None assigned' : `${personal.activity.label}: ${personal.activity.status}`)),
      stat('Overdue from earlier months', overdueActivity.length, undefined, true),
      stat('Your open actions', personal.openActions),
      stat('Your overdue actions', personal.overdueActions, undefined, true),
      personal.moderationWaiting !== undefined && stat('Waiting for your moderation', personal.moderationWaiting),
    ),
    overdueActivity.length > 0 && h('ul', {}, ...overdueActivity.map((item) => h('li', {}, item.label))),
  );
  const scopeSections: Child[] = [];
  if (figures !== undefined) {
    const activity = figures.activity;
    scopeSections.push(
      h(
        'section',
        { 'aria-labelledby': 'activity' },
        h('h2', { id: 'activity' }, `QA activity: ${summary.scope?.label ?? ''}`),
        h(
          'dl',
          { class: 'stats' },
          stat('Completed', activity.completed, `of ${number(activity.expected)} expected`),
          stat('Overdue', activity.overdue, undefined, true),
          stat('Not yet due', activity.notYetDue),
          stat('Excused', activity.excused),
          stat('Moderation queue', figures.moderationQueue),
          stat('Open actions', figures.actions.open),
          stat('Overdue actions', figures.actions.overdue, undefined, true),
          stat('Complaints overdue', figures.complaintsOverdue, undefined, true),
        ),
        table('QA activity by kind', ['Kind', 'Completed', 'Expected', 'Overdue'], activity.byKind.map((row) => [row.label, number(row.completed), number(row.expected), number(row.overdue)]), 'by-kind'),
      ),
      h('section', { 'aria-labelledby': 'grades-title' }, h('h2', { id: 'grades-title' }, 'Grades'), gradeTable(figures)),
      h(
        'section',
        { 'aria-labelledby': 'trend-title' },
        h('h2', { id: 'trend-title' }, 'Trend'),
        table(
          'Final practice reviews and observations, last twelve months',
          ['Month', 'Final reviews', 'Good or better', 'Observations'],
          figures.trend.map((point) => [point.label, number(point.reviews), number(point.reviewsGoodOrBetter), number(point.observations)]),
          'trend',
        ),
      ),
      h('section', { 'aria-labelledby': 'feedback-title' }, h('h2', { id: 'feedback-title' }, 'Family feedback'), table(`Family feedback received in ${summary.monthLabel}`, ['Kind', 'Count'], figures.feedback.map((row) => [row.label, number(row.count)]), 'feedback')),
    );
    const breakdown = breakdownTable(summary);
    if (breakdown !== undefined) scopeSections.push(h('section', { 'aria-labelledby': 'breakdown-title' }, h('h2', { id: 'breakdown-title' }, summary.breakdown?.level === 'service' ? 'By service' : 'By team'), breakdown));
  }
  show(
    identity.development && h('p', { class: 'banner', role: 'note' }, `Development identity: ${identity.name} — not signed in`),
    h('h1', { id: 'title', tabindex: '-1' }, `QA dashboard: ${summary.scope?.label ?? identity.name}`),
    h('p', { class: 'meta' }, `${summary.monthLabel}, figures as at ${summary.asAt}. Signed in as ${identity.name}.`),
    trail(summary),
    mine,
    ...scopeSections,
  );
  // Bar widths from numbers the page made itself (the style policy allows no inline styles from markup).
  root()
    .querySelectorAll<HTMLElement>('.bar')
    .forEach((element) => element.style.setProperty('--w', element.dataset.width ?? '0'));
}

async function start(): Promise<void> {
  host = await connectHost();
  applyTheme(host.theme);
  host.onThemeChange(applyTheme);
  if (params.get('service') !== null) state.service = params.get('service') ?? undefined;
  if (params.get('team') !== null) state.team = params.get('team') ?? undefined;
  await load(false);
}

void start();
