import pino from 'pino';

/**
 * One JSON line per event. Callers log identifiers and outcomes, never card
 * contents or free text: those can hold details of children's lives.
 */
export type Logger = pino.Logger;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { app: 'qa-loop' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}
