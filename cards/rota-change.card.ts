import { expandCard, type AdaptiveCard } from './render';
import template from './templates/rota-change.json';

export type RotaChangeField = 'email' | 'month' | 'change' | 'reason';

export interface RotaChangeCardData {
  people: { title: string; value: string }[];
  months: { title: string; value: string }[];
  /** What was entered, kept when the card comes back with problems. */
  values: Partial<Record<RotaChangeField, string>>;
  problems: Partial<Record<RotaChangeField, string>>;
  /** Confirmation of the change just saved, if any. */
  done: string;
}

export const rotaChangeCard = (data: RotaChangeCardData): AdaptiveCard =>
  expandCard(template, {
    people: data.people,
    months: data.months,
    email: data.values.email ?? '',
    month: data.values.month ?? '',
    change: data.values.change ?? '',
    reason: data.values.reason ?? '',
    problems: { email: data.problems.email ?? '', month: data.problems.month ?? '', change: data.problems.change ?? '', reason: data.problems.reason ?? '' },
    done: data.done,
  });
