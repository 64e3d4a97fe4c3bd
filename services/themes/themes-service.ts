import { z } from 'zod';
import type { ServiceContext } from '../context';
import { currentForm, publishForm } from '../forms/forms-service';
import { parseFormDefinition, type FormDefinition } from '../forms/form-definition';
import { themeOrigins, type Theme, type ThemeOrigin } from './theme';

export interface ThemeInput {
  month: string;
  title: string;
  origin: ThemeOrigin;
  why: string;
  sampleSize: number;
  channels: string[];
  /** The theme's own dip-sample questions; the current thematic review form when absent. */
  questions: FormDefinition | undefined;
}

const themeSchema = z
  .object({
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM'),
    title: z.string().trim().min(3, 'must be at least 3 characters').max(200, 'must be at most 200 characters'),
    origin: z.enum(themeOrigins, { error: `must be one of ${themeOrigins.join(', ')}` }),
    why: z.string().trim().min(3, 'must say where the theme came from and why').max(2000),
    sampleSize: z.number().int().min(1, 'must be at least 1').max(20, 'must be at most 20'),
    channels: z.array(z.string().min(1).max(200)).max(20).default([]),
    questions: z.unknown().optional(),
  })
  .strict();

const fileSchema = z.object({ themes: z.array(z.unknown()).min(1, 'needs at least one theme') }).strict();

export type ThemesCheck = { ok: true; themes: ThemeInput[] } | { ok: false; problems: string[] };

/** Checks a planner file fully (every theme, and each theme's questions as a form); every problem is said with where it is. */
export function parseThemes(input: unknown, isActiveMonth: (month: string) => boolean): ThemesCheck {
  const file = fileSchema.safeParse(input);
  if (!file.success) return { ok: false, problems: file.error.issues.map((issue) => `${issue.path.join('.') || 'file'}: ${issue.message}`) };
  const problems: string[] = [];
  const themes: ThemeInput[] = [];
  const months = new Set<string>();
  file.data.themes.forEach((raw, i) => {
    const parsed = themeSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((issue) => `themes.${i}.${issue.path.join('.')}: ${issue.message}`));
      return;
    }
    const theme = parsed.data;
    if (months.has(theme.month)) problems.push(`themes.${i}.month: ${theme.month} has two themes`);
    months.add(theme.month);
    if (!isActiveMonth(theme.month)) problems.push(`themes.${i}.month: ${theme.month} is a paused month, with no thematic reviews`);
    let questions: FormDefinition | undefined;
    if (theme.questions !== undefined) {
      const check = parseFormDefinition({ key: 'thematic_review', title: theme.title, ...(theme.questions as object) });
      if (check.ok) questions = check.definition;
      else problems.push(...check.problems.map((problem) => `themes.${i}.questions.${problem}`));
    }
    themes.push({ month: theme.month, title: theme.title, origin: theme.origin, why: theme.why, sampleSize: theme.sampleSize, channels: theme.channels, questions });
  });
  return problems.length === 0 ? { ok: true, themes } : { ok: false, problems };
}

/** Plans (or replans) one month's theme: its questions become a version of the thematic review form. */
export async function saveTheme(context: ServiceContext, input: ThemeInput, by: string, source: 'cli' | 'card'): Promise<Theme> {
  const form = input.questions === undefined ? await currentForm(context, 'thematic_review') : await publishQuestions(context, input.questions, by, source);
  const now = context.clock.now();
  return context.transaction(async (repos) => {
    const theme = await repos.themes.save({ month: input.month, title: input.title, origin: input.origin, why: input.why, formId: form.id, sampleSize: input.sampleSize, channels: input.channels, createdBy: by }, now);
    await repos.audit.append({ actor: by, actorRole: 'qa_manager', action: 'theme.saved', recordKind: 'theme', recordId: theme.id, source, detail: { month: theme.month, formId: form.id } }, now);
    return theme;
  });
}

async function publishQuestions(context: ServiceContext, questions: FormDefinition, by: string, source: 'cli' | 'card') {
  const result = await publishForm(context, questions, by, source);
  if (!result.ok) throw new Error(`theme questions refused after checking: ${result.problems.join('; ')}`);
  return result.form;
}
