import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { privateDirectoryMode, privateFileMode, type Logger } from '@lift/kit';
import type { QueuedMail } from './outgoing-mail.js';
import type { MailTransport } from './mail-transport.js';

export interface MailDropOptions {
  readonly directory: string;
  readonly from: string;
  readonly messageIdDomain: string;
  /** Development: the message's text is logged too, so the link is one click away. */
  readonly logText: boolean;
  readonly log: Logger;
}

/**
 * Without an SMTP server, each message becomes an RFC 5322 `.eml` file (any mail client opens it)
 * named after its id, so a message delivered twice after a crash is one file. Private files:
 * they hold sign-in links.
 */
export function mailDropTransport(options: MailDropOptions): MailTransport {
  const render = createTransport({ streamTransport: true, buffer: true, newline: 'unix' }, { from: options.from });
  return {
    description: `files in ${options.directory}`,
    async deliver(mail: QueuedMail) {
      const rendered = await render.sendMail({ to: mail.to, subject: mail.subject, text: mail.text, messageId: `<${mail.id}@${options.messageIdDomain}>` });
      mkdirSync(options.directory, { recursive: true, mode: privateDirectoryMode });
      const file = join(options.directory, `${mail.id}.eml`);
      writeFileSync(file, rendered.message as Buffer, { mode: privateFileMode });
      const where = { mail: mail.id, kind: mail.kind, to: mail.to, subject: mail.subject, file };
      options.log.info(options.logText ? { ...where, text: mail.text } : where, 'mail written to a file (no SMTP_URL)');
    },
    close: () => render.close(),
  };
}
