import type { Kysely } from 'kysely';
import { ActionRepository } from './action.repository';
import { AssignmentRepository } from './assignment.repository';
import { AuditRepository } from './audit.repository';
import { BriefingCopyRepository } from './briefing-copy.repository';
import { BriefingRepository } from './briefing.repository';
import { ConversationRepository } from './conversation.repository';
import { ComplaintRepository, FeedbackRepository } from './feedback.repository';
import { FocusDayRepository } from './focus-day.repository';
import { FormResponseRepository } from './form-response.repository';
import { FormRepository } from './form.repository';
import { JobRunRepository } from './job-run.repository';
import { ObservationRepository } from './observation.repository';
import { OutboxRepository } from './outbox.repository';
import { ReportRepository } from './report.repository';
import { RetentionRepository } from './retention.repository';
import { ReviewRepository } from './review.repository';
import { RotaRepository } from './rota.repository';
import { ThemeRepository } from './theme.repository';
import { SpotlightRepository } from './spotlight.repository';
import type { Database, DialectName } from './schema';
import { StaffRepository } from './staff.repository';
import { SubjectAccessRepository } from './subject-access.repository';

/** Every repository, built once per database handle. */
export interface Repositories {
  staff: StaffRepository;
  conversations: ConversationRepository;
  audit: AuditRepository;
  jobRuns: JobRunRepository;
  outbox: OutboxRepository;
  rota: RotaRepository;
  assignments: AssignmentRepository;
  forms: FormRepository;
  reviews: ReviewRepository;
  responses: FormResponseRepository;
  actions: ActionRepository;
  observations: ObservationRepository;
  focusDays: FocusDayRepository;
  feedback: FeedbackRepository;
  complaints: ComplaintRepository;
  reports: ReportRepository;
  retention: RetentionRepository;
  themes: ThemeRepository;
  spotlights: SpotlightRepository;
  subjectAccess: SubjectAccessRepository;
  briefings: BriefingRepository;
  briefingCopies: BriefingCopyRepository;
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
    forms: new FormRepository(db, dialect),
    reviews: new ReviewRepository(db),
    responses: new FormResponseRepository(db),
    actions: new ActionRepository(db),
    observations: new ObservationRepository(db),
    focusDays: new FocusDayRepository(db),
    retention: new RetentionRepository(db),
    themes: new ThemeRepository(db),
    spotlights: new SpotlightRepository(db),
    subjectAccess: new SubjectAccessRepository(db),
    briefings: new BriefingRepository(db, dialect),
    briefingCopies: new BriefingCopyRepository(db, dialect),
    feedback: new FeedbackRepository(db),
    complaints: new ComplaintRepository(db),
    reports: new ReportRepository(db),
  };
}
