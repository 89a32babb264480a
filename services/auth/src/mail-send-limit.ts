import { createHash } from 'node:crypto';
import { clientAddressKey, LiftError, type Clock, type SharedState } from '@lift/kit';
import { authErrorCodes } from './errors.js';

export interface MailSendLimitSettings {
  readonly perRecipient: number;
  readonly perClient: number;
  readonly windowMs: number;
}

export type MailSendDecision = { readonly admitted: true } | { readonly admitted: false; readonly retryAfterSeconds: number };

/**
 * How many account mails one address receives and one client causes, in fixed windows in the
 * shared state (every replica counts together), so nobody can use the platform to flood an inbox
 * or to send mail in bulk. A refused send still counts: a flood keeps being refused to the end of
 * the window.
 */
export function mailSendLimit(state: SharedState, clock: Clock, settings: MailSendLimitSettings) {
  return {
    async admit(recipient: string, ip: string): Promise<MailSendDecision> {
      const now = clock.now();
      const window = Math.floor(now / settings.windowMs);
      const recipientKey = createHash('sha256').update(recipient).digest('hex').slice(0, 32);
      const [byRecipient, byClient] = await Promise.all([
        state.increment(`auth:mail:recipient:${recipientKey}:${window}`, 1, settings.windowMs),
        state.increment(`auth:mail:client:${clientAddressKey(ip)}:${window}`, 1, settings.windowMs),
      ]);
      if (byRecipient.value <= settings.perRecipient && byClient.value <= settings.perClient) return { admitted: true };
      return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil(((window + 1) * settings.windowMs - now) / 1000)) };
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
