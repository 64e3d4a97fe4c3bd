import { randomUUID } from 'node:crypto';
import type { ConnectorStandIn, TeamsMember } from './connector-stand-in';

/**
 * Sends activities to the bot's /api/messages the way Teams does, and reads the
 * bot's replies from the connector stand-in.
 */
export const TENANT_ID = '00000000-0000-0000-0000-0000000000001';
export const BOT = { id: '28:qa-loop-bot', name: 'QA Loop' };

export const people = {
  alex: member('Alex Wilber', 'alexw@example.com', '00000000-0000-0000-0000-0000000000020'),
  megan: member('Megan Bowen', 'meganb@example.com', '00000000-0000-0000-0000-0000000000021'),
  adele: member('Adele Vance', 'adelev@example.com', '00000000-0000-0000-0000-0000000000022'),
};

function member(name: string, email: string, aadObjectId: string): TeamsMember {
  return { id: `29:${aadObjectId}`, aadObjectId, name, email, userPrincipalName: email, tenantId: TENANT_ID };
}

export interface Place {
  conversationId: string;
  conversationType: 'personal' | 'channel' | 'groupChat';
  teamId?: string;
  teamName?: string;
  channelId?: string;
}

export const personalChat = (person: TeamsMember): Place => ({ conversationId: `a:personal-${person.aadObjectId}`, conversationType: 'personal' });
export const teamChannel = (teamName: string): Place => ({
  conversationId: `19:${teamName.replace(/\W/g, '')}@thread.tacv2`,
  conversationType: 'channel',
  teamId: `19:${teamName.replace(/\W/g, '')}@thread.tacv2`,
  teamName,
  channelId: `19:${teamName.replace(/\W/g, '')}@thread.tacv2`,
});

export interface BotResponse {
  status: number;
  body: unknown;
}

export class TeamsClient {
  constructor(
    private readonly botUrl: string,
    private readonly connector: ConnectorStandIn,
  ) {}

  activity(person: TeamsMember, place: Place, fields: Record<string, unknown>): Record<string, unknown> {
    return {
      id: `act-${randomUUID()}`,
      timestamp: new Date().toISOString(),
      channelId: 'msteams',
      serviceUrl: this.connector.url,
      from: { id: person.id, name: person.name, aadObjectId: person.aadObjectId },
      recipient: BOT,
      conversation: {
        id: place.conversationId,
        conversationType: place.conversationType,
        tenantId: TENANT_ID,
        ...(place.conversationType === 'channel' ? { isGroup: true } : {}),
      },
      channelData: {
        tenant: { id: TENANT_ID },
        ...(place.teamId === undefined ? {} : { team: { id: place.teamId, name: place.teamName } }),
        ...(place.channelId === undefined ? {} : { channel: { id: place.channelId } }),
      },
      locale: 'en-GB',
      ...fields,
    };
  }

  async post(activity: unknown, headers: Record<string, string> = {}): Promise<BotResponse> {
    const response = await fetch(this.botUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof activity === 'string' ? activity : JSON.stringify(activity),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body };
  }

  /** Sends a message and returns what the bot posted in reply to it. */
  async say(person: TeamsMember, text: string, place: Place = personalChat(person)): Promise<Record<string, unknown>[]> {
    const activity = this.activity(person, place, {
      type: 'message',
      text: place.conversationType === 'personal' ? text : `<at>${BOT.name}</at> ${text}`,
      textFormat: 'plain',
      ...(place.conversationType === 'personal'
        ? {}
        : { entities: [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT }] }),
    });
    const response = await this.post(activity);
    if (response.status !== 200) throw new Error(`Bot answered ${response.status}: ${JSON.stringify(response.body)}`);
    return this.connector.calls
      .filter((call) => call.kind === 'reply' && call.activityId === activity.id)
      .map((call) => call.activity ?? {});
  }

  /** Presses an Action.Execute button: returns the invoke response body. */
  async press(person: TeamsMember, verb: string, data: Record<string, unknown> = {}, place: Place = personalChat(person)): Promise<BotResponse> {
    return this.post(
      this.activity(person, place, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', id: randomUUID(), verb, data }, trigger: 'manual' },
      }),
    );
  }

  /** Installs the app as Teams does: an installationUpdate and a conversationUpdate adding the bot. */
  async install(person: TeamsMember, place: Place = personalChat(person)): Promise<void> {
    for (const fields of [
      { type: 'installationUpdate', action: 'add' },
      { type: 'conversationUpdate', membersAdded: [{ id: BOT.id }] },
    ]) {
      const response = await this.post(this.activity(person, place, fields));
      if (response.status !== 200) throw new Error(`Install answered ${response.status}`);
    }
  }

  async uninstall(person: TeamsMember, place: Place = personalChat(person)): Promise<void> {
    const response = await this.post(this.activity(person, place, { type: 'installationUpdate', action: 'remove' }));
    if (response.status !== 200) throw new Error(`Uninstall answered ${response.status}`);
  }
}

/** The Adaptive Card inside a posted activity, if it has one. */
export function cardOf(activity: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const attachments = activity?.attachments as { contentType?: string; content?: Record<string, unknown> }[] | undefined;
  return attachments?.find((attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

/** Every piece of visible text in a card, joined: for asserting what a person reads. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (typeof node === 'object' && node !== null) {
      const record = node as Record<string, unknown>;
      for (const key of ['text', 'title', 'value', 'label']) if (typeof record[key] === 'string') out.push(record[key] as string);
      Object.values(record).forEach(visit);
    }
  };
  visit(card);
  return out.join('\n');
}
