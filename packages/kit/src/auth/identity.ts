/** Who is calling, as an access token tells it (claims `sub`, `org`, `roles`, `perms`, `jti`, `exp`). */
export interface Identity {
  /** `sub`: a user id, `svc:<name>` for a service, `apikey:<id>` for an API key. */
  readonly subject: string;
  /** `org`: the organisation the token acts for. */
  readonly organisation: string;
  readonly roles: readonly string[];
  readonly permissions: readonly string[];
  /** `jti`: unique per token; what a revocation names. */
  readonly tokenId: string;
  /** `exp` in seconds since the epoch. */
  readonly expiresAt: number;
  /** `iat` in seconds since the epoch: a revocation refuses the tokens issued before it. */
  readonly issuedAt: number;
  /** `aud`: the audience the token was accepted for (`lift-os`, or `module:<id>` at a module). */
  readonly audience: string;
  /** `client_id` (RFC 9068): the client that obtained the token, when the token names one. */
  readonly clientId?: string;
  /**
   * `act.sub` (RFC 8693): who acts on the subject's behalf — a module holding a token it obtained
   * by token exchange. Such a token is delegated: it never starts sessions or changes accounts.
   */
  readonly actor?: string;
}

export function hasPermission(identity: Identity, permission: string): boolean {
  return identity.permissions.includes(permission);
}
