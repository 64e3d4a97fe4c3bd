import { QaError } from '../errors';
import { gradeLabels, grades } from '../forms/grades';
import { feedbackKinds } from '../feedback/feedback';
import { kindLabels, QA_KINDS } from '../rota';
import { feedbackKindLabels } from './labels';
import { monthName } from './period';
import type { ActivityFigures, GradeFigures, QaReport, RecordRef, Tally } from './report';

/**
 * Every figure of a report, flat and named, for the CSV (Power BI, Excel) and for tracing:
 * each has a stable id (e.g. `activity.practice_review.on_time`), the count, the count it
 * is a share of (when it is a percentage), and the records it counts.
 */
export interface Figure {
  id: string;
  section: string;
  label: string;
  count: number;
  /** The figure this is a share of, for a percentage. */
  of?: { id: string; count: number };
  records: Tally;
}

/** A percentage built on fewer records than this says so beside it. */
export const SMALL_SAMPLE = 10;

/** A share as a percentage to one decimal place, or undefined when there is nothing to take it of. */
export const percentOf = (count: number, base: number): number | undefined => (base === 0 ? undefined : Math.round((count * 1000) / base) / 10);

/** "small sample" when the base is under SMALL_SAMPLE, "no records" when it is none. */
export const sampleNote = (base: number): string => (base === 0 ? 'no records' : base < SMALL_SAMPLE ? 'small sample' : '');

/** "80% (n=15)", "75% (n=4, small sample)", "none to count (n=0)": a share, with its sample beside it. */
export function shareText(count: number, base: number): string {
  if (base === 0) return 'none to count (n=0)';
  const percent = Math.round((count * 100) / base);
  return `${percent}% (n=${base}${base < SMALL_SAMPLE ? ', small sample' : ''})`;
}

/** Records in any of the lists, once each. */
export function union(...lists: Tally[]): RecordRef[] {
  const seen = new Set<string>();
  const out: RecordRef[] = [];
  for (const list of lists) {
    for (const record of list) {
      if (seen.has(record.id)) continue;
      seen.add(record.id);
      out.push(record);
    }
  }
  return out;
}

export function reportFigures(report: QaReport): Figure[] {
  const figures: Figure[] = [];
  const add = (section: string, id: string, label: string, records: Tally, of?: { id: string; records: Tally }): void => {
    figures.push({ id, section, label, count: records.length, records, ...(of === undefined ? {} : { of: { id: of.id, count: of.records.length } }) });
  };

  const activity = (key: string, name: string, figuresOf: ActivityFigures): void => {
    const section = 'QA activity';
    const base = { id: `activity.${key}.expected`, records: figuresOf.expected };
    add(section, `activity.${key}.assigned`, `${name}: assigned`, figuresOf.assigned);
    add(section, `activity.${key}.excused`, `${name}: excused`, figuresOf.excused);
    add(section, base.id, `${name}: expected (assigned less excused)`, figuresOf.expected);
    add(section, `activity.${key}.completed`, `${name}: completed`, figuresOf.completed, base);
    add(section, `activity.${key}.on_time`, `${name}: completed on time`, figuresOf.onTime, base);
    add(section, `activity.${key}.late`, `${name}: completed late`, figuresOf.late, base);
    add(section, `activity.${key}.overdue`, `${name}: not completed, past due`, figuresOf.overdue, base);
    add(section, `activity.${key}.not_yet_due`, `${name}: not completed, not yet due`, figuresOf.notYetDue, base);
  };
  activity('all', 'All QA activity', report.activity.all);
  for (const kind of QA_KINDS) activity(kind, kindLabels[kind], report.activity.byKind[kind]);

  const gradeSet = (section: string, key: string, name: string, set: GradeFigures): void => {
    const base = { id: `${key}.all`, records: set.all };
    add(section, base.id, `${name}: graded`, set.all);
    for (const grade of grades) add(section, `${key}.${grade}`, `${name}: ${gradeLabels[grade]}`, set.byGrade[grade], base);
    add(section, `${key}.good_or_better`, `${name}: good or better`, set.goodOrBetter, base);
  };
  gradeSet('Grades', 'grades.reviews', 'Final practice reviews (moderated grade)', report.grades.finalReviews);
  for (const section of report.grades.sections) gradeSet('Grades', `grades.section.${section.question}`, `Records review section "${section.title}" (reviewer's grade)`, section.grades);
  gradeSet('Grades', 'grades.observations', 'Practice observations', report.grades.observations);

  const moderation = report.moderation;
  const moderated = { id: 'moderation.moderated', records: moderation.moderated };
  add('Moderation', moderated.id, 'Final reviews with a reviewer grade and a moderated grade', moderation.moderated);
  add('Moderation', 'moderation.agreed', 'Moderator agreed the reviewer\'s grade', moderation.agreed, moderated);
  add('Moderation', 'moderation.moderator_higher', 'Moderator graded higher than the reviewer', moderation.moderatorHigher, moderated);
  add('Moderation', 'moderation.moderator_lower', 'Moderator graded lower than the reviewer', moderation.moderatorLower, moderated);

  for (const point of report.trend) {
    const name = monthName(point.month);
    const reviews = { id: `trend.${point.month}.reviews`, records: point.reviews.all };
    const observations = { id: `trend.${point.month}.observations`, records: point.observations.all };
    add('Trend', reviews.id, `${name}: final practice reviews`, point.reviews.all);
    add('Trend', `trend.${point.month}.reviews_good_or_better`, `${name}: final practice reviews good or better`, point.reviews.goodOrBetter, reviews);
    add('Trend', observations.id, `${name}: practice observations`, point.observations.all);
    add('Trend', `trend.${point.month}.observations_good_or_better`, `${name}: practice observations good or better`, point.observations.goodOrBetter, observations);
  }

  const observations = { id: 'observations.all', records: report.observations.all };
  add('Observations', observations.id, 'Practice observations', report.observations.all);
  for (const setting of report.observations.bySetting) add('Observations', `observations.setting.${setting.setting || 'not_recorded'}`, `Setting: ${setting.label}`, setting.records, observations);
  add('Observations', 'observations.focus_days', 'On a Practice Focused Day', report.observations.onFocusDays, observations);

  const feedback = { id: 'feedback.all', records: report.feedback.all };
  add('Family feedback', feedback.id, 'Family feedback', report.feedback.all);
  for (const kind of feedbackKinds) {
    add('Family feedback', `feedback.${kind}`, feedbackKindLabels[kind], report.feedback.byKind[kind], feedback);
    for (const source of report.feedback.sources) {
      add('Family feedback', `feedback.${kind}.${source.source}`, `${feedbackKindLabels[kind]} from: ${source.label}`, report.feedback.byKindAndSource[kind][source.source] ?? []);
    }
  }

  const c = report.complaints;
  const received = { id: 'complaints.received', records: c.received };
  const acknowledgement = { id: 'complaints.acknowledgement_decided', records: union(c.acknowledgedInTime, c.acknowledgedLate, c.acknowledgementOverdue) };
  const response = { id: 'complaints.response_decided', records: union(c.respondedInTime, c.respondedLate, c.overdue) };
  add('Complaints', received.id, 'Complaints received', c.received);
  add('Complaints', acknowledgement.id, 'Acknowledged, or past the acknowledgement deadline', acknowledgement.records, received);
  add('Complaints', 'complaints.acknowledged_in_time', 'Acknowledged in time', c.acknowledgedInTime, acknowledgement);
  add('Complaints', 'complaints.acknowledged_late', 'Acknowledged late', c.acknowledgedLate, acknowledgement);
  add('Complaints', 'complaints.acknowledgement_overdue', 'Not acknowledged, deadline passed', c.acknowledgementOverdue, acknowledgement);
  add('Complaints', 'complaints.acknowledgement_pending', 'Not acknowledged, deadline still ahead', c.acknowledgementPending, received);
  add('Complaints', response.id, 'Answered, or past the response deadline', response.records, received);
  add('Complaints', 'complaints.responded_in_time', 'Responded in time', c.respondedInTime, response);
  add('Complaints', 'complaints.responded_late', 'Responded late', c.respondedLate, response);
  add('Complaints', 'complaints.overdue', 'Not responded, deadline passed (overdue)', c.overdue, response);
  add('Complaints', 'complaints.awaiting_response', 'Not responded, deadline still ahead', c.awaitingResponse, received);
  add('Complaints', 'complaints.extended', 'Response deadline extended', c.extended, received);

  const a = report.actions;
  const completed = { id: 'actions.completed', records: a.completed };
  add('Actions', 'actions.opened', 'Actions opened', a.opened);
  add('Actions', completed.id, 'Actions completed', a.completed);
  add('Actions', 'actions.completed_on_time', 'Completed on or before the due date', a.completedOnTime, completed);
  add('Actions', 'actions.completed_late', 'Completed after the due date', a.completedLate, completed);
  add('Actions', 'actions.overdue', 'Open and past the due date (whenever opened)', a.overdue);

  const loop = report.closingTheLoop;
  const spotlightRefs: RecordRef[] = loop.spotlights.map((line) => ({ kind: 'spotlight', id: line.id, date: line.month, service: '', team: '' }));
  add('Spotlights', 'spotlights.posted', 'Spotlights posted (trust-wide)', spotlightRefs);
  add('Spotlights', 'spotlights.replies', 'Replies in spotlight threads', loop.replies);
  for (const line of loop.spotlights) {
    add('Spotlights', `spotlights.${line.month}.replies`, `${line.theme}: thread replies`, line.replies);
    add('Spotlights', `spotlights.${line.month}.questions`, `${line.theme}: questions to the bot`, line.questionsToBot);
  }
  const copies = { id: 'briefings.copies', records: loop.copies };
  const delivered = { id: 'briefings.delivered', records: loop.delivered };
  add('Briefings', copies.id, 'Personal copies of briefings sent', loop.copies);
  add('Briefings', delivered.id, 'Copies delivered', loop.delivered, copies);
  add('Briefings', 'briefings.acknowledged', 'Copies acknowledged', loop.acknowledged, delivered);
  add('Briefings', 'briefings.read', 'Copies with a read receipt', loop.read, delivered);
  add('Briefings', 'briefings.usage', 'Team uses recorded', loop.usage);
  for (const line of loop.briefings) {
    const sent = { id: `briefings.${line.id}.copies`, records: line.copies };
    const mine = { id: `briefings.${line.id}.delivered`, records: line.delivered };
    add('Briefings', sent.id, `${line.title}: personal copies`, line.copies);
    add('Briefings', mine.id, `${line.title}: delivered`, line.delivered, sent);
    add('Briefings', `briefings.${line.id}.not_installed`, `${line.title}: not installed`, line.notInstalled);
    add('Briefings', `briefings.${line.id}.failed`, `${line.title}: failed`, line.failed);
    add('Briefings', `briefings.${line.id}.acknowledged`, `${line.title}: acknowledged`, line.acknowledged, mine);
  }
  for (const team of loop.acknowledgementByTeam) {
    const key = `briefings.team.${team.service}/${team.team}`;
    add('Briefings', `${key}.delivered`, `${team.team}, ${team.service}: copies delivered`, team.delivered);
    add('Briefings', `${key}.acknowledged`, `${team.team}, ${team.service}: acknowledged`, team.acknowledged, { id: `${key}.delivered`, records: team.delivered });
  }
  return figures;
}

/** Finds one figure by id (tests and the card use it). */
export function figure(figures: readonly Figure[], id: string): Figure {
  const found = figures.find((candidate) => candidate.id === id);
  if (found === undefined) throw new QaError('NOT_FOUND', `no figure ${id}`);
  return found;
}
