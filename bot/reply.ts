import { CardFactory, MessageFactory, type Activity } from 'botbuilder';
import { noticeCard } from '../cards/notice.card';
import { CARD_CONTENT_TYPE, type AdaptiveCard } from '../cards/render';
import type { QaError } from '../services/errors';

export const cardMessage = (card: AdaptiveCard | AdaptiveCard[]): Partial<Activity> =>
  Array.isArray(card) ? MessageFactory.list(card.map((one) => CardFactory.adaptiveCard(one))) : MessageFactory.attachment(CardFactory.adaptiveCard(card));

/** The body of an `adaptiveCard/action` invoke response that shows `card` in place of the pressed one. */
export const cardInvokeBody = (card: AdaptiveCard): { statusCode: 200; type: typeof CARD_CONTENT_TYPE; value: AdaptiveCard } => ({
  statusCode: 200,
  type: CARD_CONTENT_TYPE,
  value: card,
});

export const problemCard = (error: QaError): AdaptiveCard =>
  noticeCard({ title: error.code === 'FORBIDDEN' ? 'Not available to you' : 'That did not work', message: error.userMessage, tone: 'problem' });
