import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type TurnContext,
} from 'botbuilder';
import type { Config } from '../services/config';
import type { Logger } from '../services/logger';
import { classifyError, loggableError } from './classify-error';
import { decideTenant, REFUSED_TENANT_INVOKE_BODY } from './tenant-gate';

type AuthenticatedRequest = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;

/** What the HTTP answer to one incoming activity should be. */
export interface HttpAnswer {
  status: number;
  body?: unknown;
}

const UNAUTHENTICATED_BODY = { code: 'UNAUTHENTICATED', message: 'A valid Bot Framework token is required.' } as const;

/** The SDK's token checks throw its own errors, or jsonwebtoken's: keep their message, short, for the log. */
function refusalReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, 200);
}

/** As CloudAdapter.process does before a turn: ISO time strings become Dates, the text is kept. */
function readTimes(activity: Activity): void {
  const fields = activity as unknown as Record<string, unknown>;
  for (const [name, raw] of [
    ['timestamp', 'rawTimestamp'],
    ['localTimestamp', 'rawLocalTimestamp'],
    ['expiration', 'rawExpiration'],
  ] as const) {
    const value = fields[name];
    if (typeof value === 'string') {
      fields[raw] = value;
      fields[name] = new Date(value);
    }
  }
}

/**
 * The Bot Framework adapter, taking each request in three steps that CloudAdapter.process
 * runs as one: who is calling (the Bot Framework token; in local mode there is none to
 * check), which tenant they are from (ALLOWED_TENANT_IDS), and only then the turn. Doing
 * the steps here means every refused token is a 401 (the SDK answers 500 when the token
 * library, not the SDK, spots a bad signature), it is logged as one JSON line, and a
 * refused request never reaches a handler, so nothing is stored and nothing is sent.
 */
export class QaAdapter extends CloudAdapter {
  constructor(
    authentication: ConfigurationBotFrameworkAuthentication,
    private readonly allowedTenantIds: readonly string[],
    private readonly logger: Logger,
  ) {
    super(authentication);
  }

  async handle(activity: Activity, authorization: string, logic: (context: TurnContext) => Promise<void>): Promise<HttpAnswer> {
    readTimes(activity);
    let authenticated: AuthenticatedRequest;
    try {
      authenticated = await this.botFrameworkAuthentication.authenticateRequest(activity, authorization);
    } catch (error) {
      this.logger.warn({ activityType: activity.type, reason: refusalReason(error) }, 'request refused: no valid Bot Framework token');
      return { status: 401, body: UNAUTHENTICATED_BODY };
    }
    const tenant = decideTenant(this.allowedTenantIds, activity);
    if (!tenant.allowed) {
      // The tenant and the activity type only: never the text, which may be about a child.
      this.logger.warn({ tenantId: tenant.tenantId, activityType: activity.type }, 'activity refused: tenant not in ALLOWED_TENANT_IDS');
      // 200 and nothing done: the Bot Connector takes it as delivered and does not retry.
      return activity.type === 'invoke' ? { status: 200, body: REFUSED_TENANT_INVOKE_BODY } : { status: 200 };
    }
    const invokeResponse = await this.processActivity(authenticated, activity, logic);
    return invokeResponse === undefined ? { status: 200 } : { status: invokeResponse.status, body: invokeResponse.body };
  }
}

/**
 * With no MicrosoftAppId it runs in local mode (no JWT), as the Bot Framework tools and
 * the Agents Playground expect; with one, every request must carry a valid Bot Framework
 * token, checked against the settings in config.botFrameworkAuth.
 */
export function createAdapter(config: Config, logger: Logger): QaAdapter {
  const settings: ConfigurationBotFrameworkAuthenticationOptions = {
    ...config.botFrameworkAuth,
    MicrosoftAppId: config.microsoftAppId,
    MicrosoftAppPassword: config.microsoftAppPassword,
    MicrosoftAppType: config.microsoftAppType,
    MicrosoftAppTenantId: config.microsoftAppTenantId,
  };
  const adapter = new QaAdapter(new ConfigurationBotFrameworkAuthentication(settings), config.allowedTenantIds, logger);
  if (!config.localMode && config.allowedTenantIds.length === 0) {
    logger.warn({ setting: 'ALLOWED_TENANT_IDS' }, 'ALLOWED_TENANT_IDS is not set: activities from every Microsoft 365 tenant are accepted');
  }

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
