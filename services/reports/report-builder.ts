import { nextMonth } from '../calendar';
import type { ServiceContext } from '../context';
import { QaError } from '../errors';
import { feedbackKinds, isFeedbackKind, type FeedbackKind } from '../feedback/feedback';
import { gradeChange, isGrade, type Grade } from '../forms/grades';
import { QA_KINDS, type QaKind } from '../rota';
import { closingTheLoopFigures } from './closing-loop-figures';
import { feedbackSources, observationSettings, settingLabel, sourceLabel } from './labels';
import { firstDayOf, lastDayOf, twelveMonthsTo } from './period';
import type {
  ActionFigures,
  ActivityFigures,
  ComplaintFigures,
  Excusal,
  FeedbackFigures,
  GradeFigures,
  ModerationFigures,
  QaReport,
  RecordKind,
  RecordRef,
  SectionGrades,
  SettingFigures,
  TrendPoint,
} from './report';
import { scopeFilter, scopeLabel, type ReportRequest } from './scope';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly RecordRef[] ? RecordRef[] : T[K] };

const isKind = (value: string): value is QaKind => (QA_KINDS as readonly string[]).includes(value);

const emptyActivity = (): Mutable<ActivityFigures> => ({ assigned: [], excused: [], expected: [], completed: [], onTime: [], late: [], overdue: [], notYetDue: [] });

function emptyGrades(): GradeFigures & { byGrade: Record<Grade, RecordRef[]>; all: RecordRef[]; goodOrBetter: RecordRef[] } {
  return { byGrade: { outstanding: [], good: [], requires_improvement: [], inadequate: [] }, all: [], goodOrBetter: [] };
}

function addGrade(figures: ReturnType<typeof emptyGrades>, grade: Grade, ref: RecordRef): void {
  figures.byGrade[grade].push(ref);
  figures.all.push(ref);
  if (grade === 'outstanding' || grade === 'good') figures.goodOrBetter.push(ref);
}

const TITLES = { monthly: 'Monthly QA report', quarterly: 'Quarterly QA report', yearly: 'Yearly QA report' } as const;

/** The section grade questions of the records review (every version), in the latest version's order, with their section's title. */
function sectionQuestions(forms: { version: number; definition: { sections: { title: string; questions: { id: string; type: string }[] }[] } }[]): Map<string, string> {
  const questions = new Map<string, string>();
  for (const form of [...forms].sort((a, b) => b.version - a.version)) {
    for (const section of form.definition.sections) {
      for (const question of section.questions) {
        if (question.type === 'grade' && question.id !== 'overall_grade' && !questions.has(question.id)) questions.set(question.id, section.title);
      }
    }
  }
  return questions;
}

function parseAnswers(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Builds a report: reads each kind of record once for the period (and the twelve months
 * of the trend), then counts. What the figures mean is written beside each in report.ts
 * and in the README's "Reports" section.
 */
export async function buildReport(context: Pick<ServiceContext, 'repos' | 'calendar' | 'clock'>, request: ReportRequest): Promise<QaReport> {
  const { calendar, repos } = context;
  const { period, scope } = request;
  const now = context.clock.now();
  const periodStart = calendar.londonTime(firstDayOf(period.first), '00:00');
  const periodEnd = calendar.londonTime(firstDayOf(nextMonth(period.last)), '00:00');
  if (now.getTime() < periodStart.getTime()) {
    throw new QaError('INVALID_INPUT', 'report period in the future', { userMessage: `${period.label} has not started yet, so there is nothing to report.` });
  }
  const partial = now.getTime() < periodEnd.getTime();
  const asAt = partial ? now : periodEnd;
  /** Deadlines before this London day had passed at the as-at moment. */
  const asAtDay = calendar.londonDateOf(asAt);
  const asAtIso = asAt.toISOString();
  const startIso = periodStart.toISOString();
  const trendMonths = twelveMonthsTo(period.last);
  const trendFirst = trendMonths[0] ?? period.first;
  const trendStartIso = calendar.londonTime(firstDayOf(trendFirst), '00:00').toISOString();
  const filter = scopeFilter(scope);
  // London's offset changes only on the hour, so the UTC hour settles the London day: worked out once per hour seen.
  const days = new Map<string, string>();
  const dayOf = (iso: string): string => {
    const hour = iso.slice(0, 13);
    let day = days.get(hour);
    if (day === undefined) {
      day = calendar.londonDateOf(new Date(iso));
      days.set(hour, day);
    }
    return day;
  };

  const [assignments, reviews, answers, recordsForms, observations, feedback, complaints, actions, spotlights, replies, copies, usage] = await Promise.all([
    repos.reports.assignments(period.first, period.last, filter),
    repos.reports.finalReviews(trendStartIso, asAtIso, filter),
    repos.reports.finalRecordsAnswers(startIso, asAtIso, filter),
    repos.forms.listVersions('records_review'),
    repos.reports.observations(firstDayOf(trendFirst), lastDayOf(period.last), asAtIso, filter),
    repos.reports.feedback(period.first, period.last, asAtIso, filter),
    repos.reports.complaints(firstDayOf(period.first), lastDayOf(period.last), asAtIso, filter),
    repos.reports.actions(startIso, asAtIso, filter),
    repos.reports.spotlights(period.first, period.last, asAtIso),
    repos.reports.spotlightReplies(period.first, period.last, asAtIso),
    repos.reports.briefingCopies(startIso, asAtIso, filter),
    repos.reports.briefingUsage(startIso, asAtIso, filter),
  ]);
  const ref = (kind: RecordKind, row: { id: string; service: string; team: string }, date: string, note?: string): RecordRef =>
    note === undefined ? { kind, id: row.id, date, service: row.service, team: row.team } : { kind, id: row.id, date, service: row.service, team: row.team, note };

  // ---------------------------------------------------------------- QA activity
  const byKind = Object.fromEntries(QA_KINDS.map((kind) => [kind, emptyActivity()])) as Record<QaKind, Mutable<ActivityFigures>>;
  const all = emptyActivity();
  const excusals: Excusal[] = [];
  const dueDates = new Map<string, string>();
  for (const row of assignments) {
    if (!isKind(row.kind)) continue;
    const targets = [all, byKind[row.kind]];
    const push = (field: keyof ActivityFigures, record: RecordRef): void => targets.forEach((target) => target[field].push(record));
    const record = ref('assignment', row, row.month, row.status === 'excused' ? (row.excuseReason ?? '') : undefined);
    push('assigned', record);
    if (row.status === 'excused') {
      push('excused', record);
      excusals.push({ assignmentId: row.id, name: row.name, service: row.service, team: row.team, month: row.month, kind: row.kind, reason: row.excuseReason ?? '' });
      continue;
    }
    push('expected', record);
    let due = dueDates.get(row.month);
    if (due === undefined) {
      due = calendar.lastWorkingDay(row.month);
      dueDates.set(row.month, due);
    }
    if (row.status === 'done' && row.completedAt !== null && row.completedAt < asAtIso) {
      const done = ref('assignment', row, dayOf(row.completedAt));
      push('completed', done);
      push(done.date <= due ? 'onTime' : 'late', done);
    } else {
      push(due < asAtDay ? 'overdue' : 'notYetDue', record);
    }
  }

  // ---------------------------------------------------------------- grades, moderation, trend
  const periodMonths = new Set(period.months);
  const trend = new Map<string, { reviews: ReturnType<typeof emptyGrades>; observations: ReturnType<typeof emptyGrades> }>(
    trendMonths.map((month) => [month, { reviews: emptyGrades(), observations: emptyGrades() }]),
  );
  const finalReviews = emptyGrades();
  const moderation: Mutable<ModerationFigures> = { moderated: [], agreed: [], moderatorHigher: [], moderatorLower: [] };
  const reviewById = new Map<string, { id: string; service: string; team: string; day: string }>();
  for (const row of reviews) {
    if (!isGrade(row.finalGrade)) continue;
    const day = dayOf(row.moderatedAt);
    const record = ref('review', row, day);
    const point = trend.get(day.slice(0, 7));
    if (point !== undefined) addGrade(point.reviews, row.finalGrade, record);
    if (row.moderatedAt < startIso) continue;
    reviewById.set(row.id, { id: row.id, service: row.service, team: row.team, day });
    addGrade(finalReviews, row.finalGrade, record);
    if (!isGrade(row.reviewerGrade)) continue;
    moderation.moderated.push(record);
    const change = gradeChange(row.reviewerGrade, row.finalGrade);
    (change === 0 ? moderation.agreed : change > 0 ? moderation.moderatorHigher : moderation.moderatorLower).push(record);
  }

  const questions = sectionQuestions(recordsForms);
  const sectionFigures = new Map<string, ReturnType<typeof emptyGrades>>([...questions.keys()].map((question) => [question, emptyGrades()]));
  for (const row of answers) {
    const review = reviewById.get(row.reviewId);
    if (review === undefined) continue;
    const given = parseAnswers(row.answersJson);
    for (const [question, figures] of sectionFigures) {
      const grade = given[question];
      if (isGrade(grade)) addGrade(figures, grade, ref('review', review, review.day));
    }
  }
  // A question of an older form version nobody answered in the period is left out; the latest version's are always shown.
  const latest = [...recordsForms].sort((a, b) => b.version - a.version)[0];
  const latestQuestions = new Set(latest?.definition.sections.flatMap((section) => section.questions.map((question) => question.id)) ?? []);
  const sections: SectionGrades[] = [...sectionFigures]
    .filter(([question, figures]) => latestQuestions.has(question) || figures.all.length > 0)
    .map(([question, figures]) => ({ question, title: questions.get(question) ?? question, grades: figures }));

  // ---------------------------------------------------------------- observations
  const observationGrades = emptyGrades();
  const observationsAll: RecordRef[] = [];
  const onFocusDays: RecordRef[] = [];
  const bySetting = new Map<string, RecordRef[]>(observationSettings().map((choice) => [choice.value, []]));
  for (const row of observations) {
    const record = ref('observation', row, row.observedOn);
    const month = row.observedOn.slice(0, 7);
    if (isGrade(row.grade)) {
      const point = trend.get(month);
      if (point !== undefined) addGrade(point.observations, row.grade, record);
    }
    if (!periodMonths.has(month)) continue;
    observationsAll.push(record);
    if (isGrade(row.grade)) addGrade(observationGrades, row.grade, record);
    if (row.focusDayId !== null) onFocusDays.push(record);
    const setting = row.setting ?? '';
    const list = bySetting.get(setting) ?? [];
    list.push(record);
    bySetting.set(setting, list);
  }
  const settings: SettingFigures[] = [...bySetting].map(([setting, records]) => ({ setting, label: settingLabel(setting), records }));

  // ---------------------------------------------------------------- family feedback
  const sourceList = feedbackSources().map((choice) => ({ source: choice.value, label: choice.title }));
  const feedbackFigures: FeedbackFigures & { all: RecordRef[] } = {
    all: [],
    byKind: { compliment: [], comment: [], complaint: [] },
    byKindAndSource: Object.fromEntries(feedbackKinds.map((kind) => [kind, Object.fromEntries(sourceList.map((entry) => [entry.source, [] as RecordRef[]]))])) as Record<FeedbackKind, Record<string, RecordRef[]>>,
    sources: sourceList,
  };
  for (const row of feedback) {
    if (!isFeedbackKind(row.kind)) continue;
    const record = ref('feedback', row, row.month);
    feedbackFigures.all.push(record);
    (feedbackFigures.byKind[row.kind] as RecordRef[]).push(record);
    const bySource = feedbackFigures.byKindAndSource[row.kind] as Record<string, RecordRef[]>;
    if (bySource[row.source] === undefined) {
      for (const kind of feedbackKinds) (feedbackFigures.byKindAndSource[kind] as Record<string, RecordRef[]>)[row.source] = [];
      feedbackFigures.sources.push({ source: row.source, label: sourceLabel(row.source) });
    }
    (bySource[row.source] as RecordRef[]).push(record);
  }

  // ---------------------------------------------------------------- complaints
  const complaintFigures: Mutable<ComplaintFigures> = {
    received: [],
    acknowledgedInTime: [],
    acknowledgedLate: [],
    acknowledgementOverdue: [],
    acknowledgementPending: [],
    respondedInTime: [],
    respondedLate: [],
    overdue: [],
    awaitingResponse: [],
    extended: [],
  };
  const happened = (iso: string | null): string | undefined => (iso !== null && iso < asAtIso ? dayOf(iso) : undefined);
  for (const row of complaints) {
    const record = ref('complaint', row, row.receivedOn);
    complaintFigures.received.push(record);
    if (happened(row.extendedAt) !== undefined) complaintFigures.extended.push(record);
    const acknowledged = happened(row.acknowledgedAt);
    if (acknowledged !== undefined) complaintFigures[acknowledged <= row.acknowledgeBy ? 'acknowledgedInTime' : 'acknowledgedLate'].push(ref('complaint', row, acknowledged));
    else complaintFigures[row.acknowledgeBy < asAtDay ? 'acknowledgementOverdue' : 'acknowledgementPending'].push(ref('complaint', row, row.acknowledgeBy));
    const responded = happened(row.respondedAt);
    if (responded !== undefined) complaintFigures[responded <= row.respondBy ? 'respondedInTime' : 'respondedLate'].push(ref('complaint', row, responded));
    else complaintFigures[row.respondBy < asAtDay ? 'overdue' : 'awaitingResponse'].push(ref('complaint', row, row.respondBy));
  }

  // ---------------------------------------------------------------- actions
  const actionFigures: Mutable<ActionFigures> = { opened: [], completed: [], completedOnTime: [], completedLate: [], overdue: [] };
  for (const row of actions) {
    if (row.createdAt >= startIso) actionFigures.opened.push(ref('action', row, dayOf(row.createdAt)));
    const completed = happened(row.completedAt);
    if (completed !== undefined) {
      if (row.completedAt !== null && row.completedAt >= startIso) {
        const record = ref('action', row, completed);
        actionFigures.completed.push(record);
        actionFigures[completed <= row.dueDate ? 'completedOnTime' : 'completedLate'].push(record);
      }
    } else if (row.dueDate < asAtDay) {
      actionFigures.overdue.push(ref('action', row, row.dueDate));
    }
  }

  const trendPoints: TrendPoint[] = trendMonths.map((month) => {
    const point = trend.get(month)!;
    return { month, reviews: point.reviews, observations: point.observations };
  });
  return {
    request,
    title: `${TITLES[period.kind]}: ${period.label}`,
    periodLabel: period.label,
    scopeLabel: scopeLabel(scope),
    asAt,
    asAtDate: partial ? asAtDay : lastDayOf(period.last),
    partial,
    generatedAt: now,
    activeMonths: period.months.filter((month) => calendar.isActiveMonth(month)),
    pausedMonths: period.months.filter((month) => !calendar.isActiveMonth(month)),
    activity: { byKind, all, excusals },
    grades: { finalReviews, sections, observations: observationGrades },
    trend: trendPoints,
    moderation,
    observations: { all: observationsAll, bySetting: settings, onFocusDays },
    feedback: feedbackFigures,
    complaints: complaintFigures,
    actions: actionFigures,
    closingTheLoop: closingTheLoopFigures({ spotlights, replies, copies, usage }, happened, scope.kind === 'trust'),
  };
}
