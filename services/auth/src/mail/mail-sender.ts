import { randomUUID } from 'node:crypto';
import { nowIso, retryDelayMs, type Clock, type Logger } from '@lift/kit';
import type { DueMail, MailOutboxStore } from '../store/mail-outbox-store.js';
import { backgroundRounds } from '../background-rounds.js';
import { PermanentMailFailure, type MailTransport } from './mail-transport.js';
import type { OutgoingMail } from './outgoing-mail.js';

export interface MailSenderOptions {
  readonly outbox: MailOutboxStore;
  readonly transport: MailTransport;
  readonly clock: Clock;
  readonly log: Logger;
  /** How often the outbox is read for retries and for messages other replicas queued. */
  readonly pollMs?: number;
  /** Deliveries before a message is given up (with the doubling waits, about a day). */
  readonly maxAttempts?: number;
  readonly firstRetryMs?: number;
  readonly maxRetryMs?: number;
}

export interface MailSender {
  /**
   * Queues a message; with the outbox of a `store.transaction`, as part of the caller's change (it
   * is sent only if that commits). Call {@link MailSender.wake} after the commit to send it now
   * rather than at the next poll.
   */
  queue(mail: OutgoingMail, within?: MailOutboxStore): Promise<string>;
  wake(): void;
  /** One round: sends what is due. Resolves with how many messages were delivered. */
  sendDue(): Promise<number>;
  /** Sends in the background until {@link MailSender.stop}. */
  start(): void;
  stop(): Promise<void>;
  readonly description: string;
}

const leaseMs = 120_000;
const maxPerRound = 20;
const keepFinishedMs = 7 * 86_400_000;

/**
 * Sends the outbox off the request path: a request only writes a row, and a failing mail server
 * costs it nothing. Failed deliveries wait 1 min, 2 min, 4 min … up to an hour; an SMTP 5xx is
 * final. At least once: a crash between the server's "250 OK" and the row's update sends again.
 */
export function mailSender(options: MailSenderOptions): MailSender {
  const pollMs = options.pollMs ?? 5_000;
  const maxAttempts = options.maxAttempts ?? 30;
  const firstRetryMs = options.firstRetryMs ?? 60_000;
  const maxRetryMs = options.maxRetryMs ?? 3_600_000;
  const { outbox, transport, clock, log } = options;
  // One message leased at a time, for one delivery: a batch leased together ran out of its lease
  // behind a few slow deliveries (each may take the transport's timeouts, ~50 s), and another
  // replica then sent what was still waiting in it, twice.
  const leaseNext = async (): Promise<DueMail | undefined> => {
    const now = clock.now();
    const [mail] = await outbox.leaseDue(new Date(now).toISOString(), new Date(now + leaseMs).toISOString(), 1);
    return mail;
  };
  const sendDue = async (): Promise<number> => {
    let delivered = 0;
    for (let round = 0; round < maxPerRound; round += 1) {
      const mail = await leaseNext();
      if (mail === undefined) break;
      const attempts = mail.attempts + 1;
      try {
        await transport.deliver(mail);
        await outbox.markSent(mail.id, nowIso(clock));
        delivered += 1;
        log.info({ mail: mail.id, kind: mail.kind, attempts }, 'mail sent');
      } catch (error) {
        const reason = (error as Error).message;
        if (error instanceof PermanentMailFailure || attempts >= maxAttempts) {
          await outbox.markAbandoned(mail.id, attempts, nowIso(clock), reason);
          log.error({ mail: mail.id, kind: mail.kind, attempts, err: error }, 'mail given up');
        } else {
          const retryAt = new Date(clock.now() + retryDelayMs(attempts, firstRetryMs, maxRetryMs)).toISOString();
          await outbox.markFailed(mail.id, attempts, retryAt, reason);
          log.warn({ mail: mail.id, kind: mail.kind, attempts, retryAt, err: error }, 'sending mail failed; it is retried');
        }
      }
    }
    await outbox.forgetFinishedBefore(new Date(clock.now() - keepFinishedMs).toISOString());
    return delivered;
  };

  const rounds = backgroundRounds(() => sendDue(), { pollMs, log, failure: 'reading the mail outbox failed' });

  return {
    description: transport.description,
    async queue(mail, within = outbox) {
      const id = randomUUID();
      await within.queue(id, mail, nowIso(clock));
      return id;
    },
    wake: rounds.wake,
    sendDue,
    start: rounds.start,
    async stop() {
      await rounds.stop();
      transport.close();
    },
  };
}
