/** The auth service's tables as Kysely sees them (snake_case columns, ISO-8601 UTC text times). */
export interface AuthTables {
  users: {
    id: string;
    email: string;
    password_hash: string;
    display_name: string | null;
    /** Who created the account: the person (`registration`) or LIFT_ADMIN_EMAIL's bootstrap. */
    origin: 'registration' | 'bootstrap';
    /** When the person proved they read this address (a verification or reset link); null until then. */
    email_verified_at: string | null;
    /** Incremented by every password reset: sessions started under an older one are dead. */
    credential_generation: number;
    /** When a password reset last moved the generation on; null if never. */
    credentials_changed_at: string | null;
    created_at: string;
    updated_at: string;
  };
  organisations: {
    id: string;
    name: string;
    kind: 'tenant' | 'platform';
    created_at: string;
  };
  memberships: {
    organisation_id: string;
    user_id: string;
    role: string;
    created_at: string;
    /** This membership's own identity: a person removed and added back has a new one (null only if written by an older version during the upgrade). */
    membership_id: string | null;
  };
  refresh_tokens: {
    id: string;
    family_id: string;
    user_id: string;
    organisation_id: string;
    token_hash: string;
    created_at: string;
    expires_at: string;
    used_at: string | null;
    revoked_at: string | null;
    /** The user's credential generation when the family started; copied to every successor. */
    generation: number;
    /** The membership the family started under; copied to every successor (null: a family from before migration 0010, not checked). */
    membership_id: string | null;
  };
  api_keys: {
    id: string;
    organisation_id: string;
    name: string;
    prefix: string;
    key_hash: string;
    permissions: string;
    created_by: string;
    created_at: string;
    expires_at: string | null;
    last_used_at: string | null;
    revoked_at: string | null;
  };
  signing_keys: {
    kid: string;
    algorithm: string;
    public_jwk: string;
    private_jwk: string;
    created_at: string;
    /** When it starts signing: published (in the JWKS) from created_at, signing from here. */
    sign_from: string;
    sign_until: string;
    publish_until: string;
    revoked_at: string | null;
  };
  server_secrets: {
    name: string;
    value: string;
    created_at: string;
  };
  audit_events: {
    id: string;
    organisation_id: string | null;
    actor_id: string | null;
    action: string;
    target_type: string | null;
    target_id: string | null;
    ip: string | null;
    details: string;
    created_at: string;
  };
  mail_outbox: {
    id: string;
    kind: string;
    recipient: string;
    subject: string;
    /** Null once sent or abandoned: the text held a single-use link. */
    body_text: string | null;
    created_at: string;
    attempts: number;
    next_attempt_at: string;
    /** A sender has it until then (replicas share the outbox). */
    lease_until: string | null;
    sent_at: string | null;
    abandoned_at: string | null;
    last_error: string | null;
  };
  account_tokens: {
    id: string;
    user_id: string;
    purpose: 'email-verification' | 'password-reset';
    /** SHA-256 of the token: the token itself is only in the message sent. */
    token_hash: string;
    created_at: string;
    expires_at: string;
    /** Set when redeemed, or when a newer token of the same purpose replaced it. */
    used_at: string | null;
  };
  invitations: {
    id: string;
    organisation_id: string;
    /** Normalised: only the account with this address can accept. */
    email: string;
    role: string;
    token_hash: string;
    invited_by: string;
    created_at: string;
    expires_at: string;
    accepted_at: string | null;
    accepted_by: string | null;
    /** Revoked by an admin, or replaced by a newer invitation of the same address. */
    revoked_at: string | null;
  };
  account_requests: {
    id: string;
    kind: 'registration' | 'password-reset';
    /** Normalised. */
    email: string;
    /** The client's address, for the audit log. */
    ip: string;
    /** JSON: for a registration, the password's hash and the names asked for. */
    payload: string | null;
    created_at: string;
    /** Rounds that failed on it (a database error); given up after a few. */
    attempts: number;
    next_attempt_at: string;
  };
  pending_registrations: {
    id: string;
    email: string;
    /** The password chosen when registering; confirming must repeat it. */
    password_hash: string;
    display_name: string | null;
    organisation_name: string | null;
    /** SHA-256 of the token in the link. */
    token_hash: string;
    /** Passwords tried with the link (counted before each is checked); the link dies after a few. */
    tries: number;
    created_at: string;
    expires_at: string;
  };
}
