import { ForbiddenError, type Identity } from '@lift/kit';
import { authErrorCodes } from './errors.js';

/**
 * The user id behind a person's token. API-key tokens (`sub` = `apikey:<id>`) and service tokens
 * (`svc:<name>`) act for nobody: a route that reads or writes a person's own things — their
 * organisations, sessions, the keys they create — refuses them with 403 instead of treating the
 * subject as a user id (which answered 500 where it reached a foreign key). User ids never
 * contain `:`.
 */
export function personOf(identity: Identity): string {
  if (identity.subject.includes(':')) {
    throw new ForbiddenError(authErrorCodes.personRequired, 'Only a person\'s token can do this, not an API key\'s or a service\'s; log in as a person.');
  }
  return identity.subject;
}
