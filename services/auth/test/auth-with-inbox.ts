import { afterEach } from 'vitest';
import type { Clock } from '@lift/kit';
import type { Storage } from '../../../tests/support/service-under-test.js';
import { buildAuth, type AuthUnderTest } from './helper.js';
import { startSmtpStandIn, type SmtpStandIn } from './smtp-stand-in.js';

const servers: SmtpStandIn[] = [];
afterEach(async () => {
  while (servers.length > 0) await servers.pop()?.close();
});

/** Auth sending its mail over SMTP to a real local server, whose inbox the test reads. */
export async function buildAuthWithInbox(options: { postgres: boolean; clock?: Clock; env?: Record<string, string>; captureLogs?: boolean; storage?: Storage }): Promise<AuthUnderTest & { inbox: SmtpStandIn }> {
  const inbox = await startSmtpStandIn();
  servers.push(inbox);
  const auth = await buildAuth({ postgres: options.postgres, ...(options.clock ? { clock: options.clock } : {}), ...(options.storage ? { storage: options.storage } : {}), captureLogs: options.captureLogs ?? false, env: { SMTP_URL: inbox.url, PUBLIC_URL: 'https://lift.test', ...options.env } });
  return { ...auth, inbox };
}
