import type { Identity } from '@lift/kit';

/**
 * Who stored a memory, from the token alone (never the body): the module for a module's
 * delegated token (`act.sub` = `module:<id>`), else the token's subject — a user, or `apikey:<id>`.
 */
export function sourceOf(identity: Identity): string {
  if (identity.actor !== undefined) return identity.actor.startsWith('module:') ? identity.actor : `module:${identity.actor}`;
  return identity.subject;
}
