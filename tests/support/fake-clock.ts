import type { Clock } from '../../services/clock';

/** A clock a test moves by hand: the bot, the jobs and the worker all read it. */
export class FakeClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(to: Date): void {
    this.current = new Date(to.getTime());
  }
}
