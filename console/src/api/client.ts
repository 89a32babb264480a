import { ApiProblem, problemFrom } from './problem.js';
import { csrfToken } from './csrf-cookie.js';
import type { Session } from './types.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Calls the platform through the gateway (same origin). The access token lives only in memory;
 * the refresh token is the HttpOnly cookie auth sets, so a reload or an expired access token
 * costs one refresh call and no token ever reaches localStorage.
 */
export class ApiClient {
  private accessToken: string | undefined;
  private refreshing: Promise<boolean> | undefined;

  constructor(private readonly onSignedOut: () => void) {}

  get signedIn(): boolean {
    return this.accessToken !== undefined;
  }

  /** Keeps the access token of a session auth just started (its refresh token came as a cookie). */
  adopt(session: Session): void {
    this.accessToken = session.accessToken;
  }

  forget(): void {
    this.accessToken = undefined;
  }

  /** A new access token from the refresh cookie; false when there is no browser session (any more). */
  resume(): Promise<boolean> {
    // Parallel requests that all met an expired token share one refresh: a second would present
    // the rotated-away cookie and look like token reuse.
    this.refreshing ??= this.refreshOnce().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async refreshOnce(): Promise<boolean> {
    const csrf = csrfToken();
    if (csrf === undefined) return false;
    const response = await fetch('/auth/v1/token/refresh', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: '{}', credentials: 'same-origin' });
    if (!response.ok) {
      this.accessToken = undefined;
      return false;
    }
    this.adopt((await response.json()) as Session);
    return true;
  }

  /** Ends the browser's session on the server; a failure is thrown, and the page stays signed in. */
  async endSession(): Promise<void> {
    const csrf = csrfToken();
    const response = await fetch('/auth/v1/token/logout', { method: 'POST', headers: { 'content-type': 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) }, body: '{}', credentials: 'same-origin' });
    if (!response.ok) throw await problemFrom(response);
    this.accessToken = undefined;
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PATCH', path, body);
  }

  delete(path: string): Promise<void> {
    return this.call<void>('DELETE', path);
  }

  /** One call; an expired access token is renewed once from the cookie and the call made again. */
  async call<T>(method: Method, path: string, body?: unknown): Promise<T> {
    let response = await this.send(method, path, body);
    // Only a refused access token is renewed and the call made again: another 401 (a wrong
    // password on a link page) is the answer, and sending it twice would count twice.
    if (response.status === 401 && this.accessToken !== undefined && accessTokenRefused(response)) {
      if (await this.resume()) response = await this.send(method, path, body);
      else this.onSignedOut();
    }
    if (!response.ok) throw await problemFrom(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  /**
   * A streaming GET (server-sent events) with the access token: EventSource cannot send an
   * Authorization header, so the page reads the body itself. An expired token is renewed once.
   */
  async stream(path: string, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const open = () => fetch(path, { headers: { accept: 'text/event-stream', ...(this.accessToken ? { authorization: `Bearer ${this.accessToken}` } : {}) }, credentials: 'same-origin', signal });
    let response = await open();
    if (response.status === 401 && (await this.resume())) response = await open();
    if (!response.ok || !response.body) throw await problemFrom(response);
    return response.body;
  }

  private send(method: Method, path: string, body: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.accessToken !== undefined) headers.authorization = `Bearer ${this.accessToken}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(path, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  }
}

/** Whether a 401 says the access token is what failed (the RFC 6750 challenge every service sends then). */
function accessTokenRefused(response: Response): boolean {
  return /\binvalid_token\b/.test(response.headers.get('www-authenticate') ?? '');
}

export { ApiProblem };
