import { createHash } from 'node:crypto';

/**
 * A heuristic, not a guarantee: free text that looks like it names a child or gives a date
 * of birth is flagged back to the writer before it is stored. Children are referred to by
 * case reference only. The writer can keep the text as it is by sending it again
 * unchanged (a staff member's name, a place), so a false alarm costs one press.
 */

/** Common first names in England and Wales: a first name followed by a capitalised word is likely a person's full name. */
const FIRST_NAMES = new Set(
  `
  oliver george harry jack jacob noah charlie muhammad mohammed thomas oscar william james henry leo alfie joshua freddie archie ethan isaac alexander
  joseph edward samuel max daniel arthur lucas mohammad logan theo harrison benjamin mason sebastian finley adam dylan zachary riley teddy theodore
  david toby jake louie elijah reggie jaxon tyler ryan kai luca lewis aaron callum connor jayden liam michael matthew luke ben sam tom josh kyle
  olivia amelia isla ava emily isabella mia poppy ella lily evie sophia sophie grace freya ruby chloe daisy jessica florence millie evelyn phoebe
  scarlett sienna charlotte harper alice matilda ivy willow rosie erin elsie eva layla hannah holly emma lucy megan ellie amber bethany jade leah
  paige abigail molly maisie zara aisha amira fatima maryam hollie courtney shannon kayla lacey jasmine summer niamh caitlin keira libby lola
  sarah laura rebecca rachel katie nicola claire gemma kelly lisa michelle helen karen tracey joanne donna louise stacey samantha natalie danielle
  jane mary anne ann julie jennifer linda susan elizabeth margaret alison angela amanda kate anna hayley chelsea tia leon kian reece jordan
  john paul mark andrew david richard robert peter stephen christopher anthony kevin gary lee dean craig wayne darren jason carl shaun
  `
    .split(/\s+/)
    .filter(Boolean),
);

/** Capitalised words that follow a first name in ordinary QA writing without making a full name. */
const NOT_SURNAMES = new Set(['and', 'said', 'was', 'is', 'has', 'had', 'the', 'told', 'felt', 'says', 'will', 'would']);

const FULL_NAME = /\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s+([A-Z][a-z']+(?:-[A-Z][a-z]+)?)\b/g;

const DATE = String.raw`(?:\d{1,2}[\/.\-]\d{1,2}[\/.\-](?:\d{4}|\d{2})|\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{4}|\d{4}-\d{2}-\d{2})`;
const BIRTH_DATE = new RegExp(String.raw`(?:\bd\.?\s?o\.?\s?b\b\.?|\bdate of birth\b|\bborn\b(?:\s+on)?|\bbirthday\b)[\s:,-]*(?:is\s+|was\s+)?${DATE}`, 'i');
const DATE_THEN_BORN = new RegExp(String.raw`${DATE}\s*\((?:dob|d\.o\.b\.?|born)\)`, 'i');

export type PrivacyConcern = 'name' | 'date-of-birth';

/** What the text seems to hold that it should not, or undefined when it looks fine. */
export function privacyConcern(text: string): PrivacyConcern | undefined {
  if (BIRTH_DATE.test(text) || DATE_THEN_BORN.test(text)) return 'date-of-birth';
  for (const match of text.matchAll(FULL_NAME)) {
    const [, first = '', second = ''] = match;
    if (FIRST_NAMES.has(first.toLowerCase()) && !NOT_SURNAMES.has(second.toLowerCase())) return 'name';
  }
  return undefined;
}

export const privacyMessages: Record<PrivacyConcern, string> = {
  name: 'This looks like it may include someone\'s full name. Refer to the child by case reference and to family members by their relationship. If it is not a child\'s or family member\'s name (a colleague, a place), send it again unchanged to keep it.',
  'date-of-birth': 'This looks like it may include a date of birth. The case record holds that: please remove it. If it is not one, send it again unchanged to keep it.',
};

/** A short fingerprint of a flagged answer: sending the same text back for the same question keeps it. */
export const privacyToken = (questionId: string, text: string): string => `${questionId}.${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;

/** The tokens a card carried back (from the buttons of the card that flagged them). */
export function acknowledgedTokens(value: unknown): Set<string> {
  return new Set(typeof value === 'string' ? value.split(',').filter((token) => /^[a-z][a-z0-9_]{0,39}\.[0-9a-f]{16}$/.test(token)) : []);
}
