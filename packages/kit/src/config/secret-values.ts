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

/** A URL with its user information (`user:password@`) replaced by `***@`; other text unchanged. */
export function withoutUserinfo(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@');
}

/**
 * How a rejected value is quoted in a configuration error: ` (got "…")`, with URL credentials
 * replaced, or nothing at all for a secret variable or a value that came from a secret reference.
 */
export function quotedValue(name: string, value: string | undefined, fromSecretReference: boolean): string {
  if (value === undefined || fromSecretReference || isSecretVariable(name)) return '';
  return ` (got ${JSON.stringify(withoutUserinfo(value))})`;
}
