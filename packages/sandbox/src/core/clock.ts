/** The sandbox's notion of "now", in Unix seconds. Test clocks (issue 3) read their own time. */
export interface Clock {
  /** Unix time in seconds. */
  now(): number;
}

export const systemClock: Clock = {
  now: () => Math.floor(Date.now() / 1000),
};
