import { createTransport } from 'nodemailer';
import { redactedDatabaseUrl } from '@lift/kit';
import type { QueuedMail } from './outgoing-mail.js';
import { PermanentMailFailure, type MailTransport } from './mail-transport.js';

export interface SmtpTransportOptions {
  /** `smtp://user:pass@host:587` (STARTTLS when the server offers it) or `smtps://…:465`; nodemailer's URL form. */
  readonly url: string;
  readonly from: string;
  /** The domain in Message-IDs (the public host name). */
  readonly messageIdDomain: string;
}

/** SMTP through nodemailer, with timeouts so a silent server cannot hold a delivery for minutes. */
export function smtpTransport(options: SmtpTransportOptions): MailTransport {
  const transport = createTransport(
    { url: options.url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 },
    { from: options.from },
  );
  return {
    description: `SMTP ${redactedDatabaseUrl(options.url)}`,
    async deliver(mail: QueuedMail) {
      try {
        await transport.sendMail({ to: mail.to, subject: mail.subject, text: mail.text, messageId: `<${mail.id}@${options.messageIdDomain}>` });
      } catch (error) {
        throw isPermanentRefusal(error) ? new PermanentMailFailure((error as Error).message) : error;
      }
    },
    close: () => transport.close(),
  };
}

/** RFC 5321 §4.2.1: 5yz replies are permanent; 4yz and broken connections are worth another try. */
function isPermanentRefusal(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}
