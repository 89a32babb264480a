import type { ParsedMail } from 'mailparser';
import type { SmtpStandIn } from './smtp-stand-in.js';

/**
 * Waits until the stand-in has received a message for `to` (and matching `subject`, if given),
 * polling every 10 ms for at most `timeoutMs`: the sender delivers right after the request's
 * commit, off the request path, so the message arrives a few milliseconds after the answer.
 */
export async function deliveredMail(server: SmtpStandIn, to: string, options: { subject?: RegExp; count?: number; timeoutMs?: number } = {}): Promise<ParsedMail> {
  const count = options.count ?? 1;
  const deadline = Date.now() + (options.timeoutMs ?? 5_000);
  for (;;) {
    const matching = mailTo(server, to).filter((mail) => options.subject === undefined || options.subject.test(mail.subject ?? ''));
    if (matching.length >= count) return matching[count - 1] as ParsedMail;
    if (Date.now() > deadline) throw new Error(`no mail #${count} for ${to} within the time allowed; received: ${server.received.map((mail) => `${recipientsOf(mail).join(',')}: ${mail.subject}`).join('; ')}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function mailTo(server: SmtpStandIn, to: string): ParsedMail[] {
  return server.received.filter((mail) => recipientsOf(mail).includes(to));
}

function recipientsOf(mail: ParsedMail): string[] {
  const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
  return to.flatMap((address) => address.value.map((entry) => entry.address ?? ''));
}

/** The token of the first link to `path` in the message's text (`…/console/verify-email?token=…`). */
export function linkToken(mail: ParsedMail, path: string): string {
  const link = (mail.text ?? '').split(/\s+/).find((word) => word.includes(path));
  if (!link) throw new Error(`no link to ${path} in: ${mail.text}`);
  const token = new URL(link).searchParams.get('token');
  if (!token) throw new Error(`the link ${link} has no token`);
  return token;
}
