import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '@lift/kit';
import { mailDropTransport } from '../src/mail/mail-drop-transport.js';
import { mailSender, type MailSender } from '../src/mail/mail-sender.js';
import type { MailTransport } from '../src/mail/mail-transport.js';
import { smtpTransport } from '../src/mail/smtp-transport.js';
import { authStore } from '../src/store/index.js';
import { mailOutboxStore } from '../src/store/mail-outbox-store.js';
import { backends, buildAuth, manualClock } from './helper.js';
import { startSmtpStandIn, type SmtpStandIn } from './smtp-stand-in.js';

// The mail provider cannot be reached from here: a real SMTP server on 127.0.0.1 stands in for it.
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

const silent = createLogger({ service: 'auth', version: 'test', level: 'silent' });
const welcome = { kind: 'email-verification', to: 'ada@example.test', subject: 'Confirm your address', text: 'Open https://lift.test/console/verify-email?token=abc' };

async function smtp(): Promise<SmtpStandIn> {
  const server = await startSmtpStandIn();
  closers.push(() => server.close());
  return server;
}

describe.each(backends)('mail outbox and sender ($name)', ({ postgres }) => {
  async function senderOn(transport: MailTransport, clock = manualClock()) {
    const auth = await buildAuth({ postgres, clock, appSendsMail: false });
    const outbox = mailOutboxStore(auth.db);
    const sender: MailSender = mailSender({ outbox, transport, clock, log: silent });
    closers.push(() => sender.stop());
    // The app's own sender is stopped: running, it took messages meant for these senders into its
    // mail drop every 5 s (how CI once saw 8 of 10, and once 0 of 1, arrive over SMTP).
    closers.push(() => {
      expect(existsSync(auth.mailDir) ? readdirSync(auth.mailDir) : []).toEqual([]);
      return Promise.resolve();
    });
    return { auth, outbox, sender, clock };
  }

  it('delivers a queued message over SMTP and keeps no text once it is sent', async () => {
    const server = await smtp();
    const { auth, sender } = await senderOn(smtpTransport({ url: server.url, from: 'Lift OS <no-reply@lift.test>', messageIdDomain: 'lift.test' }));
    const id = await sender.queue(welcome);
    expect(await sender.sendDue()).toBe(1);

    expect(server.received).toHaveLength(1);
    const [mail] = server.received;
    expect(mail?.subject).toBe('Confirm your address');
    expect(mail?.text?.trim()).toBe(welcome.text);
    expect(mail?.from?.text).toBe('"Lift OS" <no-reply@lift.test>');
    expect(mail?.messageId).toBe(`<${id}@lift.test>`);
    const row = await auth.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.sent_at).not.toBeNull();
    expect(row.body_text).toBeNull();
    expect(await sender.sendDue()).toBe(0);
  });

  it('retries a temporary refusal after the backoff and gives up at once on a permanent one', async () => {
    const server = await smtp();
    const { auth, outbox, sender, clock } = await senderOn(smtpTransport({ url: server.url, from: 'no-reply@lift.test', messageIdDomain: 'lift.test' }));
    server.refuseWith({ code: 451, message: 'try again later' });
    await sender.queue(welcome);
    expect(await sender.sendDue()).toBe(0);
    expect(await outbox.pending()).toEqual([expect.objectContaining({ attempts: 1, lastError: expect.stringContaining('try again later') as string })]);

    server.refuseWith(undefined);
    clock.advance(30_000);
    expect(await sender.sendDue()).toBe(0); // not due yet: the first retry waits a minute
    clock.advance(30_000);
    expect(await sender.sendDue()).toBe(1);
    expect(server.received).toHaveLength(1);

    server.refuseWith({ code: 550, message: 'no such mailbox' });
    const refused = await sender.queue({ ...welcome, to: 'nobody@example.test' });
    expect(await sender.sendDue()).toBe(0);
    expect(await outbox.pending()).toEqual([]);
    const row = await auth.db.selectFrom('mail_outbox').selectAll().where('id', '=', refused).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ attempts: 1, body_text: null, sent_at: null });
    expect(row.abandoned_at).not.toBeNull();
  });

  it('sends a message once although two replicas read the outbox together', async () => {
    const server = await smtp();
    const transport = smtpTransport({ url: server.url, from: 'no-reply@lift.test', messageIdDomain: 'lift.test' });
    const { auth, outbox, sender, clock } = await senderOn(transport);
    const replica = mailSender({ outbox: mailOutboxStore(auth.db), transport, clock, log: silent });
    for (let index = 0; index < 10; index += 1) await sender.queue({ ...welcome, to: `person${index}@example.test` });
    const delivered = await Promise.all([sender.sendDue(), replica.sendDue(), sender.sendDue(), replica.sendDue()]);
    // A delivery that failed on a loaded machine waits for its retry; what is checked is that every
    // message arrives exactly once, however the rounds split.
    for (let round = 0; round < 20 && (await outbox.pending()).length > 0; round += 1) {
      clock.advance(3_600_000);
      delivered.push(...(await Promise.all([sender.sendDue(), replica.sendDue()])));
    }
    expect(await outbox.pending(), 'still waiting, with why their deliveries failed').toEqual([]);
    expect(delivered.reduce((sum, count) => sum + count, 0)).toBe(10);
    expect(server.received.map((mail) => mail.messageId).sort()).toEqual([...new Set(server.received.map((mail) => mail.messageId))].sort());
    expect(server.received).toHaveLength(10);
  });

  it('tries a due message once per round although replicas read the outbox together, and not again before its retry', async () => {
    const tries = new Map<string, number>();
    const failing: MailTransport = {
      description: 'always busy',
      deliver: async (mail) => {
        tries.set(mail.to, (tries.get(mail.to) ?? 0) + 1);
        await Promise.resolve();
        throw new Error('451 try again later');
      },
      close: () => undefined,
    };
    const { auth, outbox, sender, clock } = await senderOn(failing);
    const replicas = [sender, ...[1, 2, 3].map(() => mailSender({ outbox: mailOutboxStore(auth.db), transport: failing, clock, log: silent }))];
    for (let index = 0; index < 10; index += 1) await sender.queue({ ...welcome, to: `person${index}@example.test` });
    await Promise.all(replicas.flatMap((replica) => [replica.sendDue(), replica.sendDue()]));
    expect([...tries.values()]).toEqual(Array.from({ length: 10 }, () => 1));
    expect((await outbox.pending()).map((mail) => mail.attempts)).toEqual(Array.from({ length: 10 }, () => 1));
  });

  it('queues nothing when the change it belongs to rolls back', async () => {
    const server = await smtp();
    const { auth, sender } = await senderOn(smtpTransport({ url: server.url, from: 'no-reply@lift.test', messageIdDomain: 'lift.test' }));
    const store = authStore(auth.db, manualClock());
    await expect(
      store.transaction(async (queries) => {
        await sender.queue(welcome, queries.mailOutbox);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await sender.sendDue()).toBe(0);
    expect(server.received).toHaveLength(0);
  });

  it('without SMTP writes each message as a private .eml file a mail client can open', async () => {
    const directory = join(mkdtempSync(join(tmpdir(), 'lift-mail-')), 'mail');
    const { sender } = await senderOn(mailDropTransport({ directory, from: 'Lift OS <no-reply@localhost>', messageIdDomain: 'localhost', logText: true, log: silent }));
    const id = await sender.queue(welcome);
    expect(await sender.sendDue()).toBe(1);
    expect(readdirSync(directory)).toEqual([`${id}.eml`]);
    expect(statSync(join(directory, `${id}.eml`)).mode & 0o777).toBe(0o600);
    const parsed = await simpleParser(readFileSync(join(directory, `${id}.eml`)));
    expect(parsed.to && 'text' in parsed.to ? parsed.to.text : undefined).toBe('ada@example.test');
    expect(parsed.text?.trim()).toBe(welcome.text);
  });
});
