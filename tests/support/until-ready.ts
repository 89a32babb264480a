import type { ServiceApp } from '@lift/kit';

/**
 * Waits (without sleeping: one event-loop turn per look) until an app built in a test answers
 * /ready — work such as seeding runs in the background after the migrations — and fails with the
 * app's own answer if it never does.
 */
export async function untilReady(app: ServiceApp, looks = 1_000): Promise<void> {
  let last = '';
  for (let look = 0; look < looks; look += 1) {
    const response = await app.inject({ method: 'GET', url: '/ready' });
    if (response.statusCode === 200) return;
    last = response.body;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`the app never became ready: ${last}`);
}
