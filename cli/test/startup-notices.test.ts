import { describe, expect, it } from 'vitest';
import { platformAdminEmailTakenCode, StartupNotices, startupNoticeOf } from '../src/startup-notices.js';

const line = JSON.stringify({ level: 'error', time: '2026-11-28T09:00:00.000Z', service: 'auth', code: platformAdminEmailTakenCode, email: 'boss@example.com', msg: 'LIFT_ADMIN_EMAIL …' });

describe('notices lift up finds in the services\' logs', () => {
  it('recognise auth\'s line about a LIFT_ADMIN_EMAIL someone else registered, and name the way out', () => {
    for (const written of [line, `auth     | ${line}`]) {
      const notice = startupNoticeOf(written);
      expect(notice).toContain('no platform admin: LIFT_ADMIN_EMAIL (boss@example.com)');
      expect(notice).toMatch(/another address.*delete that account/);
    }
  });

  it('ignore every other line, also one that only mentions the code', () => {
    for (const other of ['', 'plain text', '{"level":"info","msg":"ready"}', `{"msg":"${platformAdminEmailTakenCode}"}`, `{"code":"${platformAdminEmailTakenCode}"`]) {
      expect(startupNoticeOf(other)).toBeUndefined();
    }
  });

  it('are kept once however often a restarted service repeats them', () => {
    const notices = StartupNotices.fromLog([line, 'auth     | {"level":"info"}', `auth     | ${line}`].join('\n'));
    expect(notices.list()).toHaveLength(1);
    expect(notices.adminMissing).toBe(true);
    expect(new StartupNotices().adminMissing).toBe(false);
  });
});
