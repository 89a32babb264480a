import { expect } from 'vitest';
import type { ServiceApp } from '@lift/kit';
import { deliveredMail, linkToken } from './delivered-mail.js';
import { defaultPassword, type Session } from './helper.js';
import type { SmtpStandIn } from './smtp-stand-in.js';

/** The link of a registration under AUTH_EMAIL_VERIFICATION=required, read from the delivered message. */
export async function registrationLink(app: ServiceApp, inbox: SmtpStandIn, email: string, password = defaultPassword): Promise<string> {
  const registered = await app.inject({ method: 'POST', url: '/v1/register', payload: { email, password } });
  expect(registered.statusCode).toBe(202);
  return linkToken(await deliveredMail(inbox, email, { subject: /Confirm your e-mail address/, count: 1 }), '/console/confirm-registration');
}

/** An account registered under `required`, as a person does it: register, open the link, give the password again. */
export async function registeredUnderRequired(app: ServiceApp, inbox: SmtpStandIn, email: string, password = defaultPassword): Promise<Session & { organisationName: string }> {
  const token = await registrationLink(app, inbox, email, password);
  const confirmed = await app.inject({ method: 'POST', url: '/v1/register/confirm', payload: { token, password } });
  expect(confirmed.statusCode).toBe(201);
  return confirmed.json();
}
