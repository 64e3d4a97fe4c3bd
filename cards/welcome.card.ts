import { expandCard, type AdaptiveCard } from './render';
import template from './templates/welcome.json';
import teamTemplate from './templates/team-welcome.json';

export interface WelcomeCardData {
  /** Empty when QA Loop does not know the person yet. */
  personName: string;
  nextStep: string;
}

export const welcomeCard = (data: WelcomeCardData): AdaptiveCard => expandCard(template, data);

export interface TeamWelcomeCardData {
  placeName: string;
}

export const teamWelcomeCard = (data: TeamWelcomeCardData): AdaptiveCard => expandCard(teamTemplate, data);
