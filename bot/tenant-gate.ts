import type { Activity } from 'botbuilder';

/**
 * The tenant allow-list (ALLOWED_TENANT_IDS). Teams puts the sender's Microsoft 365
 * tenant in two places, conversation.tenantId and channelData.tenant.id; every one
 * present must be on the list, and an activity naming no tenant at all is refused.
 * An empty list lets every tenant in.
 */
export type TenantDecision = { allowed: true } | { allowed: false; tenantId: string | null };

export function tenantsOf(activity: Partial<Activity>): string[] {
  const found: string[] = [];
  const fromConversation: unknown = activity.conversation?.tenantId;
  if (typeof fromConversation === 'string' && fromConversation !== '') found.push(fromConversation);
  const channelData: unknown = activity.channelData;
  if (typeof channelData === 'object' && channelData !== null) {
    const tenant: unknown = (channelData as { tenant?: unknown }).tenant;
    const id: unknown = typeof tenant === 'object' && tenant !== null ? (tenant as { id?: unknown }).id : undefined;
    if (typeof id === 'string' && id !== '') found.push(id);
  }
  return found;
}

export function decideTenant(allowedTenantIds: readonly string[], activity: Partial<Activity>): TenantDecision {
  if (allowedTenantIds.length === 0) return { allowed: true };
  const tenants = tenantsOf(activity);
  const outsider = tenants.find((tenant) => !allowedTenantIds.includes(tenant.toLowerCase()));
  if (tenants.length > 0 && outsider === undefined) return { allowed: true };
  // For the log only: at most a GUID's length of what the sender claimed.
  return { allowed: false, tenantId: outsider === undefined ? null : outsider.slice(0, 64) };
}

/**
 * What an invoke from a tenant not on the list gets: HTTP 200 with a plain message,
 * the Universal Actions response Teams shows in place of the card's spinner. A non-200
 * answer to an invoke is taken by Teams and the Bot Connector as the bot failing (the
 * person sees a generic "something went wrong", the bot's channel health records an
 * error), and tells the sender nothing more than this does. Nothing is stored either way.
 */
export const REFUSED_TENANT_INVOKE_BODY = {
  statusCode: 200,
  type: 'application/vnd.microsoft.activity.message',
  value: 'QA Loop is not available to your organisation.',
} as const;
