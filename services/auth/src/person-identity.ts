import { ForbiddenError, type Identity } from '@lift/kit';
import { authErrorCodes } from './errors.js';

/**
 * The user id behind a person's token. API-key tokens (`sub` = `apikey:<id>`) and service tokens
 * (`svc:<name>`) act for nobody: a route that reads or writes a person's own things — their
 * organisations, sessions, the keys they create — refuses them with 403 instead of treating the
 * subject as a user id (which answered 500 where it reached a foreign key). User ids never
 * contain `:`. Delegated tokens (a module acting for the person, `act.sub`) are refused too: a
 * module may use what its manifest declares, never start sessions or change the person's account.
 */
export function personOf(identity: Identity): string {
  const person = personOrDelegateOf(identity);
  if (identity.actor !== undefined) {
    throw new ForbiddenError(authErrorCodes.personRequired, `A token ${identity.actor} obtained for a person cannot do this; only the person's own token can.`);
  }
  return person;
}

/** The person a token stands for, also when a module holds it on their behalf (read-only routes like /v1/me). */
export function personOrDelegateOf(identity: Identity): string {
  if (identity.subject.includes(':')) {
    throw new ForbiddenError(authErrorCodes.personRequired, 'Only a person\'s token can do this, not an API key\'s or a service\'s; log in as a person.');
  }
  return identity.subject;
}
