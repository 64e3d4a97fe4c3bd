import { aboutCard } from '../../cards/about.card';
import type { VerbHandler } from './verb';

export const aboutCycle: VerbHandler = async () =>
  aboutCard({ pausedLine: 'August and December are paused for reflection, Striving for Excellence weeks and extra family feedback.' });
