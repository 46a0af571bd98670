// One clock for the whole app. Domain code never reads time: it gets `now` from here, passed in.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests and the emulator's time travel control. */
export class ManualClock implements Clock {
  private offsetMs = 0;
  constructor(private fixed: Date | undefined = undefined) {}
  now(): Date {
    return this.fixed ? new Date(this.fixed.getTime()) : new Date(Date.now() + this.offsetMs);
  }
  set(at: Date): void {
    this.fixed = new Date(at.getTime());
  }
  /** Runs from `at` onwards with real time passing (the emulator's "jump to"). */
  jumpTo(at: Date): void {
    this.fixed = undefined;
    this.offsetMs = at.getTime() - Date.now();
  }
  advance(ms: number): void {
    if (this.fixed) this.fixed = new Date(this.fixed.getTime() + ms);
    else this.offsetMs += ms;
  }
}
