/** What auth logs when LIFT_ADMIN_EMAIL names an account it did not create (its errors.ts). */
export const platformAdminEmailTakenCode = 'AUTH_PLATFORM_ADMIN_EMAIL_TAKEN';

/**
 * What `lift up` must tell the operator, found in a service's log line (JSON, possibly behind the
 * supervisor's `name | ` prefix in the detached log file), or undefined. Services say such things
 * in their own logs, which only the operator reads, rather than on a probe anyone may ask: the
 * line may name an e-mail address, a public probe must name only states.
 */
export function startupNoticeOf(line: string): string | undefined {
  const start = line.indexOf('{');
  if (start < 0 || !line.includes(platformAdminEmailTakenCode)) return undefined;
  let entry: { code?: unknown; email?: unknown };
  try {
    entry = JSON.parse(line.slice(start)) as typeof entry;
  } catch {
    return undefined;
  }
  if (entry.code !== platformAdminEmailTakenCode) return undefined;
  const email = typeof entry.email === 'string' ? entry.email : 'the address';
  return (
    `no platform admin: LIFT_ADMIN_EMAIL (${email}) belongs to an account someone registered before this installation could create it, so nobody was made platform admin. ` +
    'Set LIFT_ADMIN_EMAIL to another address (in .env.local), or delete that account from auth\'s users table after checking who registered it, and run "lift up" again.'
  );
}

/** The notices seen in the services' output during a start, each once (a restarted service repeats its own). */
export class StartupNotices {
  private readonly notices = new Set<string>();

  static fromLog(text: string): StartupNotices {
    const notices = new StartupNotices();
    for (const line of text.split('\n')) notices.observe(line);
    return notices;
  }

  readonly observe = (line: string): void => {
    const notice = startupNoticeOf(line);
    if (notice !== undefined) this.notices.add(notice);
  };

  list(): string[] {
    return [...this.notices];
  }

  /** The first platform admin could not be made, so the first-login hint would be wrong. */
  get adminMissing(): boolean {
    return this.notices.size > 0;
  }
}
