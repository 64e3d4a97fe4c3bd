import { expandCard, type AdaptiveCard } from './render';
import template from './templates/about.json';

export interface AboutCardData {
  pausedLine: string;
}

export const aboutCard = (data: AboutCardData): AdaptiveCard => expandCard(template, data);
