/** Who is calling, as an access token tells it (claims `sub`, `org`, `roles`, `perms`, `jti`, `exp`). */
export interface Identity {
  /** `sub`: a user id, or `svc:<name>` for a service. */
  readonly subject: string;
  /** `org`: the organisation the token acts for. */
  readonly organisation: string;
  readonly roles: readonly string[];
  readonly permissions: readonly string[];
  /** `jti`: unique per token; what a revocation names. */
  readonly tokenId: string;
  /** `exp` in seconds since the epoch. */
  readonly expiresAt: number;
}

export function hasPermission(identity: Identity, permission: string): boolean {
  return identity.permissions.includes(permission);
}
