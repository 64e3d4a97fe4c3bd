import type { Grade } from '../forms/grades';

/**
 * A month's spotlight: the thematic findings collated from the managers' dip-samples and
 * the moderated reviews and observations that bear on the theme, edited by the QA manager
 * and posted as a new thread in each chosen channel.
 */
export interface SpotlightFigures {
  /** Managers whose thematic review of this theme was submitted. */
  managers: number;
  casesSampled: number;
  /** Each dip-sample question with its answers counted (choice answers by option; text answers counted as given). */
  questions: { key: string; label: string; answered: number; counts: { answer: string; count: number }[] }[];
  /** Overall grades of the month's moderated reviews and observations (the moderator's grade where moderated). */
  grades: { grade: Grade; count: number }[];
  reviewsConsidered: number;
  observationsConsidered: number;
}

/** What the QA manager writes or chooses on top of the figures. */
export interface SpotlightEdits {
  headline: string;
  strengths: string[];
  gaps: string[];
  /** A few quotes chosen by the QA manager from the answers (never with a child's name). */
  quotes: string[];
}

export interface SpotlightContent {
  figures: SpotlightFigures;
  edits: SpotlightEdits;
  /** The channels (conversation ids) the QA manager chose; absent until chosen, when the theme's channels apply. */
  channels?: string[];
}

/** A team channel the bot can post in, as offered for choosing. */
export interface ChannelOption {
  conversationId: string;
  name: string;
}

export type SpotlightStatus = 'draft' | 'posted';

export interface Spotlight {
  id: string;
  themeId: string;
  month: string;
  status: SpotlightStatus;
  content: SpotlightContent;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  postedBy: string | null;
  postedAt: Date | null;
}

/** The spotlight's thread in one channel. */
export interface SpotlightPost {
  id: string;
  spotlightId: string;
  conversationId: string;
  channelName: string;
  outboxKey: string;
  /** Set once the thread's first message is posted: the thread is `<conversationId>;messageid=<rootActivityId>`. */
  rootActivityId: string | null;
  createdAt: Date;
}
