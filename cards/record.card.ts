import { expandCard, type AdaptiveCard } from './render';
import template from './templates/record.json';

/**
 * One card shape for the records QA Loop keeps (a review, its sections, moderation,
 * oversight, an action): a heading, facts, a note saying what just happened, groups
 * of read-only findings, inputs with a problem beside each, and buttons.
 */
export interface Fact {
  title: string;
  value: string;
}

export interface CardButton {
  title: string;
  verb: string;
  data: Record<string, string>;
  /** "positive" for the one primary button. */
  style: 'positive' | 'default';
}

export interface CardGroup {
  title: string;
  facts: Fact[];
  texts: { label: string; text: string }[];
}

export interface CardQuestion {
  id: string;
  label: string;
  /** 'multichoice': several may be ticked; the value is their values joined by commas, as Teams sends it. */
  input: 'choice' | 'multichoice' | 'text' | 'date';
  value: string;
  problem?: string;
  help?: string;
  choices?: { title: string; value: string }[];
  /** Radio buttons for a few choices, a drop-down for many. */
  choiceStyle?: 'expanded' | 'compact';
  multiline?: boolean;
  maxLength?: number;
  placeholder?: string;
}

export interface RecordCardInput {
  heading: string;
  intro?: string;
  facts?: Fact[];
  note?: string;
  noteTone?: 'good' | 'problem' | 'plain';
  groups?: CardGroup[];
  formTitle?: string;
  formHelp?: string;
  questions?: CardQuestion[];
  buttons?: CardButton[];
  /** When set, Teams can ask for the card as it is now (Universal Actions refresh). */
  refresh?: { verb: string; data: Record<string, string> };
}

const noteColors = { good: 'Good', problem: 'Attention', plain: 'Default' } as const;

/**
 * Long answers shown for reading are shortened so that every card stays well under Teams'
 * ~28 KB limit: 700 characters each, less when a card holds many (or many non-ASCII ones).
 */
const CLIP_STEPS = [700, 400, 200, 100] as const;
export const CARD_BYTE_BUDGET = 24 * 1024;
export const clip = (text: string, limit: number): string => (text.length <= limit ? text : `${text.slice(0, limit - 1)}…`);

export function recordCard(input: RecordCardInput): AdaptiveCard {
  let card = expandRecord(input, CLIP_STEPS[0]);
  for (const limit of CLIP_STEPS.slice(1)) {
    if (Buffer.byteLength(JSON.stringify(card), 'utf8') <= CARD_BYTE_BUDGET) break;
    card = expandRecord(input, limit);
  }
  return card;
}

function expandRecord(input: RecordCardInput, clipAt: number): AdaptiveCard {
  const card = expandCard(template, {
    heading: input.heading,
    intro: input.intro ?? '',
    facts: input.facts ?? [],
    note: input.note ?? '',
    noteColor: noteColors[input.noteTone ?? 'plain'],
    groups: (input.groups ?? []).map((group) => ({ ...group, texts: group.texts.map((entry) => ({ label: entry.label, text: clip(entry.text, clipAt) })) })),
    formTitle: input.formTitle ?? '',
    formHelp: input.formHelp ?? '',
    questions: (input.questions ?? []).map((question) => ({
      choiceStyle: 'expanded',
      multiline: false,
      maxLength: 500,
      placeholder: '',
      help: '',
      problem: '',
      choices: [],
      ...question,
      // Teams' own input stops at the field's length; only a forged press sends more, and it must not break the card.
      value: question.maxLength === undefined ? question.value : question.value.slice(0, question.maxLength),
    })),
    buttons: input.buttons ?? [],
    refreshVerb: input.refresh?.verb ?? '',
    refreshData: input.refresh?.data ?? {},
  });
  // Only cards of a record that can change get a refresh action.
  if (input.refresh === undefined) delete card.refresh;
  return card;
}
