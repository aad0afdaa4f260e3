/** Retry timing shared by the adapters' reconnects and the outbox's resends. */
export interface BackoffOptions {
  /** First delay ceiling in ms. Default 500. */
  base?: number;
  /** Largest delay in ms. Default 30 000. */
  cap?: number;
}

/**
 * Exponential backoff with full jitter: a uniformly random delay in [0, min(cap, base·2^attempt)).
 * Full jitter is what keeps thousands of clients from reconnecting in lockstep after a server
 * restart. A server's `Retry-After` is a floor, never shortened by jitter.
 * @param attempt 0 for the first retry.
 * @param random a source of [0, 1) numbers, injected so tests are deterministic.
 */
export function backoffDelay(
  attempt: number,
  random: () => number,
  { base = 500, cap = 30_000 }: BackoffOptions = {},
  retryAfterMs = 0,
): number {
  const ceiling = Math.min(cap, base * 2 ** Math.min(attempt, 30));
  return Math.max(retryAfterMs, Math.floor(random() * ceiling));
}
