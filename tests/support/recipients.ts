import type { Repositories } from '../../db/repositories';
import { BOT, TENANT_ID } from './teams-client';

export interface Recipient {
  staffId: string;
  conversationId: string;
}

/**
 * A member of staff with a saved personal chat whose service URL is a connector
 * stand-in: someone the delivery worker can reach. Used by delivery tests and the bench.
 */
export async function addRecipient(repos: Repositories, serviceUrl: string, label: string): Promise<Recipient> {
  const now = new Date();
  const staff = await repos.staff.insert({ email: `${label}@example.org`, name: `Person ${label}`, tier: 'practitioner', service: 'Fostering', team: 'Team A', roles: [] }, now);
  const conversationId = `a:personal-${label}`;
  await repos.conversations.save(
    {
      conversationId,
      scope: 'personal',
      tenantId: TENANT_ID,
      aadObjectId: null,
      staffId: staff.id,
      teamId: null,
      channelId: null,
      serviceUrl,
      reference: {
        channelId: 'msteams',
        serviceUrl,
        conversation: { id: conversationId, conversationType: 'personal', tenantId: TENANT_ID },
        bot: BOT,
        user: { id: `29:${label}` },
      },
    },
    now,
  );
  return { staffId: staff.id, conversationId };
}
