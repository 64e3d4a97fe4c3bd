import type { Kysely } from 'kysely';
import { AssignmentRepository } from './assignment.repository';
import { AuditRepository } from './audit.repository';
import { ConversationRepository } from './conversation.repository';
import { JobRunRepository } from './job-run.repository';
import { OutboxRepository } from './outbox.repository';
import { RotaRepository } from './rota.repository';
import type { Database, DialectName } from './schema';
import { StaffRepository } from './staff.repository';

/** Every repository, built once per database handle. */
export interface Repositories {
  staff: StaffRepository;
  conversations: ConversationRepository;
  audit: AuditRepository;
  jobRuns: JobRunRepository;
  outbox: OutboxRepository;
  rota: RotaRepository;
  assignments: AssignmentRepository;
}

export function createRepositories(db: Kysely<Database>, dialect: DialectName): Repositories {
  return {
    staff: new StaffRepository(db, dialect),
    conversations: new ConversationRepository(db),
    audit: new AuditRepository(db, dialect),
    jobRuns: new JobRunRepository(db, dialect),
    outbox: new OutboxRepository(db, dialect),
    rota: new RotaRepository(db),
    assignments: new AssignmentRepository(db),
  };
}
