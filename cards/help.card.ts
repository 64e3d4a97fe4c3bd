import { expandCard, type AdaptiveCard } from './render';
import template from './templates/help.json';

export interface HelpCardData {
  roleLine: string;
  commands: { name: string; description: string }[];
}

export const helpCard = (data: HelpCardData): AdaptiveCard => expandCard(template, data);
