/**
 * A compliment recorded in the Agents Playground, as a member of staff would in Teams:
 * "feedback", the case reference, who gave it, how, the kind (forgotten at first), their
 * words, their consent and the practitioner it is about, then "Record the feedback".
 *
 * The Playground talks as Alex Wilber (alexw@example.com), on file after `qa demo load`
 * as a team manager in the Assessment service, with Lynne Robbins as a practitioner in his
 * team and Megan Bowen as the service manager above them. It runs as the real `qa` command
 * at a fixed time (QA_NOW), against the SQLite file the bot then serves with a fake clock
 * at the same time; the test opens that file too, to see what was stored.
 */
import type { Locator, Page } from 'playwright-core';
import type { DatabaseHandle } from '../../db/connect';
import { inputOf, openDemoPlayground, type CardElement, type DemoPlayground } from '../support/demo-playground';
import { describeWithBrowser, openChat, sendMessage, WAIT_MS, type Playground } from '../support/playground';

const NOW = '2027-01-12T10:00:00Z';
const RECORDER_EMAIL = 'alexw@example.com';
const PRACTITIONER = { email: 'lynner@example.com', name: 'Lynne Robbins', choice: 'Lynne Robbins, Assessment Team 1' };
const SERVICE_MANAGER = { email: 'meganb@example.com', name: 'Megan Bowen' };
const CASE_REFERENCE = 'CR204518';
const WORDS = 'She explains everything to us and always calls back when she says she will.';
const TITLE = 'Record family feedback';

interface Field {
  role: 'radiogroup' | 'textbox' | 'combobox';
  name: string;
}
const KIND: Field = { role: 'radiogroup', name: 'Kind (required)' };
const WORDS_FIELD: Field = { role: 'textbox', name: 'Their words (required)' };

describeWithBrowser('A compliment recorded in the Agents Playground', () => {
  let demo: DemoPlayground | undefined;
  let playground: Playground;
  let stored: DatabaseHandle | undefined;
  let page: Page;
  /** The card "feedback" answered with; every button press replaces it in place. */
  let card: Locator;
  let cardCount: number;

  beforeAll(async () => {
    demo = await openDemoPlayground('family-feedback', NOW, { width: 1280, height: 1400 });
    ({ stored, playground, page } = demo);
  }, 60_000);

  afterAll(async () => {
    await demo?.close();
  }, 20_000);

  const cardShows = (text: string): Promise<void> => card.getByText(text, { exact: false }).first().waitFor({ timeout: WAIT_MS });
  const field = (which: Field): Locator => card.getByRole(which.role, { name: which.name });
  /** The innermost part of the card holding this field: its label, the input, its help and any problem beside it. */
  const fieldOf = (which: Field): Locator => card.locator('.ac-container').filter({ has: page.getByRole(which.role, { name: which.name }) }).last();
  const choose = (group: string, option: string): Promise<void> => field({ role: 'radiogroup', name: group }).getByRole('radio', { name: option, exact: true }).check();

  async function press(title: string): Promise<CardElement> {
    const reply = page.waitForResponse((response) => response.request().method() === 'POST' && (response.request().postData() ?? '').includes('"adaptiveCard/action"'));
    await card.getByRole('button', { name: title }).click();
    const body = (await (await reply).json()) as { type?: string; value?: CardElement };
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    return body.value!;
  }

  test('"feedback" shows the card; with the kind forgotten, "Choose an answer." comes back beside it and every answer is kept', async () => {
    await openChat(page, playground!.url);
    await sendMessage(page, 'feedback');
    const cards = page.locator('.ac-adaptiveCard');
    await cards.filter({ has: page.getByRole('button', { name: 'Record the feedback' }) }).waitFor({ timeout: WAIT_MS });
    // The welcome card from the install may be on the page too; follow the feedback card by its place.
    const index = await cards.evaluateAll((all, title) => all.findIndex((each) => each.textContent?.includes(title)), TITLE);
    cardCount = await cards.count();
    card = cards.nth(index);
    expect(await card.innerText()).toContain('No family feedback has been recorded yet in January 2027.');

    await field({ role: 'textbox', name: 'Case reference (required)' }).fill(CASE_REFERENCE);
    await choose('Who gave it (required)', 'Parent');
    await choose('How (required)', 'Visit');
    await field(WORDS_FIELD).fill(WORDS);
    await choose('Their rating, if they gave one (1 poor to 5 excellent)', '5');
    await choose('They agreed to their words being shared (required)', 'Yes');
    await field({ role: 'combobox', name: 'Practitioner it is about (if any)' }).click();
    // The list opens in a pop-up outside the card.
    await page.getByRole('option', { name: PRACTITIONER.choice }).click();

    const reply = await press('Record the feedback');
    expect(inputOf(reply, 'words')?.value).toBe(WORDS);
    expect(inputOf(reply, 'kind')?.value).toBe('');
    await cardShows('Choose an answer.');
    expect(await fieldOf(KIND).innerText()).toContain('Choose an answer.');
    expect(await fieldOf(WORDS_FIELD).innerText()).not.toContain('Choose an answer.');
    expect(await field(WORDS_FIELD).inputValue()).toBe(WORDS);
    expect(await stored!.db.selectFrom('feedback').select('id').execute()).toHaveLength(0);
  }, 60_000);

  test('with "Compliment" chosen it is recorded once, and passed on to the practitioner and their service manager', async () => {
    await field(KIND).getByRole('radio', { name: 'Compliment', exact: true }).check();
    const reply = await press('Record the feedback');
    expect(JSON.stringify(reply)).toContain(`Family feedback recorded: ${CASE_REFERENCE}`);
    await cardShows(`Family feedback recorded: ${CASE_REFERENCE}`);
    expect(await card.innerText()).toContain(`It has been passed on to ${PRACTITIONER.name} and ${SERVICE_MANAGER.name}.`);
    expect(await card.getByRole('button', { name: 'Record more feedback' }).isVisible()).toBe(true);
    expect(await page.locator('.ac-adaptiveCard').count()).toBe(cardCount);

    const id = async (email: string): Promise<string> => (await stored!.db.selectFrom('staff').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
    const rows = await stored!.db.selectFrom('feedback').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ case_reference: CASE_REFERENCE, kind: 'compliment', source: 'parent', method: 'visit', rating: 5, consent: 1, practitioner_id: await id(PRACTITIONER.email), recorded_by: await id(RECORDER_EMAIL), month: '2027-01' });
    const response = await stored!.db.selectFrom('form_responses').selectAll().where('subject_kind', '=', 'feedback').where('subject_id', '=', rows[0]!.id).executeTakeFirstOrThrow();
    expect(JSON.parse(response.answers_json)).toMatchObject({ kind: 'compliment', words: WORDS, consent: 'yes' });
    const messages = await stored!.db.selectFrom('outbox').select(['kind', 'staff_id']).where('kind', '=', 'compliment').execute();
    expect(messages.map((message) => message.staff_id).sort()).toEqual([await id(PRACTITIONER.email), await id(SERVICE_MANAGER.email)].sort());
    const audit = await stored!.db.selectFrom('audit_log').select('action').where('action', '=', 'feedback.recorded').execute();
    expect(audit).toHaveLength(1);
  }, 60_000);
});
