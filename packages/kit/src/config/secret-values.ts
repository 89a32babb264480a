/**
 * Which configuration values may appear in an error message. A rejected value is often a
 * mistyped secret, and configuration errors go to stderr, CI logs and orchestrator events that
 * many people read; so a secret is never shown, only named.
 */
const secretNamePattern = /SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|KEY|CREDENTIAL|PRIVATE/i;

/** Whether a variable holds a secret by its name (JWT_SECRET, DB_PASSWORD, STRIPE_API_KEY, VAULT_TOKEN, …). */
export function isSecretVariable(name: string): boolean {
  return secretNamePattern.test(name);
}

/**
 * A value with anything that may be user information replaced by `***@`: everything up to the
 * last `@` (after the scheme, when there is one). A password may itself contain `@`, `/` or `:`,
 * and a URL missing its scheme (`user:pw@redis:6379`) is still one, so no URL parsing decides it.
 */
export function withoutUserinfo(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 0) return value;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(value)?.[0] ?? '';
  return `${scheme}***${value.slice(at)}`;
}

/**
 * How a rejected value is quoted in a configuration error: ` (got "…")`, with URL credentials
 * replaced, or nothing at all for a secret variable or a value that came from a secret reference.
 */
export function quotedValue(name: string, value: string | undefined, fromSecretReference: boolean): string {
  if (value === undefined || fromSecretReference || isSecretVariable(name)) return '';
  return ` (got ${JSON.stringify(withoutUserinfo(value))})`;
}
