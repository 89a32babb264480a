import { randomUUID } from 'node:crypto';
import { isUniqueViolation, type Logger } from '@lift/kit';
import { nowIso, normaliseEmail, type AuthDomain } from './auth-domain.js';
import { hashPassword } from './passwords.js';

/**
 * The platform organisation and its first admin, from LIFT_ADMIN_EMAIL and LIFT_ADMIN_PASSWORD.
 * Idempotent: an existing organisation, account or membership is left as it is (the password of
 * an existing account is never overwritten from the environment).
 */
export async function ensurePlatformAdmin(domain: AuthDomain, log: Logger): Promise<void> {
  const emailSetting = domain.config.LIFT_ADMIN_EMAIL;
  const password = domain.config.LIFT_ADMIN_PASSWORD;
  const at = nowIso(domain.clock);
  let platform = await domain.organisations.platform();
  if (!platform) {
    try {
      // A fixed id: replicas starting together collide on the primary key instead of making two.
      await domain.organisations.insert({ id: 'platform', name: 'Lift OS platform', kind: 'platform', created_at: at });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    platform = await domain.organisations.platform();
  }
  if (!platform || emailSetting === undefined || password === undefined) {
    if (emailSetting === undefined) log.warn('LIFT_ADMIN_EMAIL is not set: no platform admin is created');
    return;
  }
  const email = normaliseEmail(emailSetting);
  let user = await domain.users.byEmail(email);
  if (!user) {
    const row = { id: randomUUID(), email, password_hash: await hashPassword(password, domain.passwordHashing), display_name: 'Platform admin', created_at: at, updated_at: at };
    try {
      await domain.users.insert(row);
      log.info({ email }, 'platform admin created');
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    user = await domain.users.byEmail(email);
  }
  if (user && !(await domain.organisations.membership(platform.id, user.id))) {
    try {
      await domain.organisations.addMember({ organisation_id: platform.id, user_id: user.id, role: 'owner', created_at: at });
      await domain.audit.record({ organisationId: platform.id, actorId: null, action: 'member.added', targetType: 'user', targetId: user.id, details: { role: 'owner', reason: 'LIFT_ADMIN_EMAIL' } });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
}
