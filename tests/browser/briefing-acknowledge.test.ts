/**
 * A seven-minute briefing acknowledged in the Agents Playground, as a member of staff
 * would in Teams: their personal copy arrives in the chat, they press "I've read this",
 * and the copy changes in place to say when it was read.
 *
 * The Playground talks as Alex Wilber (alexw@example.com), on file after `qa demo load` as
 * the demo's QA manager and a team manager in Assessment Team 1, with Lynne Robbins as a
 * practitioner in the same team and Patti Fernandez, their Head of Service, holding the
 * approver role. Alex drafts the briefing and sends it for approval, Patti approves it, and
 * Alex sends it to Assessment Team 1, through the domain services of the bot that serves
 * the SQLite file (as the briefing cards would); the bot's real delivery worker then posts
 * Alex's copy into the Playground's personal chat (saved when the Playground connected).
 * `qa demo load` runs as the real `qa` command at a fixed time (QA_NOW), and the bot runs
 * with a fake clock at the same time; the test opens that file too, to see what was stored.
 */
import { randomUUID } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { briefingContext } from '../../bot/verbs/briefing-replies';
import type { DatabaseHandle } from '../../db/connect';
import { briefingKeys } from '../../services/briefings/briefing-messages';
import { decideBriefing, saveDraft, submitForApproval } from '../../services/briefings/briefing-drafts';
import { checkSchedule } from '../../services/briefings/briefing-schedule';
import { sendOrSchedule } from '../../services/briefings/briefing-send';
import type { StaffMember } from '../../services/staff';
import { openDemoPlayground, type DemoPlayground } from '../support/demo-playground';
import type { Harness } from '../support/harness';
import { describeWithBrowser, openChat, sendMessage, WAIT_MS, type Playground } from '../support/playground';

/** A Tuesday in January 2027. */
const NOW = '2027-01-12T10:00:00Z';
const READER_EMAIL = 'alexw@example.com';
const APPROVER_EMAIL = 'pattif@example.com';
const TEAMMATE_EMAIL = 'lynner@example.com';
const TEAM = 'Fictional Assessment and Intervention::Assessment Team 1';
const TITLE = 'Seven-minute briefing: Voice of the child';
const PARTS = {
  background: 'Managers dip-sampled cases this month to see how well plans show what children tell us.',
  whyItMatters: 'A plan that shows what the child said, and what changed because of it, keeps the child at the centre.',
  keyPoint1: 'Direct work with children is recorded well in most of the cases sampled.',
  keyPoint2: 'Plans rarely say what changed because of what the child said.',
  keyPoint3: 'Where the child\'s words were quoted, the plan was clearer for everyone.',
  remember: 'Write down what the child told you, and then say what you did about it.',
  whatToDo: 'For team discussion: how does each plan in your team show the child\'s words?',
};
const READ_BUTTON = "I've read this";
const THANKS = 'Thank you: your acknowledgement is recorded.';
/** When the fake clock says it is read, as the copy shows it (London time). */
const READ_ON = 'Tuesday 12 January';

describeWithBrowser('A seven-minute briefing acknowledged in the Agents Playground', () => {
  let demo: DemoPlayground | undefined;
  let h: Harness | undefined;
  let playground: Playground;
  /** The same SQLite file as the bot's, opened separately: what a later process would find. */
  let stored: DatabaseHandle | undefined;
  let page: Page;
  /** The personal copy the worker posted; pressing its button replaces it in place. */
  let card: Locator;
  let cardCount: number;
  const briefingId = randomUUID();

  beforeAll(async () => {
    demo = await openDemoPlayground('briefing-acknowledge', NOW, { width: 1280, height: 1400 });
    ({ h, stored, playground, page } = demo);
  }, 60_000);

  afterAll(async () => {
    await demo?.close();
  }, 20_000);

  const cardShows = (text: string): Promise<void> => card.getByText(text, { exact: false }).first().waitFor({ timeout: WAIT_MS });
  const person = async (email: string): Promise<StaffMember> => (await h!.app.deps.repos.staff.findByEmail(email))!;

  /** Waits until `done` holds, checking every 100 ms. */
  async function until(what: string, done: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Drafted and sent for approval by Alex, approved by Patti, sent now to Assessment Team 1: as the cards would. */
  async function sendTheBriefing(): Promise<void> {
    const context = briefingContext(h!.app.deps);
    const [author, approver] = [await person(READER_EMAIL), await person(APPROVER_EMAIL)];
    const saved = await saveDraft(context, author, briefingId, null, { title: TITLE, parts: PARTS }, '');
    expect(saved).toMatchObject({ saved: true });
    expect(await submitForApproval(context, author, briefingId, approver.id)).toMatchObject({ submitted: true });
    expect(await decideBriefing(context, approver, briefingId, 'approve', '')).toMatchObject({ changed: true });
    const check = await checkSchedule(context, { channels: '', groups: '', services: '', teams: TEAM, emails: '', when: 'now', sendDate: '', sendTime: '', reminderDays: '0' });
    if (!check.ok) throw new Error(`The audience was refused: ${JSON.stringify(check.problems)}`);
    expect(check.people).toBe(2);
    const sent = await sendOrSchedule(context, author, briefingId, check);
    expect(sent.briefing.status).toBe('sent');
  }

  test('sent to the team, the copy arrives in the personal chat with "I\'ve read this"', async () => {
    await openChat(page, playground!.url);
    // The first message links the Playground's identity to Alex's record by email.
    await sendMessage(page, 'whoami');
    const reader = await person(READER_EMAIL);
    await until('the personal chat to be saved for Alex', async () => {
      const chat = await stored!.db.selectFrom('conversation_refs').select('id').where('staff_id', '=', reader.id).where('scope', '=', 'personal').where('installed', '=', 1).executeTakeFirst();
      return chat !== undefined;
    });

    await sendTheBriefing();
    // The bot's real worker delivers what was queued: Alex's copy goes to the Playground's chat.
    const copyKey = briefingKeys.copy(briefingId, reader.id);
    await until('the copy to be delivered', async () => {
      await h!.app.delivery.drainOnce();
      const copy = await stored!.db.selectFrom('outbox').select('status').where('dedupe_key', '=', copyKey).executeTakeFirstOrThrow();
      return copy.status === 'sent';
    });

    const cards = page.locator('.ac-adaptiveCard');
    await cards.filter({ has: page.getByRole('button', { name: READ_BUTTON }) }).waitFor({ timeout: WAIT_MS });
    // Other cards are on the page too (the welcome, "whoami", the approval and delivery cards); follow the copy by its place.
    const index = await cards.evaluateAll((all, button) => all.findIndex((each) => Array.from(each.querySelectorAll('button')).some((b) => b.textContent?.trim() === button || b.getAttribute('aria-label') === button)), READ_BUTTON);
    expect(index).toBeGreaterThanOrEqual(0);
    cardCount = await cards.count();
    card = cards.nth(index);
    expect(await card.innerText()).toContain(TITLE);
    expect(await card.innerText()).toContain(PARTS.keyPoint2);
    expect(await card.innerText()).not.toContain('Read on');

    const recipient = await stored!.db.selectFrom('briefing_recipients').select('acknowledged_at').where('briefing_id', '=', briefingId).where('staff_id', '=', reader.id).executeTakeFirstOrThrow();
    expect(recipient.acknowledged_at).toBeNull();
  }, 60_000);

  test('"I\'ve read this": the copy says when it was read, in place, and the acknowledgement is stored once and audited', async () => {
    const reply = page.waitForResponse((response) => response.request().method() === 'POST' && (response.request().postData() ?? '').includes('"adaptiveCard/action"'));
    await card.getByRole('button', { name: READ_BUTTON }).click();
    const body = (await (await reply).json()) as { type?: string; value?: unknown };
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(body.value)).toContain(THANKS);

    await cardShows(THANKS);
    const text = await card.innerText();
    expect(text).toContain(TITLE);
    expect(text).toContain('Read on');
    expect(text).toContain(READ_ON);
    expect(await card.getByRole('button', { name: READ_BUTTON }).count()).toBe(0);
    expect(await page.locator('.ac-adaptiveCard').count()).toBe(cardCount);

    const reader = await person(READER_EMAIL);
    const teammate = await person(TEAMMATE_EMAIL);
    const recipients = await stored!.db.selectFrom('briefing_recipients').select(['staff_id', 'acknowledged_at']).where('briefing_id', '=', briefingId).where('kind', '=', 'person').execute();
    const mine = recipients.filter((row) => row.staff_id === reader.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.acknowledged_at).not.toBeNull();
    expect(new Date(mine[0]!.acknowledged_at!).toISOString()).toBe(new Date(NOW).toISOString());
    expect(recipients.find((row) => row.staff_id === teammate.id)?.acknowledged_at).toBeNull();
    const audit = await stored!.db.selectFrom('audit_log').select(['actor', 'record_id', 'source']).where('action', '=', 'briefing.acknowledged').execute();
    expect(audit).toEqual([{ actor: READER_EMAIL, record_id: briefingId, source: 'card' }]);
  }, 60_000);
});
