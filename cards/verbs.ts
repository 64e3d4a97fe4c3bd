/**
 * Every Action.Execute verb the bot's cards use, defined once: the card templates
 * refer to these names and the bot's verb registry has one handler for each.
 */
export const Verbs = {
  showHelp: 'help.show',
  aboutCycle: 'help.about',
  startAssignment: 'assignment.start',
  completeAssignment: 'assignment.complete',
  requestChange: 'assignment.request',
  decideRequest: 'rota.decide',
  changeRota: 'rota.change',
  beginReview: 'review.begin',
  startReview: 'review.start',
  openReview: 'review.open',
  saveReviewSection: 'review.save',
  submitReview: 'review.submit',
  moderateReview: 'review.moderate',
  overseeReview: 'review.oversee',
  closeAction: 'action.close',
  beginObservation: 'observation.begin',
  startObservation: 'observation.start',
  openObservation: 'observation.open',
  saveObservationSection: 'observation.save',
  submitObservation: 'observation.submit',
  addFocusDay: 'focus-day.add',
  beginThematicReview: 'thematic.begin',
  addThematicSample: 'thematic.sample',
  submitThematicReview: 'thematic.submit',
  saveTheme: 'theme.save',
  openSpotlight: 'spotlight.open',
  collateSpotlight: 'spotlight.collate',
  saveSpotlight: 'spotlight.save',
  postSpotlight: 'spotlight.post',
  openThemes: 'themes.open',
  beginFeedback: 'feedback.begin',
  recordFeedback: 'feedback.record',
  openComplaint: 'complaint.open',
  acknowledgeComplaint: 'complaint.acknowledge',
  respondToComplaint: 'complaint.respond',
  extendComplaint: 'complaint.extend',
  draftBriefing: 'briefing.draft',
  saveBriefing: 'briefing.save',
  previewBriefing: 'briefing.preview',
  submitBriefing: 'briefing.submit',
  approveBriefing: 'briefing.approve',
  sendBackBriefing: 'briefing.send-back',
  openBriefing: 'briefing.open',
  scheduleBriefing: 'briefing.schedule',
  cancelScheduledBriefing: 'briefing.cancel-schedule',
  recallBriefing: 'briefing.recall',
  briefingDelivery: 'briefing.delivery',
  acknowledgeBriefing: 'briefing.acknowledge',
  briefingUsage: 'briefing.usage',
} as const;

export type VerbName = (typeof Verbs)[keyof typeof Verbs];

export const allVerbs: readonly VerbName[] = Object.values(Verbs);

export function isKnownVerb(value: unknown): value is VerbName {
  return typeof value === 'string' && (allVerbs as readonly string[]).includes(value);
}
