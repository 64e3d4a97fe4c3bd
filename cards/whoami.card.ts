import { expandCard, type AdaptiveCard } from './render';
import template from './templates/whoami.json';

export type WhoAmICardData =
  | { known: true; name: string; email: string; tier: string; service: string; team: string; roles: string }
  | { known: false };

export const whoAmICard = (data: WhoAmICardData): AdaptiveCard => expandCard(template, data);
