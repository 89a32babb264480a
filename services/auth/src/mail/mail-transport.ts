import type { QueuedMail } from './outgoing-mail.js';

/** Where messages go: an SMTP server in production, files in `data/mail/` on a laptop. */
export interface MailTransport {
  /** Named in the start-up log, so a developer knows where to look for a link. */
  readonly description: string;
  /** Resolves once the message is accepted; rejects with a {@link MailDeliveryError} or anything else (retried). */
  deliver(mail: QueuedMail): Promise<void>;
  close(): void;
}

/**
 * A refusal that sending again will not change (an SMTP 5xx: no such mailbox, relaying denied):
 * the message is given up at once instead of being retried for hours.
 */
export class PermanentMailFailure extends Error {
  override readonly name = 'PermanentMailFailure';
}
