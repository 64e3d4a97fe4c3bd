import { choicesOf, type FormKey } from '../forms/form-definition';
import { shippedDefinition } from '../forms/forms-service';

/**
 * How a report names stored values: the titles of the shipped forms' choices (settings
 * of an observation, who gave feedback and how). A value the shipped form does not
 * know (a form published since with a new choice) is shown as written, tidied.
 */
function choiceTitles(key: FormKey, questionId: string): { value: string; title: string }[] {
  for (const section of shippedDefinition(key).sections) {
    const question = section.questions.find((candidate) => candidate.id === questionId);
    if (question !== undefined) return choicesOf(question);
  }
  return [];
}

let cached: { settings: { value: string; title: string }[]; sources: { value: string; title: string }[]; methods: { value: string; title: string }[] } | undefined;

function lists() {
  cached ??= {
    settings: choiceTitles('practice_observation', 'setting'),
    sources: choiceTitles('feedback', 'source'),
    methods: choiceTitles('feedback', 'method'),
  };
  return cached;
}

const tidy = (value: string): string => {
  const words = value.replace(/_/g, ' ').trim();
  return words === '' ? 'Not recorded' : `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
};

/** Observation settings in the form's order. */
export const observationSettings = (): { value: string; title: string }[] => lists().settings;
/** Who gives family feedback, in the form's order. */
export const feedbackSources = (): { value: string; title: string }[] => lists().sources;

export const settingLabel = (value: string): string => lists().settings.find((choice) => choice.value === value)?.title ?? tidy(value);
export const sourceLabel = (value: string): string => lists().sources.find((choice) => choice.value === value)?.title ?? tidy(value);

export const feedbackKindLabels = { compliment: 'Compliments', comment: 'Comments', complaint: 'Complaints' } as const;
