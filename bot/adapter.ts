import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import type { Config } from '../services/config';
import type { Logger } from '../services/logger';
import { classifyError, loggableError } from './classify-error';

/**
 * The Bot Framework adapter. With no MicrosoftAppId it runs in local mode (no JWT),
 * as the Bot Framework tools and the Agents Playground expect; with one, every
 * request must carry a valid Bot Framework token.
 */
export function createAdapter(config: Config, logger: Logger): CloudAdapter {
  const settings: ConfigurationBotFrameworkAuthenticationOptions = {
    ...config.botFrameworkAuth,
    MicrosoftAppId: config.microsoftAppId,
    MicrosoftAppPassword: config.microsoftAppPassword,
    MicrosoftAppType: config.microsoftAppType,
    MicrosoftAppTenantId: config.microsoftAppTenantId,
  };
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(settings));

  adapter.onTurnError = async (context, error) => {
    const problem = classifyError(error);
    logger.error(
      { code: problem.code, err: loggableError(problem), activityType: context.activity.type, conversationType: context.activity.conversation?.conversationType },
      'turn failed',
    );
    // Invokes are answered in their HTTP response; a message here would be a stray reply.
    if (context.activity.type === 'invoke') return;
    try {
      await context.sendActivity(problem.userMessage);
    } catch (sendError) {
      logger.error({ err: sendError instanceof Error ? sendError.message : String(sendError) }, 'could not tell the user about a failed turn');
    }
  };
  return adapter;
}
