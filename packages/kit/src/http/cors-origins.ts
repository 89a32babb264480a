/** `*` (development) or an explicit list, as CORS_ORIGINS gives them. */
export function corsOriginsFrom(setting: string): true | string[] {
  const origins = setting.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '');
  return origins.includes('*') ? true : origins;
}
