/**
 * The virtual clock: maps recorded times to replay times. `--at` moves the start, `--speed X`
 * makes time run X times faster from the start. Nothing ever waits on it.
 */
export interface Clock {
  (recorded: number): number;
  /** A recorded duration (ms) in replay time. */
  duration(ms: number): number;
  /** Every time stays as recorded (no --speed, no --at that moves it): a tape's time text is still true. */
  keepsTime: boolean;
}

export function makeClock(start: number, speed: number, at: number | undefined): Clock {
  const origin = at ?? start;
  const clock = ((recorded: number) => origin + (recorded - start) / speed) as Clock;
  clock.duration = (ms: number) => ms / speed;
  clock.keepsTime = speed === 1 && origin === start;
  return clock;
}
