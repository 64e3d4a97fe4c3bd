/**
 * A practice review started and its first section filled in the Agents Playground, as a
 * manager would in Teams: "my tasks", "Start the practice review", the case and the
 * practitioner, then section 1 of the records review, first with the grade forgotten.
 *
 * The Playground talks as Alex Wilber (alexw@example.com). `qa demo load` puts Alex on
 * file by that email (the bot links the Playground's identity to the record the first
 * time it sees them) as a team manager who starts with a practice review, with Lynne
 * Robbins as a practitioner in the same service. It runs as the real `qa` command at a
 * fixed time (QA_NOW) in an active month, against the SQLite file the bot then serves
 * with a fake clock at the same time; the test opens that file too, to see what was saved.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { DatabaseHandle } from '../../db/connect';
import { inputOf, openDemoPlayground, type CardElement, type DemoPlayground } from '../support/demo-playground';
import type { Harness } from '../support/harness';
import { describeWithBrowser, openChat, sendMessage, WAIT_MS, type Playground } from '../support/playground';

/** A Tuesday in January 2027, an active month: the demo's managers have their January activity. */
const NOW = '2027-01-12T10:00:00Z';
const REVIEWER_EMAIL = 'alexw@example.com';
const PRACTITIONER = { email: 'lynner@example.com', choice: 'Lynne Robbins, Assessment Team 1' };
const CASE_REFERENCE = 'CR204518';
const RATIONALE = 'Visits are regular; the voice of CR204518 is clear in the records.';
const GRADE = { label: 'Good', value: 'good' };
/** Section 1's two questions as the page labels them: a grade (radio buttons) and why. */
interface Field {
  role: 'radiogroup' | 'textbox';
  name: string;
}
const GRADE_FIELD: Field = { role: 'radiogroup', name: 'Grade (required)' };
const RATIONALE_FIELD: Field = { role: 'textbox', name: 'Why this grade (required)' };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describeWithBrowser('A practice review in the Agents Playground', () => {
  let demo: DemoPlayground | undefined;
  let h: Harness | undefined;
  let playground: Playground;
  /** The same SQLite file as the bot's, opened separately: what a later process would find. */
  let stored: DatabaseHandle | undefined;
  let page: Page;
  /** The card "my tasks" answered with; every button press replaces it in place. */
  let card: Locator;
  let cardCount: number;

  beforeAll(async () => {
    demo = await openDemoPlayground('practice-review', NOW, { width: 1280, height: 1000 });
    expect(demo.demoOutput).toContain('Alex Wilber (alexw@example.com, the demo\'s QA manager) has a practice review in January 2027');
    ({ h, stored, playground, page } = demo);
  }, 60_000);

  afterAll(async () => {
    await demo?.close();
  }, 20_000);

  /** Waits until the card shows `text`. */
  const cardShows = (text: string): Promise<void> => card.getByText(text, { exact: false }).first().waitFor({ timeout: WAIT_MS });

  /** An input of the card, by its label. */
  const input = (field: Field): Locator => card.getByRole(field.role, { name: field.name });
  const gradeGroup = (): Locator => input(GRADE_FIELD);
  const rationaleBox = (): Locator => input(RATIONALE_FIELD);

  /** The innermost part of the card holding this field: its label, the input, its help and any problem beside it. */
  const fieldOf = (field: Field): Locator => card.locator('.ac-container').filter({ has: page.getByRole(field.role, { name: field.name }) }).last();

  async function reviewRow() {
    const reviewer = await stored!.db.selectFrom('staff').select(['id', 'aad_object_id']).where('email', '=', REVIEWER_EMAIL).executeTakeFirstOrThrow();
    const review = await stored!.db.selectFrom('reviews').selectAll().where('reviewer_id', '=', reviewer.id).executeTakeFirstOrThrow();
    return { reviewer, review };
  }

  async function recordsResponse(reviewId: string) {
    const row = await stored!.db.selectFrom('form_responses').selectAll().where('subject_kind', '=', 'review').where('subject_id', '=', reviewId).where('part', '=', 'records').executeTakeFirstOrThrow();
    return { ...row, answers: JSON.parse(row.answers_json) as Record<string, unknown> };
  }

  /**
   * Presses a button on the card and returns the card the bot answered with, as the
   * Playground's page received it. The page keeps its input elements across an update,
   * so what a field shows afterwards could be what was typed rather than what came back:
   * the reply says which.
   */
  async function press(title: string): Promise<CardElement> {
    const reply = page.waitForResponse((response) => response.request().method() === 'POST' && (response.request().postData() ?? '').includes('"adaptiveCard/action"'));
    await card.getByRole('button', { name: title }).click();
    const body = (await (await reply).json()) as { type?: string; value?: CardElement };
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    return body.value!;
  }

  async function screenshotOf(name: string): Promise<void> {
    const path = join(tmpdir(), `qa-loop-practice-review-${name}.png`);
    await card.screenshot({ path });
    const png = readFileSync(path);
    expect(png.length).toBeGreaterThan(1000);
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  }

  test('"my tasks", "Start the practice review", the case and the practitioner, "Start the review": section 1 of 8 in place', async () => {
    await openChat(page, playground!.url);
    await sendMessage(page, 'my tasks');

    const cards = page.locator('.ac-adaptiveCard');
    const startButton = page.getByRole('button', { name: 'Start the practice review' });
    await cards.filter({ has: startButton }).waitFor({ timeout: WAIT_MS });
    // The welcome card from the install may be on the page too; follow the assignment card by its place.
    const index = await cards.evaluateAll((all, title) => all.findIndex((each) => each.textContent?.includes(title)), 'Start the practice review');
    cardCount = await cards.count();
    card = cards.nth(index);
    expect(await card.getByRole('button', { name: 'Mark as done' }).count()).toBe(0);

    await card.getByRole('button', { name: 'Start the practice review' }).click();
    await cardShows('Start your practice review');
    await card.getByRole('textbox', { name: 'Case reference (required)' }).fill(CASE_REFERENCE);
    await card.getByRole('combobox', { name: 'Practitioner' }).click();
    // The list opens in a pop-up outside the card.
    await page.getByRole('option', { name: PRACTITIONER.choice }).click();
    expect(await card.getByRole('combobox', { name: 'Practitioner' }).inputValue()).toBe(PRACTITIONER.choice);
    await card.getByRole('button', { name: 'Start the review' }).click();

    await cardShows('Section 1 of 8');
    expect(await card.innerText()).toContain(`Child's records review: ${CASE_REFERENCE}`);
    expect(await card.innerText()).toContain('Lynne Robbins (Assessment Team 1)');
    expect(await gradeGroup().getByRole('radio').count()).toBe(4);
    expect(await cards.count()).toBe(cardCount);

    const { reviewer, review } = await reviewRow();
    // The Playground's user was linked to the demo's record by email on their first message.
    expect(reviewer.aad_object_id).not.toBeNull();
    const practitioner = await stored!.db.selectFrom('staff').select('id').where('email', '=', PRACTITIONER.email).executeTakeFirstOrThrow();
    expect(review).toMatchObject({ case_reference: CASE_REFERENCE, status: 'draft', practitioner_id: practitioner.id });
  }, 60_000);

  test('"Save and continue" with no grade: "Choose an answer." beside the grade, the rationale kept on the card and saved', async () => {
    await rationaleBox().fill(RATIONALE);
    const reply = await press('Save and continue');
    expect(inputOf(reply, 'lived_experience_rationale')?.value).toBe(RATIONALE);
    expect(inputOf(reply, 'lived_experience_grade')?.value).toBe('');

    await cardShows('Choose an answer.');
    expect(await card.innerText()).toContain('Section 1 of 8');
    expect(await fieldOf(GRADE_FIELD).innerText()).toContain('Choose an answer.');
    expect(await fieldOf(RATIONALE_FIELD).innerText()).not.toContain('Choose an answer.');
    expect(await rationaleBox().inputValue()).toBe(RATIONALE);
    expect(await gradeGroup().getByRole('radio', { checked: true }).count()).toBe(0);
    await screenshotOf('section-1-problem');

    const { review } = await reviewRow();
    const response = await recordsResponse(review.id);
    expect(response).toMatchObject({ status: 'draft', submitted_at: null });
    expect(response.answers).toEqual({ lived_experience_rationale: RATIONALE });
  }, 60_000);

  test('with a grade chosen, "Save and continue" shows section 2 of 8, and section 1 is saved as a draft', async () => {
    await gradeGroup().getByRole('radio', { name: GRADE.label, exact: true }).check();
    expect(await rationaleBox().inputValue()).toBe(RATIONALE);
    const reply = await press('Save and continue');
    expect(inputOf(reply, 'assessment_grade')).toBeDefined();

    await cardShows('Section 2 of 8');
    expect(await card.innerText()).toContain('Assessment and analysis');
    expect(await card.innerText()).not.toContain('Choose an answer.');
    expect(await card.getByRole('button', { name: 'Back' }).isVisible()).toBe(true);
    expect(await page.locator('.ac-adaptiveCard').count()).toBe(cardCount);
    await screenshotOf('section-2');

    const { reviewer, review } = await reviewRow();
    expect(review.status).toBe('draft');
    expect(review.submitted_at).toBeNull();
    const response = await recordsResponse(review.id);
    expect(response).toMatchObject({ status: 'draft', submitted_at: null, respondent_id: reviewer.id });
    expect(response.answers).toEqual({ lived_experience_grade: GRADE.value, lived_experience_rationale: RATIONALE });
    const assignment = await stored!.db.selectFrom('assignments').select(['kind', 'status']).where('id', '=', review.assignment_id).executeTakeFirstOrThrow();
    expect(assignment).toEqual({ kind: 'practice_review', status: 'started' });
    const saves = await stored!.db.selectFrom('audit_log').select('action').where('action', '=', 'review.draft-saved').where('record_id', '=', review.id).execute();
    expect(saves).toHaveLength(2);

    // Every activity the Playground sent was answered with 200.
    const posts = h!.logLines
      .map((line) => JSON.parse(line) as { msg: string; request?: { method: string; status: number } })
      .filter((entry) => entry.msg === 'request' && entry.request?.method === 'POST');
    expect(posts.length).toBeGreaterThanOrEqual(6);
    expect(posts.filter((entry) => entry.request!.status !== 200)).toEqual([]);
  }, 60_000);
});
