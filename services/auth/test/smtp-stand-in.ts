import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpStandIn {
  /** nodemailer's form, as SMTP_URL takes it. */
  readonly url: string;
  readonly received: ParsedMail[];
  /** Makes the next recipients refused with this reply (4xx: try later, 5xx: never), until cleared. */
  refuseWith(reply: { code: number; message: string } | undefined): void;
  close(): Promise<void>;
}

/**
 * A real SMTP server (the smtp-server package, the one nodemailer's own tests use) standing in
 * for the mail provider we cannot reach here; what it receives is parsed with mailparser as a
 * mail client would.
 */
export async function startSmtpStandIn(): Promise<SmtpStandIn> {
  const received: ParsedMail[] = [];
  let refusal: { code: number; message: string } | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // No reverse DNS of 127.0.0.1: there is no resolver to ask here, and each connection would wait for it.
    disableReverseLookup: true,
    onRcptTo(_address, _session, callback) {
      if (!refusal) return callback();
      callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuseWith: (reply) => void (refusal = reply),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
