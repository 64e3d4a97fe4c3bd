import { expandCard, type AdaptiveCard } from './render';
import template from './templates/notice.json';

export interface NoticeCardData {
  title: string;
  message: string;
  tone: 'info' | 'problem';
}

/** A short card for answers that are not a task: an error, a refusal, a pointer to help. */
export const noticeCard = (data: NoticeCardData): AdaptiveCard =>
  expandCard(template, { title: data.title, message: data.message, color: data.tone === 'problem' ? 'Attention' : 'Default' });
