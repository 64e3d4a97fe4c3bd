/**
 * The Kysely view of the database. Both engines store the same shapes:
 * ids are application-made UUID strings, timestamps are ISO-8601 UTC strings,
 * booleans are 0/1 integers and structured values are JSON text. `values.ts`
 * is the one place that converts them.
 */
export interface StaffTable {
  id: string;
  email: string;
  aad_object_id: string | null;
  name: string;
  tier: string;
  service: string;
  team: string;
  line_manager_id: string | null;
  /** Comma-separated role names, e.g. "manager,moderator". */
  roles: string;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface ConversationRefTable {
  id: string;
  conversation_id: string;
  /** personal, team or groupChat */
  scope: string;
  tenant_id: string | null;
  aad_object_id: string | null;
  staff_id: string | null;
  team_id: string | null;
  channel_id: string | null;
  service_url: string;
  reference_json: string;
  installed: number;
  created_at: string;
  updated_at: string;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor: string;
  actor_role: string | null;
  action: string;
  record_kind: string;
  record_id: string | null;
  /** card, command, cli, job or system */
  source: string;
  detail_json: string | null;
}

export interface JobRunTable {
  id: string;
  job: string;
  period: string;
  /** running, succeeded or failed */
  status: string;
  instance_id: string;
  attempts: number;
  started_at: string;
  lease_until: string;
  finished_at: string | null;
  error: string | null;
}

export interface OutboxTable {
  id: string;
  /** What makes this message unique, e.g. "reminder:2026-09:staff-id". A second enqueue is ignored. */
  dedupe_key: string;
  kind: string;
  conversation_id: string | null;
  staff_id: string | null;
  payload_json: string;
  /** queued, sending, sent, failed, blocked or not_installed */
  status: string;
  attempts: number;
  next_attempt_at: string;
  locked_until: string | null;
  last_error: string | null;
  activity_id: string | null;
  created_at: string;
  sent_at: string | null;
  /** null: a new post; 'update' or 'delete': a change to the posted activity `target_activity_id`. */
  operation: string | null;
  target_activity_id: string | null;
}

export interface RotaMemberTable {
  staff_id: string;
  rotation_offset: number;
  joined_month: string;
  on_rota: number;
  created_at: string;
  updated_at: string;
}

export interface AssignmentTable {
  id: string;
  staff_id: string;
  month: string;
  kind: string;
  status: string;
  excuse_reason: string | null;
  assigned_at: string;
  started_at: string | null;
  completed_at: string | null;
  escalated_at: string | null;
  updated_at: string;
}

export interface RotaOverrideTable {
  id: string;
  staff_id: string;
  month: string;
  action: string;
  kind: string | null;
  reason: string | null;
  decided_by: string;
  created_at: string;
}

export interface RotaRequestTable {
  id: string;
  staff_id: string;
  month: string;
  action: string;
  kind: string | null;
  reason: string;
  status: string;
  decided_by: string | null;
  decided_at: string | null;
  created_at: string;
}

export interface FormTable {
  id: string;
  form_key: string;
  version: number;
  title: string;
  definition_json: string;
  published_by: string;
  published_at: string;
}

export interface ReviewTable {
  id: string;
  assignment_id: string;
  reviewer_id: string;
  practitioner_id: string;
  chair_id: string | null;
  case_reference: string;
  service: string;
  team: string;
  /** draft, submitted, moderated or overseen */
  status: string;
  records_form_id: string;
  reflection_form_id: string;
  family_form_id: string;
  reviewer_grade: string | null;
  final_grade: string | null;
  moderator_id: string | null;
  moderation_reason: string | null;
  moderation_feedback: string | null;
  oversight_by: string | null;
  oversight_directions: string | null;
  created_at: string;
  submitted_at: string | null;
  moderated_at: string | null;
  oversight_at: string | null;
  updated_at: string;
}

export interface FormResponseTable {
  id: string;
  subject_kind: string;
  subject_id: string;
  part: string;
  form_id: string;
  respondent_id: string;
  answers_json: string;
  /** draft or submitted */
  status: string;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
}

export interface ActionTable {
  id: string;
  source_kind: string;
  source_id: string;
  description: string;
  owner_id: string;
  due_date: string;
  /** open or done */
  status: string;
  created_by: string;
  created_at: string;
  reminded_at: string | null;
  overdue_notified_at: string | null;
  completed_at: string | null;
  completed_by: string | null;
  completion_note: string | null;
  updated_at: string;
}

export interface FocusDayTable {
  id: string;
  day: string;
  theme: string;
  created_by: string;
  created_at: string;
}

export interface ObservationTable {
  id: string;
  start_key: string;
  assignment_id: string | null;
  observer_id: string;
  practitioner_id: string;
  service: string;
  team: string;
  observed_on: string | null;
  setting: string | null;
  focus_day_id: string | null;
  /** draft or submitted */
  status: string;
  form_id: string;
  reflection_form_id: string;
  grade: string | null;
  created_at: string;
  submitted_at: string | null;
  updated_at: string;
}

export interface FeedbackTable {
  id: string;
  start_key: string;
  case_reference: string;
  recorded_by: string;
  form_id: string;
  /** compliment, comment or complaint */
  kind: string;
  source: string;
  method: string;
  rating: number | null;
  consent: number;
  practitioner_id: string | null;
  review_id: string | null;
  observation_id: string | null;
  month: string;
  created_at: string;
}

export interface ComplaintTable {
  id: string;
  feedback_id: string;
  officer_id: string;
  stage: number;
  received_on: string;
  acknowledge_by: string;
  respond_by: string;
  /** open, acknowledged or responded */
  status: string;
  acknowledged_at: string | null;
  responded_at: string | null;
  response: string | null;
  extended_at: string | null;
  extension_reason: string | null;
  acknowledge_overdue_at: string | null;
  respond_overdue_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ThemeTable {
  id: string;
  month: string;
  title: string;
  origin: string;
  why: string;
  form_id: string;
  sample_size: number;
  channels_json: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface ThematicReviewTable {
  id: string;
  assignment_id: string;
  theme_id: string;
  reviewer_id: string;
  /** draft or submitted */
  status: string;
  created_at: string;
  submitted_at: string | null;
  updated_at: string;
}

export interface ThematicSampleTable {
  id: string;
  thematic_review_id: string;
  case_reference: string;
  form_id: string;
  answers_json: string;
  created_at: string;
}

export interface SpotlightTable {
  id: string;
  theme_id: string;
  month: string;
  /** draft or posted */
  status: string;
  content_json: string;
  created_by: string;
  created_at: string;
  updated_at: string;
  posted_by: string | null;
  posted_at: string | null;
}

export interface SpotlightPostTable {
  id: string;
  spotlight_id: string;
  conversation_id: string;
  channel_name: string;
  outbox_key: string;
  root_activity_id: string | null;
  created_at: string;
}

export interface SpotlightReplyTable {
  id: string;
  post_id: string;
  activity_id: string;
  author_aad_object_id: string | null;
  mentioned_bot: number;
  created_at: string;
}

export interface BriefingTable {
  id: string;
  title: string;
  /** draft, awaiting_approval, approved, scheduled, sent or recalled */
  status: string;
  parts_json: string;
  spotlight_id: string | null;
  author_id: string;
  approver_id: string | null;
  submitted_at: string | null;
  decided_at: string | null;
  decision_note: string | null;
  audience_json: string | null;
  send_at: string | null;
  sent_at: string | null;
  sent_by: string | null;
  reminder_working_days: number | null;
  reminded_at: string | null;
  recalled_at: string | null;
  recalled_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface BriefingRecipientTable {
  id: string;
  briefing_id: string;
  recipient_key: string;
  /** person or channel */
  kind: string;
  staff_id: string | null;
  conversation_id: string | null;
  service: string | null;
  team: string | null;
  outbox_key: string;
  acknowledged_at: string | null;
  read_at: string | null;
  reminded_at: string | null;
  created_at: string;
}

export interface BriefingUsageTable {
  id: string;
  briefing_id: string;
  team: string;
  recorded_by: string;
  setting: string;
  discussed_on: string;
  notes: string | null;
  created_at: string;
}

export interface Database {
  staff: StaffTable;
  rota_members: RotaMemberTable;
  assignments: AssignmentTable;
  rota_overrides: RotaOverrideTable;
  rota_requests: RotaRequestTable;
  conversation_refs: ConversationRefTable;
  audit_log: AuditLogTable;
  job_runs: JobRunTable;
  outbox: OutboxTable;
  forms: FormTable;
  reviews: ReviewTable;
  form_responses: FormResponseTable;
  actions: ActionTable;
  focus_days: FocusDayTable;
  observations: ObservationTable;
  feedback: FeedbackTable;
  complaints: ComplaintTable;
  themes: ThemeTable;
  thematic_reviews: ThematicReviewTable;
  thematic_samples: ThematicSampleTable;
  spotlights: SpotlightTable;
  spotlight_posts: SpotlightPostTable;
  spotlight_replies: SpotlightReplyTable;
  briefings: BriefingTable;
  briefing_recipients: BriefingRecipientTable;
  briefing_usage: BriefingUsageTable;
}

export type DialectName = 'sqlite' | 'mssql';
