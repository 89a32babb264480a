import { randomUUID } from 'node:crypto';
import { isUniqueViolation, nowIso, type Logger } from '@lift/kit';
import { normaliseEmail, type AuthDomain } from './auth-domain.js';
import { authErrorCodes } from './errors.js';
import { hashPassword, passwordProblem } from './passwords.js';
import type { AuthQueries } from './store/index.js';

/**
 * The platform organisation and its first admin, from LIFT_ADMIN_EMAIL and LIFT_ADMIN_PASSWORD.
 * Idempotent: an existing organisation, account or membership is left as it is (the password of
 * an existing account is never overwritten from the environment).
 *
 * Only an account bootstrap created itself (`origin` = `bootstrap`) is ever made platform owner.
 * Anyone may register any address before the platform's first start; promoting such an account
 * would hand the platform to whoever registered it, with their password. Then nobody is promoted,
 * auth still starts and becomes ready (refusing would give the squatter a denial of service), and
 * every start logs an error naming the way out — which `lift up` recognises by its code.
 */
export async function ensurePlatformAdmin(domain: AuthDomain, log: Logger): Promise<void> {
  const emailSetting = domain.config.LIFT_ADMIN_EMAIL;
  const password = domain.config.LIFT_ADMIN_PASSWORD;
  const at = nowIso(domain.clock);
  let platform = await domain.store.organisations.platform();
  if (!platform) {
    try {
      // A fixed id: replicas starting together collide on the primary key instead of making two.
      await domain.store.organisations.insert({ id: 'platform', name: 'Lift OS platform', kind: 'platform', created_at: at });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    platform = await domain.store.organisations.platform();
  }
  if (!platform || emailSetting === undefined || password === undefined) {
    if (emailSetting === undefined) log.warn('LIFT_ADMIN_EMAIL is not set: no platform admin is created');
    return;
  }
  const platformId = platform.id;
  const email = normaliseEmail(emailSetting);
  const makeOwner = async (userId: string, queries: AuthQueries): Promise<void> => {
    await queries.organisations.addMember({ organisation_id: platformId, user_id: userId, role: 'owner', created_at: at });
    await queries.audit.record({ organisationId: platformId, actorId: null, action: 'member.added', targetType: 'user', targetId: userId, details: { role: 'owner', reason: 'LIFT_ADMIN_EMAIL' } });
  };

  let user = await domain.store.users.byEmail(email);
  if (!user) {
    // The platform's most powerful account gets the policy's strength rules (length, not one
    // character repeated); an operator's passphrase may name the role ("admin") its address does.
    const weakness = passwordProblem(password, '', domain.config.PASSWORD_MIN_LENGTH);
    if (weakness !== undefined) {
      log.error({ code: authErrorCodes.platformAdminPasswordRejected }, `LIFT_ADMIN_PASSWORD ${weakness}: no platform admin was created. Set a stronger one and restart auth.`);
      log.flush();
      return;
    }
    // The operator named this address: it counts as verified.
    const row = { id: randomUUID(), email, password_hash: await hashPassword(password, domain.passwordHashing), display_name: 'Platform admin', origin: 'bootstrap' as const, email_verified_at: at, created_at: at, updated_at: at };
    try {
      // The account and its membership appear together, so another replica never sees one alone.
      await domain.store.transaction(async (queries) => {
        await queries.users.insert(row);
        await makeOwner(row.id, queries);
      });
      log.info({ email }, 'platform admin created');
      return;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    user = await domain.store.users.byEmail(email);
  }
  if (!user || (await domain.store.organisations.membership(platformId, user.id))) return;
  if (user.origin !== 'bootstrap') {
    log.error(
      { code: authErrorCodes.platformAdminEmailTaken, email },
      `LIFT_ADMIN_EMAIL (${email}) belongs to an account someone registered, not one this installation created: nobody was made platform admin. ` +
        'Set LIFT_ADMIN_EMAIL to another address, or delete that account from auth\'s users table after checking who registered it, and restart auth.',
    );
    // Written now, before auth reports ready, so a supervisor reading the log sees it in time.
    log.flush();
    return;
  }
  try {
    // Bootstrap's account without its membership: removed meanwhile, or made by an earlier version
    // in two steps that a crash separated.
    const userId = user.id;
    await domain.store.transaction((queries) => makeOwner(userId, queries));
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
}
