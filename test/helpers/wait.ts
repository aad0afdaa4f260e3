import { waitUntil as openWcWaitUntil } from '@open-wc/testing';

/**
 * open-wc's `waitUntil` with a 5 s default instead of 1 s: these waits cover IndexedDB, real
 * sockets and whole conversations, which a loaded CI machine can stretch past a second. A
 * condition that is met returns as soon as it is; only failures wait longer.
 */
export const waitUntil: typeof openWcWaitUntil = (predicate, message, options = {}) =>
  openWcWaitUntil(predicate, message, { timeout: 5000, ...options });

/** Yields one macrotask without timers, so it works under sinon's fake setTimeout (IndexedDB runs meanwhile). */
export const macrotask = () =>
  new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(0);
  });

/**
 * Polls `predicate` between macrotasks: a waitUntil for tests that fake timers. The deadline is
 * real time (`performance.now`, which those tests do not fake), so a slow machine gets as long.
 * An async predicate is awaited (its promise alone would always count as met).
 */
export async function until(predicate: () => unknown, message = 'condition not met', ms = 5000): Promise<void> {
  for (const deadline = performance.now() + ms; performance.now() < deadline; await macrotask()) if (await predicate()) return;
  if (!(await predicate())) throw new Error(message);
}
