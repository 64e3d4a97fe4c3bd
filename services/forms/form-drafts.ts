import type { ServiceContext } from '../context';
import { checkSection, readSection, type Answers, type Problems } from './form-answers';
import type { FormSection, PublishedForm } from './form-definition';
import type { FormResponse } from './form-response';
import { acknowledgedTokens, privacyConcern, privacyMessages, privacyToken } from '../privacy';

export interface DraftSave {
  /** False when the response is no longer a draft (submitted elsewhere in the meantime): nothing was written. */
  saved: boolean;
  /** The draft as now stored: the other sections' answers, and this section's valid ones. */
  draft: Answers;
  /** What the card should show: the draft with this section's answers exactly as typed. */
  shown: Answers;
  problems: Problems;
  /**
   * Fingerprints of answers flagged as looking like a name or a date of birth, for the
   * card's buttons to carry: the same text sent back for the same question is then kept.
   */
  acknowledge: string;
}

export interface DraftSaveInput {
  response: FormResponse;
  form: PublishedForm;
  section: FormSection;
  /** The card's data: answers by question id. */
  data: Record<string, unknown>;
  /** Whether the section's required answers must be there ("next"), or not ("back", "later"). */
  requireAnswers: boolean;
  actor: string;
  actorRole: string;
  /** The audit entry: e.g. "review.draft-saved" on a review. */
  auditAction: string;
  recordKind: string;
  recordId: string;
}

/**
 * Saves one section of a form as a draft: only the answers that are valid on their own
 * are stored, so nothing invalid is kept and nothing valid is lost; the problems come back
 * for the card to show beside their fields. Audited when written.
 */
export async function saveSectionDraft(context: Pick<ServiceContext, 'transaction' | 'clock'>, input: DraftSaveInput): Promise<DraftSave> {
  const { response, section } = input;
  const check = checkSection(section, readSection(section, input.data), response.answers, input.requireAnswers);
  // Free text that looks like a child's name or a date of birth is not stored until the writer confirms it.
  const acknowledged = acknowledgedTokens(input.data.privacyChecked);
  const flagged: string[] = [];
  for (const question of section.questions.filter((q) => q.type === 'text' || q.type === 'longtext')) {
    const value = check.keep[question.id];
    const concern = value === undefined ? undefined : privacyConcern(value);
    if (value === undefined || concern === undefined) continue;
    const token = privacyToken(question.id, value);
    if (acknowledged.has(token)) continue;
    delete check.keep[question.id];
    check.problems[question.id] = privacyMessages[concern];
    flagged.push(token);
  }
  const draft: Answers = { ...response.answers };
  for (const question of section.questions) delete draft[question.id];
  Object.assign(draft, check.keep);
  const now = context.clock.now();
  const saved = await context.transaction(async (repos) => {
    const changed = await repos.responses.saveDraft(response.id, draft, now);
    if (changed) {
      await repos.audit.append(
        {
          actor: input.actor,
          actorRole: input.actorRole,
          action: input.auditAction,
          recordKind: input.recordKind,
          recordId: input.recordId,
          source: 'card',
          detail: { part: response.part, section: section.id, formVersion: input.form.version },
        },
        now,
      );
    }
    return changed;
  });
  return { saved, draft, shown: { ...draft, ...check.answers }, problems: check.problems, acknowledge: flagged.join(',') };
}
