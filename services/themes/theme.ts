/** Where a month's theme came from, as the framework lists them. */
export const themeOrigins = ['emt', 'slt', 'pib', 'performance_data', 'other'] as const;
export type ThemeOrigin = (typeof themeOrigins)[number];

export const themeOriginLabels: Record<ThemeOrigin, string> = {
  emt: 'Executive Management Team',
  slt: 'Senior Leadership Team',
  pib: 'Practice Improvement Board',
  performance_data: 'Performance data',
  other: 'Other',
};

/** A month's theme in the QA manager's planner: what managers on thematic duty dip-sample against. */
export interface Theme {
  id: string;
  month: string;
  title: string;
  origin: ThemeOrigin;
  why: string;
  /** The version of the thematic review form holding this theme's questions. */
  formId: string;
  /** How many cases each manager samples. */
  sampleSize: number;
  /** Conversation ids of the channels its spotlight goes to. */
  channels: string[];
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A manager's thematic review: their dip-sample against the month's theme. */
export interface ThematicReview {
  id: string;
  assignmentId: string;
  themeId: string;
  reviewerId: string;
  status: 'draft' | 'submitted';
  createdAt: Date;
  submittedAt: Date | null;
}

export interface ThematicSample {
  id: string;
  thematicReviewId: string;
  caseReference: string;
  formId: string;
  answers: Record<string, string>;
  createdAt: Date;
}
