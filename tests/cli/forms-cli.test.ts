import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { formKeys, parseFormDefinition, type FormDefinition } from '../../services/forms/form-definition';
import { defaultForms } from '../../services/forms/forms-service';
import { runQa, type QaRun } from '../support/qa-process';

/**
 * `qa forms …` as a real process against a temporary SQLite file, as in qa-cli.test.ts.
 * Each process costs about a second, so the steps build on one another: the shipped
 * forms, a good import (version 2), bad files that change nothing, then show and re-import.
 */
const qa = runQa;
type Run = QaRun;

const temp = mkdtempSync(join(tmpdir(), 'qa-loop-forms-cli-'));
const file = (name: string, text: string): string => {
  const path = join(temp, name);
  writeFileSync(path, text);
  return path;
};

/** The shipped records review, as a fresh copy to edit. */
function shippedRecordsReview(): FormDefinition {
  const check = parseFormDefinition(defaultForms.records_review);
  if (!check.ok) throw new Error(check.problems.join('; '));
  return structuredClone(check.definition);
}

const questionCount = (definition: FormDefinition): number => definition.sections.reduce((sum, section) => sum + section.questions.length, 0);

/** `forms list` lines by form key: key, version N, title, published by / shipped, when. */
function listLines(run: Run): Map<string, string[]> {
  const rows = run.stdout
    .trim()
    .split('\n')
    .map((line) => line.split(/ {2,}/));
  return new Map(rows.map((row) => [row[0] ?? '', row]));
}

/** Reads the database the processes wrote, without writing to it. */
function inDatabase<T>(database: string, read: (db: SqliteDatabase.Database) => T): T {
  const db = new SqliteDatabase(database, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const formRows = (database: string): { form_key: string; version: number; published_by: string }[] =>
  inDatabase(database, (db) => db.prepare('select form_key, version, published_by from forms order by form_key, version').all() as { form_key: string; version: number; published_by: string }[]);
const auditCount = (database: string): number => inDatabase(database, (db) => (db.prepare('select count(*) as n from audit_log').get() as { n: number }).n);

describe('npm run qa -- forms', () => {
  const database = join(temp, 'forms.sqlite');
  const run = (...args: string[]): Promise<Run> => qa(database, args);
  let shippedShow: Run;

  test('--help lists the forms commands; forms list shows each shipped form at version 1 and stores nothing', async () => {
    // One process first: it makes the database, so the later ones side by side do not race to migrate it.
    const list = await run('forms', 'list');
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    const lines = listLines(list);
    expect([...lines.keys()]).toEqual([...formKeys]);
    expect(lines.get('records_review')).toEqual(['records_review', 'version 1', "Child's records review", 'shipped with QA Loop', 'not used yet']);
    expect(lines.get('reflective_tool')?.slice(1, 3)).toEqual(['version 1', "Practitioner's reflective tool"]);
    expect(lines.get('family_feedback')?.slice(1, 3)).toEqual(['version 1', 'Parent and child feedback']);
    expect(formRows(database)).toEqual([]);

    const [help, show] = await Promise.all([run('--help'), run('forms', 'show', 'records_review', '--version', '1')]);
    expect(help.code).toBe(0);
    for (const usage of ['forms list', 'forms show KEY [--version N]', 'forms import FILE.json']) expect(help.stdout).toContain(usage);
    expect(show.code).toBe(0);
    expect(JSON.parse(show.stdout)).toEqual(shippedRecordsReview());
    shippedShow = show;
  }, 120_000);

  test('a valid edited records review is published as version 2, audited under QA_ACTOR, and forms list shows it', async () => {
    const edited = shippedRecordsReview();
    edited.sections.splice(-1, 0, {
      id: 'family_network',
      title: 'Family network',
      help: 'Is the wider family known, and part of the plan?',
      questions: [
        { id: 'family_network_grade', label: 'Grade', type: 'grade', required: true },
        { id: 'family_network_rationale', label: 'Why this grade', type: 'longtext', required: true, maxLength: 2000 },
      ],
    });
    const auditBefore = auditCount(database);

    const imported = await run('forms', 'import', file('records-v2.json', JSON.stringify(edited, null, 2)));
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout.trim()).toBe(
      `Published records_review version 2 ("Child's records review", ${edited.sections.length} sections, ${questionCount(edited)} questions). Reviews already started keep their version.`,
    );

    // Version 1 (the shipped form, stored when first needed) stays as it was; version 2 is the edit.
    expect(formRows(database)).toEqual([
      { form_key: 'records_review', version: 1, published_by: 'qa-loop' },
      { form_key: 'records_review', version: 2, published_by: 'cli:cli-test' },
    ]);
    const audited = inDatabase(database, (db) => db.prepare("select actor, action, record_kind, source, detail_json from audit_log where action = 'form.published'").all());
    expect(audited).toEqual([{ actor: 'cli:cli-test', action: 'form.published', record_kind: 'form', source: 'cli', detail_json: JSON.stringify({ key: 'records_review', version: 2 }) }]);
    expect(auditCount(database)).toBe(auditBefore + 1);

    const [list, latest] = await Promise.all([run('forms', 'list'), run('forms', 'show', 'records_review')]);
    const lines = listLines(list);
    expect(lines.get('records_review')?.slice(0, 4)).toEqual(['records_review', 'version 2', "Child's records review", 'published by cli:cli-test']);
    expect(lines.get('records_review')?.[4]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} Europe\/London$/);
    expect(lines.get('family_feedback')?.slice(1, 2)).toEqual(['version 1']);
    expect(JSON.parse(latest.stdout)).toEqual(edited);
  }, 120_000);

  test('a bad file changes nothing: every problem printed with where it is, exit 1, still version 2, nothing new in the audit log', async () => {
    const duplicate = shippedRecordsReview();
    const [, assessment] = duplicate.sections;
    if (assessment?.questions[0] === undefined) throw new Error('the shipped records review has changed');
    assessment.questions[0].id = 'lived_experience_grade';

    const noOverallGrade = shippedRecordsReview();
    const overallAt = noOverallGrade.sections.findIndex((section) => section.questions.some((question) => question.id === 'overall_grade'));
    const overall = noOverallGrade.sections[overallAt];
    if (overall === undefined) throw new Error('the shipped records review has no overall_grade');
    overall.questions = overall.questions.filter((question) => question.id !== 'overall_grade');

    const noChoices = shippedRecordsReview();
    const choiceSection = noChoices.sections.findIndex((section) => section.questions.some((question) => question.type === 'choice'));
    const choiceQuestions = noChoices.sections[choiceSection]?.questions ?? [];
    const choiceAt = choiceQuestions.findIndex((question) => question.type === 'choice');
    const choice = choiceQuestions[choiceAt];
    if (choice === undefined) throw new Error('the shipped records review has no choice question');
    delete choice.choices;

    // Several problems in one file: every one is said, not just the first.
    const several = { ...structuredClone(duplicate), title: '', sections: [...structuredClone(duplicate).sections, { id: 'extra', title: 'Extra', questions: [{ id: 'x', label: 'X', type: 'essay' }] }] };

    const auditBefore = auditCount(database);
    const formsBefore = formRows(database);
    const [dup, noGrade, noChoice, many, notJson, missing] = await Promise.all([
      run('forms', 'import', file('duplicate.json', JSON.stringify(duplicate, null, 2))),
      run('forms', 'import', file('no-overall-grade.json', JSON.stringify(noOverallGrade, null, 2))),
      run('forms', 'import', file('no-choices.json', JSON.stringify(noChoices, null, 2))),
      run('forms', 'import', file('several.json', JSON.stringify(several, null, 2))),
      run('forms', 'import', file('not-json.json', '{\n  "key": "records_review",\n}\n')),
      run('forms', 'import', join(temp, 'no-such-file.json')),
    ]);

    for (const refused of [dup, noGrade, noChoice, many, notJson, missing]) {
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe('');
      expect(refused.stderr.trim().split('\n').at(-1)).toMatch(/Nothing was published\.$/);
    }
    expect(dup.stderr).toContain('duplicate.json is not a form QA Loop can use:');
    expect(dup.stderr).toContain('sections.1.questions.0.id (section "assessment", question "lived_experience_grade"): "lived_experience_grade" is used twice in the form');
    expect(noGrade.stderr).toContain('form: a records_review form needs a required grade question "overall_grade"');
    expect(noChoice.stderr).toContain(`sections.${choiceSection}.questions.${choiceAt}.choices (section "${noChoices.sections[choiceSection]?.id ?? ''}", question "${choice.id}"): a choice question needs choices`);
    expect(many.stderr).toContain('title: must not be empty');
    expect(many.stderr).toMatch(/sections\.8\.questions\.0\.type \(section "extra", question "x"\): must be one of grade, text/);
    expect(notJson.stderr).toMatch(/not-json\.json is not JSON: .*\(line 3,? column 1\)\. Nothing was published\./);
    expect(missing.stderr).toContain('no-such-file.json: there is no such file. Nothing was published.');

    expect(formRows(database)).toEqual(formsBefore);
    expect(Math.max(...formRows(database).map((row) => row.version))).toBe(2);
    expect(auditCount(database)).toBe(auditBefore);
    expect(listLines(await run('forms', 'list')).get('records_review')?.[1]).toBe('version 2');
  }, 120_000);

  test('forms show prints JSON that parses and round-trips through import; unknown forms and versions are refused', async () => {
    const [v1, family, familyV2, noVersion, badKey, badVersion] = await Promise.all([
      run('forms', 'show', 'records_review', '--version', '1'),
      run('forms', 'show', 'family_feedback'),
      run('forms', 'show', 'family_feedback', '--version', '2'),
      run('forms', 'show', 'records_review', '--version', '7'),
      run('forms', 'show', 'records-review'),
      run('forms', 'show', 'records_review', '--version', 'latest'),
    ]);
    expect(v1.code).toBe(0);
    expect(v1.stdout).toBe(shippedShow.stdout);
    const shown: unknown = JSON.parse(v1.stdout);
    const check = parseFormDefinition(shown);
    expect(check.ok && check.definition).toEqual(shown);

    // A form never used is shown as shipped.
    expect(family.code).toBe(0);
    const familyCheck = parseFormDefinition(defaultForms.family_feedback);
    expect(familyCheck.ok && JSON.parse(family.stdout)).toEqual(familyCheck.ok && familyCheck.definition);

    expect(familyV2.code).toBe(1);
    expect(familyV2.stderr.trim()).toBe('family_feedback has no version 2: its only version is 1.');
    expect(noVersion.code).toBe(1);
    expect(noVersion.stderr.trim()).toBe('records_review has no version 7: its versions are 1 to 2.');
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toContain(`"records-review" is not a form: the forms are ${formKeys.join(', ')}.`);
    expect(badKey.stderr).toContain('Usage: npm run qa -- forms show KEY [--version N]');
    expect(badVersion.code).toBe(2);
    expect(badVersion.stderr).toContain('--version "latest" is not a version number');
    expect(familyV2.stdout + noVersion.stdout + badKey.stdout + badVersion.stdout).toBe('');

    // Exported, imported unchanged: it becomes version 3, the same as version 1.
    const reimported = await run('forms', 'import', file('records-v1-again.json', v1.stdout));
    expect(reimported.code).toBe(0);
    expect(reimported.stdout).toContain('Published records_review version 3 ("Child\'s records review"');
    const latest = await run('forms', 'show', 'records_review');
    expect(latest.stdout).toBe(v1.stdout);
  }, 120_000);
});
