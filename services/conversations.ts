/** Where the bot can reach someone or somewhere: saved when the app is installed. */
export type ConversationScope = 'personal' | 'team' | 'groupChat';

export interface SavedConversation {
  id: string;
  conversationId: string;
  scope: ConversationScope;
  tenantId: string | null;
  aadObjectId: string | null;
  staffId: string | null;
  teamId: string | null;
  channelId: string | null;
  serviceUrl: string;
  /** The Bot Framework conversation reference, kept as the bot gave it. */
  reference: Record<string, unknown>;
  installed: boolean;
  updatedAt: Date;
}

export type ConversationToSave = Omit<SavedConversation, 'id' | 'installed' | 'updatedAt'>;
