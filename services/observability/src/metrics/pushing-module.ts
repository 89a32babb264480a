import { hasPermission, type Identity } from '@lift/kit';

const modulePrefix = 'module:';

/**
 * Whose series a push writes: a module acting through a token it obtained (`act.sub` =
 * `module:<id>`) writes the module's; another caller needs observability:metrics-push and writes
 * its subject's (`svc:<name>`, `apikey:<id>`). Undefined: may not push.
 */
export function pushingModule(identity: Identity): string | undefined {
  if (identity.actor?.startsWith(modulePrefix) && identity.actor.length > modulePrefix.length) return identity.actor.slice(modulePrefix.length);
  return hasPermission(identity, 'observability:metrics-push') ? identity.subject : undefined;
}
