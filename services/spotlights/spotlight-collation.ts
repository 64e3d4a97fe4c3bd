import { choicesOf, type FormDefinition, type FormQuestion } from '../forms/form-definition';
import { grades, isGrade, type Grade } from '../forms/grades';
import type { SpotlightFigures } from './spotlight';

/** What a month's spotlight is collated from: plain rows, already narrowed to the month. */
export interface CollationInput {
  /** The theme's dip-sample questions (the form version the theme names). */
  form: FormDefinition;
  /** Each submitted thematic review of the theme, with its sampled cases' answers. */
  thematicReviews: { reviewerId: string; samples: { answers: Record<string, string> }[] }[];
  /** The month's final (moderated) reviews: the moderator's grade where there is one. */
  reviews: { reviewerGrade: string | null; finalGrade: string | null }[];
  /** The month's submitted practice observations. */
  observations: { grade: string | null }[];
}

export interface Collation {
  figures: SpotlightFigures;
  /** Recurring strengths and gaps read from the answers, offered to the QA manager to edit. */
  strengths: string[];
  gaps: string[];
}

const COUNTED_TYPES = new Set<FormQuestion['type']>(['choice', 'yesno', 'grade']);
/** Two in three cases alike make a recurring strength; one in three a recurring gap. */
const STRENGTH_SHARE = 2 / 3;
const GAP_SHARE = 1 / 3;

const isPositive = (question: FormQuestion, value: string): boolean =>
  question.type === 'grade' ? value === 'outstanding' || value === 'good' : value === choicesOf(question)[0]?.value;

const isNegative = (question: FormQuestion, value: string): boolean => {
  if (question.type === 'grade') return value === 'requires_improvement' || value === 'inadequate';
  const choices = choicesOf(question);
  return choices.length >= 2 && value === choices[choices.length - 1]?.value;
};

/**
 * Collates a month's spotlight figures: the cases sampled against the theme and every
 * question's answers counted (text answers counted as given, never quoted here: the QA
 * manager chooses quotes), the grades of the month's moderated reviews and observations,
 * and the strengths and gaps that recur across the sample. Pure: the same rows always
 * give the same figures.
 */
export function collateSpotlight(input: CollationInput): Collation {
  const questions = input.form.sections.flatMap((section) => section.questions);
  const samples = input.thematicReviews.flatMap((review) => review.samples);
  const strengths: string[] = [];
  const gaps: string[] = [];
  const counted = questions.map((question) => {
    const given = samples.map((sample) => (sample.answers[question.id] ?? '').trim()).filter((value) => value !== '');
    if (!COUNTED_TYPES.has(question.type)) return { key: question.id, label: question.label, answered: given.length, counts: [] };
    const counts = choicesOf(question)
      .map((choice) => ({ answer: choice.title, count: given.filter((value) => value === choice.value).length }))
      .filter((entry) => entry.count > 0);
    if (given.length > 0) {
      const positive = given.filter((value) => isPositive(question, value)).length;
      const negative = given.filter((value) => isNegative(question, value)).length;
      if (positive / given.length >= STRENGTH_SHARE) strengths.push(`${question.label} ${positive} of ${given.length} cases: ${choicesOf(question).find((choice) => isPositive(question, choice.value))?.title ?? ''}.`);
      if (negative > 0 && negative / given.length >= GAP_SHARE) gaps.push(`${question.label} ${negative} of ${given.length} cases: ${choicesOf(question).filter((choice) => isNegative(question, choice.value)).map((choice) => choice.title).join(' or ')}.`);
    }
    return { key: question.id, label: question.label, answered: given.length, counts };
  });
  const gradesGiven: Grade[] = [
    ...input.reviews.map((review) => review.finalGrade ?? review.reviewerGrade),
    ...input.observations.map((observation) => observation.grade),
  ].filter(isGrade);
  return {
    figures: {
      managers: new Set(input.thematicReviews.map((review) => review.reviewerId)).size,
      casesSampled: samples.length,
      questions: counted,
      grades: grades.map((grade) => ({ grade, count: gradesGiven.filter((given) => given === grade).length })).filter((entry) => entry.count > 0),
      reviewsConsidered: input.reviews.length,
      observationsConsidered: input.observations.length,
    },
    strengths,
    gaps,
  };
}
