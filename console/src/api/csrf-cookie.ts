/**
 * The CSRF token auth sets beside the HttpOnly refresh cookie (lift_csrf, readable by this page):
 * sent back in x-csrf-token on the routes that read the refresh cookie. Its presence also says a
 * browser session may exist, so a first visit does not ask auth for one.
 */
export function csrfToken(cookies: string = document.cookie): string | undefined {
  for (const pair of cookies.split(';')) {
    const [name, ...value] = pair.trim().split('=');
    if (name === 'lift_csrf') return decodeURIComponent(value.join('='));
  }
  return undefined;
}
