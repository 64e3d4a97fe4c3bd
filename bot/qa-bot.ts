import { TeamsActivityHandler, TurnContext, type InvokeResponse } from 'botbuilder';
import { firstNameOf } from '../cards/labels';
import { isKnownVerb } from '../cards/verbs';
import { welcomeCard, teamWelcomeCard } from '../cards/welcome.card';
import { QaError } from '../services/errors';
import { mayPress, mayRun, parseCommandLine } from '../services/permissions';
import { callerOf } from './caller';
import { classifyError, loggableError } from './classify-error';
import { commandHandlers } from './commands/registry';
import type { BotDeps } from './deps';
import { recordInstall, recordUninstall } from './install';
import { recordReadReceipt } from './read-receipts';
import { cardInvokeBody, cardMessage, problemCard } from './reply';
import { handleSpotlightThread, mentionsBot } from './spotlight-thread';
import { forgetChannel, saveTeamChannels } from './team-channels';
import { verbHandlers } from './verbs/registry';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Routes Teams activities: installs, typed commands and card button presses. Each
 * command and verb has its own handler; this class only decides which one runs.
 */
export class QaBot extends TeamsActivityHandler {
  constructor(private readonly deps: BotDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient.id;
      if ((context.activity.membersAdded ?? []).some((member) => member.id === botId)) await this.handleInstall(context);
      await next();
    });
    this.onMembersRemoved(async (context, next) => {
      const botId = context.activity.recipient.id;
      if ((context.activity.membersRemoved ?? []).some((member) => member.id === botId)) await recordUninstall(context, this.deps);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.handleInstall(context);
      await next();
    });
    // A channel made, renamed or removed in a team: the channels offered for a spotlight follow.
    this.onTeamsChannelCreatedEvent(async (_channel, team, context, next) => {
      if (team.id !== undefined) await saveTeamChannels(context, this.deps, team.id, team.name);
      await next();
    });
    this.onTeamsChannelRenamedEvent(async (_channel, team, context, next) => {
      if (team.id !== undefined) await saveTeamChannels(context, this.deps, team.id, team.name);
      await next();
    });
    this.onTeamsChannelDeletedEvent(async (channel, _team, context, next) => {
      if (channel.id !== undefined) await forgetChannel(this.deps, channel.id);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await recordUninstall(context, this.deps);
      await next();
    });
    // A person read their personal chat up to a message: their briefing copies up to it count as read.
    this.onTeamsReadReceiptEvent(async (receipt, context, next) => {
      await recordReadReceipt(context, this.deps, receipt);
      await next();
    });
  }

  /** Teams may announce one install twice (installationUpdate and conversationUpdate): welcome once. */
  private async handleInstall(context: TurnContext): Promise<void> {
    const caller = context.activity.conversation.conversationType === 'personal' || context.activity.conversation.conversationType === undefined
      ? await callerOf(context, this.deps)
      : undefined;
    const { scope, outcome, placeName } = await recordInstall(context, this.deps, caller);
    if (outcome === 'refreshed') return;
    if (scope === 'personal') {
      const known = caller?.staff !== undefined;
      await context.sendActivity(
        cardMessage(
          welcomeCard({
            personName: caller?.staff === undefined ? '' : firstNameOf(caller.staff.name),
            nextStep: known
              ? 'type "my tasks" to see your QA activity. Each active month it arrives here on the first working day.'
              : 'you are not on the QA rota yet. The QA service adds managers to it; until then you can ask me for help.',
          }),
        ),
      );
    } else {
      await context.sendActivity(cardMessage(teamWelcomeCard({ placeName })));
    }
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    // Replies in a spotlight's thread are counted, and questions to the bot there answered (bot/spotlight-thread.ts).
    if (await handleSpotlightThread(context, this.deps)) return;
    // With the channel-messages permission every channel message arrives: only those to the bot are for it.
    if (context.activity.conversation.conversationType === 'channel' && !mentionsBot(context)) return;
    const text = (TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '').trim();
    const parsed = parseCommandLine(text);
    const command = parsed?.name;
    if (command === undefined) {
      // The text is never echoed back: people may type a child's details by mistake.
      await context.sendActivity(
        text === ''
          ? 'That card is out of date, so nothing was saved. Type "help" to see what I can do.'
          : 'Sorry, I did not recognise that. Type "help" to see what I can do.',
      );
      return;
    }
    const caller = await callerOf(context, this.deps);
    if (!mayRun(caller.roles, command)) {
      await context.sendActivity(
        cardMessage(problemCard(new QaError('FORBIDDEN', `Role check refused ${command}`, {
          userMessage: `"${command}" is for the QA service. Type "help" to see what you can use.`,
        }))),
      );
      return;
    }
    const personal = context.activity.conversation.conversationType === 'personal' || context.activity.conversation.conversationType === undefined;
    const card = await commandHandlers[command]({ caller, deps: this.deps, args: parsed?.args ?? '', personal });
    await context.sendActivity(cardMessage(card));
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name !== 'adaptiveCard/action') return super.onInvokeActivity(context);
    return { status: 200, body: cardInvokeBody(await this.handleCardAction(context)) };
  }

  /** Every card press gets a card back, never an HTTP error: Teams shows it in place. */
  private async handleCardAction(context: TurnContext) {
    const value: unknown = context.activity.value;
    const action = isRecord(value) ? value.action : undefined;
    if (!isRecord(action) || action.type !== 'Action.Execute' || typeof action.verb !== 'string') {
      return problemCard(new QaError('INVALID_INPUT', 'Malformed adaptiveCard/action value', {
        userMessage: 'That button sent something QA Loop could not read. Please try again from a fresh card: type "help".',
      }));
    }
    const verb = action.verb;
    if (!isKnownVerb(verb)) {
      this.deps.logger.warn({ verb: verb.slice(0, 80) }, 'unknown card verb');
      return problemCard(new QaError('UNKNOWN_VERB', 'Unknown verb'));
    }
    const data = action.data === undefined ? {} : action.data;
    if (!isRecord(data)) {
      return problemCard(new QaError('INVALID_INPUT', 'Card data is not an object', {
        userMessage: 'That button sent something QA Loop could not read. Please try again from a fresh card: type "help".',
      }));
    }
    try {
      const caller = await callerOf(context, this.deps);
      if (!mayPress(caller.roles, verb)) {
        this.deps.logger.warn({ verb, roles: caller.roles }, 'card action refused by role');
        return problemCard(new QaError('FORBIDDEN', `Role check refused ${verb}`));
      }
      return await verbHandlers[verb]({ caller, deps: this.deps, data });
    } catch (error) {
      const problem = classifyError(error);
      this.deps.logger.error({ code: problem.code, verb, err: loggableError(problem) }, 'card action failed');
      return problemCard(problem);
    }
  }
}

