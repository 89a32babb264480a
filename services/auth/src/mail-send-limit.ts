import { createHash } from 'node:crypto';
import { clientAddressKey, LiftError, type Clock, type SharedState } from '@lift/kit';
import { authErrorCodes } from './errors.js';

export interface MailSendLimitSettings {
  /** What one mailbox receives from all clients together. */
  readonly perRecipient: number;
  /** What one mailbox receives because of one client. */
  readonly perRecipientPerClient: number;
  readonly perClient: number;
  readonly windowMs: number;
}

export type MailSendDecision = { readonly admitted: true } | { readonly admitted: false; readonly retryAfterSeconds: number };

/**
 * The mailbox an address delivers to, for counting: lower-cased, without a sub-address tag
 * (`ada+1@example.test` is `ada@example.test`), so tags do not multiply a mailbox's budget.
 */
export function canonicalMailbox(address: string): string {
  const lowered = address.trim().toLowerCase();
  const at = lowered.lastIndexOf('@');
  if (at <= 0) return lowered;
  const local = lowered.slice(0, at);
  const plus = local.indexOf('+');
  return `${plus > 0 ? local.slice(0, plus) : local}${lowered.slice(at)}`;
}

/**
 * How many account mails one mailbox receives and one client causes, in fixed windows in the
 * shared state (every replica counts together), so nobody can use the platform to flood an inbox
 * or to send mail in bulk. A mailbox's budget is counted per client first, then overall: a
 * stranger spends only what their client may send to it (5 an hour), so the owner can still ask
 * for their own reset, and only sends a client was allowed count towards the overall cap (20).
 * A refused send still counts against its client: a flood keeps being refused to the end of the
 * window.
 */
export function mailSendLimit(state: SharedState, clock: Clock, settings: MailSendLimitSettings) {
  return {
    async admit(recipient: string, ip: string): Promise<MailSendDecision> {
      const now = clock.now();
      const window = Math.floor(now / settings.windowMs);
      const refused = { admitted: false as const, retryAfterSeconds: Math.max(1, Math.ceil(((window + 1) * settings.windowMs - now) / 1000)) };
      const mailbox = createHash('sha256').update(canonicalMailbox(recipient)).digest('hex').slice(0, 32);
      const client = clientAddressKey(ip);
      const [byPair, byClient] = await Promise.all([
        state.increment(`auth:mail:recipient-client:${mailbox}:${client}:${window}`, 1, settings.windowMs),
        state.increment(`auth:mail:client:${client}:${window}`, 1, settings.windowMs),
      ]);
      if (byPair.value > settings.perRecipientPerClient || byClient.value > settings.perClient) return refused;
      const byRecipient = await state.increment(`auth:mail:recipient:${mailbox}:${window}`, 1, settings.windowMs);
      return byRecipient.value <= settings.perRecipient ? { admitted: true } : refused;
    },
  };
}

export type MailSendLimit = ReturnType<typeof mailSendLimit>;

/** The answer of a signed-in route over the limit (public routes answer as always instead). */
export function mailLimited(retryAfterSeconds: number): LiftError {
  return new LiftError(429, authErrorCodes.mailLimited, 'Too many messages', `Too many messages were sent to this address or from here; try again in ${retryAfterSeconds} seconds.`, {
    headers: { 'retry-after': String(retryAfterSeconds) },
    extensions: { retryAfterSeconds },
  });
}
