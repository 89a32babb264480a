import { publicBaseUrl } from '@lift/kit';
import type { AuthConfig } from './config.js';
import type { OutgoingMail } from './mail/outgoing-mail.js';

type LinkConfig = Pick<AuthConfig, 'PUBLIC_URL'>;

// Links open console pages that post the token: a GET never spends it, since mail scanners
// fetch every link in a message before the person sees it.
function consoleLink(config: LinkConfig, page: string, token: string): string {
  return `${publicBaseUrl(config)}/console/${page}?token=${encodeURIComponent(token)}`;
}

export function verificationMail(config: LinkConfig, to: string, token: string, lifetimeMinutes: number): OutgoingMail {
  return {
    kind: 'email-verification',
    to,
    subject: 'Confirm your e-mail address',
    text: [
      'Confirm that this address is yours by opening this link:',
      '',
      consoleLink(config, 'verify-email', token),
      '',
      `The link works once, for ${describeMinutes(lifetimeMinutes)}. If you did not create an account, ignore this message.`,
    ].join('\n'),
  };
}

/** The link that creates a registered account (verification required): the page asks for the password again. */
export function registrationMail(config: LinkConfig, to: string, token: string, lifetimeMinutes: number): OutgoingMail {
  return {
    kind: 'registration',
    to,
    subject: 'Confirm your e-mail address',
    text: [
      'Finish creating your account by opening this link and entering the password you chose:',
      '',
      consoleLink(config, 'confirm-registration', token),
      '',
      `The link works once, for ${describeMinutes(lifetimeMinutes)}. If you did not create an account, ignore this message: without the password, the link creates nothing.`,
    ].join('\n'),
  };
}

/** To the owner of an address someone tried to register again; it holds no link (see decisions.md). */
export function registrationAttemptMail(to: string): OutgoingMail {
  return {
    kind: 'registration-attempt',
    to,
    subject: 'Someone tried to register with your address',
    text: [
      'Someone tried to create an account with this address, which already has one.',
      '',
      'If it was you, sign in instead; if you forgot your password, ask for a reset on the sign-in page.',
      'If it was not you, you need not do anything: nothing was changed.',
    ].join('\n'),
  };
}

export function passwordResetMail(config: LinkConfig, to: string, token: string, lifetimeMinutes: number): OutgoingMail {
  return {
    kind: 'password-reset',
    to,
    subject: 'Reset your password',
    text: [
      'Choose a new password by opening this link:',
      '',
      consoleLink(config, 'reset-password', token),
      '',
      `The link works once, for ${describeMinutes(lifetimeMinutes)}. Resetting signs you out everywhere.`,
      'If you did not ask for this, ignore this message: your password stays as it is.',
    ].join('\n'),
  };
}

/** A name as one line of mail: control characters and runs of white space become one space (names from before the rule against them). */
function oneLine(name: string): string {
  // eslint-disable-next-line no-control-regex -- the control characters are what it removes
  return name.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
}

export function invitationMail(config: LinkConfig, to: string, invitation: { organisationName: string; role: string; token: string; days: number }): OutgoingMail {
  return {
    kind: 'invitation',
    to,
    subject: `You are invited to ${oneLine(invitation.organisationName)}`,
    text: [
      `You are invited to join ${oneLine(invitation.organisationName)} as ${invitation.role}. Open this link to accept:`,
      '',
      consoleLink(config, 'accept-invitation', invitation.token),
      '',
      `Sign in with this address first, or register with it if you have no account. The invitation works once, for ${invitation.days} days.`,
      'If you did not expect it, ignore this message.',
    ].join('\n'),
  };
}

function describeMinutes(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60} hour${minutes === 60 ? '' : 's'}` : `${minutes} minutes`;
}
