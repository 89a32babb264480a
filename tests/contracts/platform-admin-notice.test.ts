import { describe, expect, it } from 'vitest';
import { platformAdminEmailTakenCode, startupNoticeOf } from '../../cli/src/startup-notices.js';
import { authErrorCodes } from '../../services/auth/src/errors.js';
import { buildAuth, registerUser } from '../../services/auth/test/helper.js';

// auth tells `lift up` through its log (which only the operator reads) that the first admin could
// not be made; the CLI recognises that line by its code. Both sides of that contract, for real.
describe('the line auth logs when LIFT_ADMIN_EMAIL was registered by someone else', () => {
  it('is the one lift up recognises and shows in its summary', async () => {
    expect(platformAdminEmailTakenCode).toBe(authErrorCodes.platformAdminEmailTaken);
    const before = await buildAuth({ env: { LIFT_ADMIN_EMAIL: '' } });
    await registerUser(before.app, 'boss@example.com');
    const started = await buildAuth({ storage: before.storage, captureLogs: true, env: { LIFT_ADMIN_EMAIL: 'boss@example.com' } });
    const notices = started.logs.map((entry) => startupNoticeOf(JSON.stringify(entry))).filter((notice) => notice !== undefined);
    expect(notices).toEqual([expect.stringContaining('no platform admin: LIFT_ADMIN_EMAIL (boss@example.com)')]);
  });
});
