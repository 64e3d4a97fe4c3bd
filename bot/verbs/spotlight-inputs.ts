import type { SpotlightEditValues } from '../../services/spotlights/spotlight-edits';
import { textInput } from './inputs';

/** The spotlight card's inputs as Teams sends them (a multi-select sends its ticked values joined by commas). */
export const spotlightValues = (data: Record<string, unknown>): SpotlightEditValues => ({
  headline: textInput(data, 'headline'),
  strengths: textInput(data, 'strengths'),
  gaps: textInput(data, 'gaps'),
  quotes: textInput(data, 'quotes'),
  channels: textInput(data, 'channels'),
});
