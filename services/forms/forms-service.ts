import type { ServiceContext } from '../context';
import { QaError } from '../errors';
import familyFeedback from './defaults/family-feedback.json';
import recordsReview from './defaults/records-review.json';
import reflectiveTool from './defaults/reflective-tool.json';
import practiceObservation from './defaults/practice-observation.json';
import observationReflection from './defaults/observation-reflection.json';
import feedback from './defaults/feedback.json';
import thematicReview from './defaults/thematic-review.json';
import { parseFormDefinition, type FormDefinition, type FormKey, type PublishedForm } from './form-definition';

/** The forms QA Loop ships with: version 1 of each, until the QA service publishes another. */
export const defaultForms: Record<FormKey, unknown> = {
  records_review: recordsReview,
  reflective_tool: reflectiveTool,
  family_feedback: familyFeedback,
  practice_observation: practiceObservation,
  observation_reflection: observationReflection,
  feedback,
  thematic_review: thematicReview,
};

const SHIPPED_BY = 'qa-loop';

/** A shipped form's definition, checked as any published form is. */
export function shippedDefinition(key: FormKey): FormDefinition {
  const check = parseFormDefinition(defaultForms[key]);
  if (!check.ok) throw new QaError('INTERNAL', `Shipped ${key} form is invalid: ${check.problems.join('; ')}`);
  return check.definition;
}

/** The form a new piece of work uses: the latest published version, or the shipped default stored as version 1. */
export async function currentForm(context: Pick<ServiceContext, 'repos' | 'clock'>, key: FormKey): Promise<PublishedForm> {
  const latest = await context.repos.forms.latest(key);
  if (latest !== undefined) return latest;
  // Two first uses at once both try version 1; the unique index lets one in and the other reads it.
  return (await context.repos.forms.insert(key, 1, shippedDefinition(key), SHIPPED_BY, context.clock.now())) ?? (await context.repos.forms.latest(key))!;
}

/** The exact version a piece of work answered. */
export async function formById(context: Pick<ServiceContext, 'repos'>, id: string): Promise<PublishedForm> {
  const form = await context.repos.forms.findById(id);
  if (form === undefined) throw new QaError('NOT_FOUND', `form ${id} not found`);
  return form;
}

export type PublishResult = { ok: true; form: PublishedForm } | { ok: false; problems: string[] };

/**
 * Publishes a new version of a form. A bad definition changes nothing and says why. Work
 * already started keeps the version it began on; new work uses this one.
 */
export async function publishForm(context: ServiceContext, input: unknown, publishedBy: string, source: 'cli' | 'card'): Promise<PublishResult> {
  const check = parseFormDefinition(input);
  if (!check.ok) return check;
  const { definition } = check;
  for (let attempt = 0; attempt < 3; attempt++) {
    const latest = await currentForm(context, definition.key);
    const published = await context.transaction(async (repos) => {
      const form = await repos.forms.insert(definition.key, latest.version + 1, definition, publishedBy, context.clock.now());
      if (form !== undefined) {
        await repos.audit.append(
          { actor: publishedBy, actorRole: 'qa_manager', action: 'form.published', recordKind: 'form', recordId: form.id, source, detail: { key: form.key, version: form.version } },
          context.clock.now(),
        );
      }
      return form;
    });
    if (published !== undefined) return { ok: true, form: published };
  }
  return { ok: false, problems: ['Another version of this form was being published at the same time. Try again.'] };
}
