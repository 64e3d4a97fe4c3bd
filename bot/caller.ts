import { TeamsInfo, type TurnContext } from 'botbuilder';
import { identifyCaller, type Caller } from '../services/identity';
import type { BotDeps } from './deps';

/** Works out who sent this activity, asking Teams for their email only when needed. */
export async function callerOf(context: TurnContext, deps: BotDeps): Promise<Caller> {
  const from = context.activity.from;
  const aadObjectId = typeof from?.aadObjectId === 'string' && from.aadObjectId !== '' ? from.aadObjectId : undefined;
  return identifyCaller(
    deps.repos.staff,
    {
      aadObjectId,
      lookUpEmail: async () => {
        try {
          const member = await TeamsInfo.getMember(context, from.id);
          return member.email ?? member.userPrincipalName ?? undefined;
        } catch (error) {
          // Not every channel can answer a member look-up; the person is then simply unknown.
          deps.logger.debug({ err: error instanceof Error ? error.message : String(error) }, 'member look-up failed');
          return undefined;
        }
      },
    },
    deps.clock.now(),
  );
}
