/** One entry of the append-only audit trail: who did what to which record, from where. */
export type AuditSource = 'card' | 'command' | 'cli' | 'job' | 'system';

export interface AuditEntry {
  actor: string;
  actorRole: string | null;
  action: string;
  recordKind: string;
  recordId: string | null;
  source: AuditSource;
  /** Identifiers and outcomes only; never free text a person typed. */
  detail?: Record<string, unknown>;
}

export interface StoredAuditEntry extends AuditEntry {
  id: string;
  at: Date;
}
