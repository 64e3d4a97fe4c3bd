import { TeamsInfo, type TurnContext } from 'botbuilder';
import { identifyCaller, type Caller } from '../services/identity';
import type { BotDeps } from './deps';
import { requeueWaitingFor } from './requeue';

/** Works out who sent this activity, asking Teams for their email only when needed. */
export async function callerOf(context: TurnContext, deps: BotDeps): Promise<Caller> {
  const from = context.activity.from;
  const aadObjectId = typeof from?.aadObjectId === 'string' && from.aadObjectId !== '' ? from.aadObjectId : undefined;
  const caller = await identifyCaller(
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
  if (caller.linked && caller.staff !== undefined) {
    const now = deps.clock.now();
    await deps.repos.audit.append(
      { actor: caller.staff.email, actorRole: null, action: 'staff.linked-to-teams', recordKind: 'staff', recordId: caller.staff.id, source: 'system' },
      now,
    );
    // Their personal chat is saved under this Entra id, so what found no chat before can reach them now.
    await requeueWaitingFor(deps, caller.staff.id);
  }
  return caller;
}
