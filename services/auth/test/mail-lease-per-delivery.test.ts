// Review of issue #19: a sender leased 20 messages for 120 s and delivered them one after another.
// When the deliveries before the last ones took longer than the lease (an SMTP server answering
// slowly, within smtp-transport's 10 s + 10 s + 30 s timeouts), another replica leased what was
// still waiting in the first sender's batch and both sent it. Now each delivery has its own lease.
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '@lift/kit';
import { mailSender } from '../src/mail/mail-sender.js';
import type { MailTransport } from '../src/mail/mail-transport.js';
import { mailOutboxStore } from '../src/store/mail-outbox-store.js';
import { backends, buildAuth, manualClock } from './helper.js';

const silent = createLogger({ service: 'auth', version: 'test', level: 'silent' });
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

describe.each(backends)('a lease that runs out during its round ($name)', ({ postgres }) => {
  it('sends each message once although the first deliveries of a batch were slow', async () => {
    const clock = manualClock();
    const auth = await buildAuth({ postgres, clock, appSendsMail: false });
    const delivered: string[] = [];
    const other: { round?: () => Promise<number> } = {};
    const slow: MailTransport = {
      description: 'slow SMTP',
      deliver: async (mail) => {
        // While the first sender is busy (its first three deliveries took 135 s), the other replica
        // polls (every 5 s in production): a batch leased at the start had run out of its lease by then.
        if (mail.to === 'p3@x.test') await other.round?.();
        // Each delivery takes 45 s of (fake) time: inside the transport's timeouts.
        clock.advance(45_000);
        delivered.push(mail.to);
      },
      close: () => undefined,
    };
    const sender = mailSender({ outbox: mailOutboxStore(auth.db), transport: slow, clock, log: silent });
    const replica = mailSender({ outbox: mailOutboxStore(auth.db), transport: slow, clock, log: silent });
    closers.push(() => sender.stop(), () => replica.stop());
    other.round = () => replica.sendDue();
    for (let index = 0; index < 5; index += 1) await sender.queue({ kind: 'k', to: `p${index}@x.test`, subject: 's', text: 't' });
    await sender.sendDue();
    expect(delivered.sort()).toEqual(['p0@x.test', 'p1@x.test', 'p2@x.test', 'p3@x.test', 'p4@x.test']);
  });
});
