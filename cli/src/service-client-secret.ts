/** One client's secret in SERVICE_CLIENT_SECRETS (`name:secret,…`, as the kit's serviceClientSecrets reads it). */
export function clientSecret(setting: string | undefined, client: string): string | undefined {
  for (const pair of (setting ?? '').split(',')) {
    const separator = pair.indexOf(':');
    if (separator > 0 && pair.slice(0, separator).trim() === client) return pair.slice(separator + 1).trim();
  }
  return undefined;
}
