/** Ofsted's four-point scale, as the framework grades practice. Best first. */
export const grades = ['outstanding', 'good', 'requires_improvement', 'inadequate'] as const;
export type Grade = (typeof grades)[number];

export const gradeLabels: Record<Grade, string> = {
  outstanding: 'Outstanding',
  good: 'Good',
  requires_improvement: 'Requires improvement to be good',
  inadequate: 'Inadequate',
};

export function isGrade(value: unknown): value is Grade {
  return typeof value === 'string' && (grades as readonly string[]).includes(value);
}

/** Positive when `to` is better than `from`: the direction a moderator moved a grade. */
export const gradeChange = (from: Grade, to: Grade): number => grades.indexOf(from) - grades.indexOf(to);
