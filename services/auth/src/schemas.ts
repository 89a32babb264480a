import { Type } from '@sinclair/typebox';
import { tenantRoles } from './permissions.js';
import { maxPasswordLength } from './passwords.js';

// Every body is closed (unknown fields are a 400) and every string bounded, so a huge value is
// refused by validation before any work — a megabyte password never reaches argon2.
const closed = { additionalProperties: false } as const;

export const Email = Type.String({ format: 'email', maxLength: 254, description: 'compared case-insensitively' });
export const Password = Type.String({ minLength: 1, maxLength: maxPasswordLength });
/**
 * A name people read (organisation, display name, API key): no control characters — an
 * organisation's name goes into invitation mail, where a line break would start text of the
 * name-giver's choosing under our From.
 */
export const Name = Type.String({ minLength: 1, maxLength: 120, pattern: '^[^\\u0000-\\u001f\\u007f]*$' });
export const Id = Type.String({ minLength: 1, maxLength: 64 });
export const Role = Type.Union(tenantRoles.map((role) => Type.Literal(role)));
export const Permission = Type.String({ pattern: '^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$', maxLength: 64 });

/** How a new session's refresh token is handed over: in the JSON (API clients) or as cookies (the web console). */
export const RefreshTokenDelivery = Type.Optional(
  Type.Union([Type.Literal('body'), Type.Literal('cookie')], {
    default: 'body',
    description:
      'body (default): the refresh token is in the answer. cookie, for the web console: it is not; the answer sets the HttpOnly lift_refresh cookie (sent only to /auth/v1/token/*) and the lift_csrf cookie, whose value goes in x-csrf-token when refreshing (POST /v1/token/refresh with no refreshToken) or logging out (POST /v1/token/logout)',
  }),
);

export const RegisterBody = Type.Object(
  { email: Email, password: Password, displayName: Type.Optional(Name), organisationName: Type.Optional(Name), refreshTokenDelivery: RefreshTokenDelivery },
  closed,
);
export const LoginBody = Type.Object({ email: Email, password: Password, organisationId: Type.Optional(Id), refreshTokenDelivery: RefreshTokenDelivery }, closed);
const RefreshToken = Type.String({ minLength: 1, maxLength: 200 });
export const RefreshBody = Type.Object({ refreshToken: RefreshToken }, closed);
export const TokenRefreshBody = Type.Object(
  { refreshToken: Type.Optional(RefreshToken) },
  { ...closed, description: 'with refreshToken: that token, answered in the body. Without (an empty or no body): the lift_refresh cookie, with its CSRF token in x-csrf-token, answered as cookies' },
);
export const SwitchBody = Type.Object({ organisationId: Id, refreshTokenDelivery: RefreshTokenDelivery }, closed);

export const SessionBody = Type.Object({
  accessToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer({ description: 'seconds until the access token expires' }),
  refreshToken: Type.Optional(
    Type.String({ description: 'opaque; rotated on every use. Absent when the session went out as cookies (refreshTokenDelivery cookie): the browser keeps it in the HttpOnly lift_refresh cookie, out of reach of scripts' }),
  ),
  userId: Type.String(),
  organisationId: Type.String(),
});
export const RegisteredBody = Type.Composite([SessionBody, Type.Object({ organisationName: Type.String() })]);
export const RegistrationAcceptedBody = Type.Object(
  {
    email: Type.String(),
    verificationRequired: Type.Literal(true),
    message: Type.String(),
  },
  { description: 'the same for a new and a taken address: the link (or a notice) is in that inbox; the link leads to POST /v1/register/confirm' },
);
export const MailAcceptedBody = Type.Object({ message: Type.String() });
export const AccountTokenBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200, description: 'from the link in the message' }) }, closed);
export const PasswordResetBody = Type.Object({ email: Email }, closed);
export const PasswordResetConfirmBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }), password: Password }, closed);
export const RegistrationConfirmBody = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 200, description: 'from the link in the message' }),
    password: Type.String({ minLength: 1, maxLength: maxPasswordLength, description: 'the password chosen when registering' }),
    refreshTokenDelivery: RefreshTokenDelivery,
  },
  closed,
);

export const AccessTokenBody = Type.Object({
  accessToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer(),
});

export const MembershipBody = Type.Object({
  organisationId: Type.String(),
  organisationName: Type.String(),
  kind: Type.Union([Type.Literal('tenant'), Type.Literal('platform')]),
  role: Type.String(),
  since: Type.String({ format: 'date-time' }),
});
export const MeBody = Type.Object({
  id: Type.String(),
  email: Type.String(),
  emailVerified: Type.Boolean({ description: 'whether the person proved they read this address' }),
  displayName: Type.Union([Type.String(), Type.Null()]),
  organisationId: Type.String({ description: 'the organisation this token acts for' }),
  roles: Type.Array(Type.String()),
  permissions: Type.Array(Type.String()),
  memberships: Type.Array(MembershipBody),
});

export const OrganisationParams = Type.Object({ organisationId: Id });
export const MemberParams = Type.Object({ organisationId: Id, userId: Id });
export const CreateOrganisationBody = Type.Object({ name: Name }, closed);
export const OrganisationBody = Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String(), role: Type.String(), createdAt: Type.String() });
export const AddMemberBody = Type.Object({ email: Email, role: Role }, closed);
export const ChangeRoleBody = Type.Object({ role: Role }, closed);
export const MemberBody = Type.Object({
  userId: Type.String(),
  email: Type.String(),
  displayName: Type.Union([Type.String(), Type.Null()]),
  role: Type.String(),
  since: Type.String(),
});
export const MemberList = Type.Object({ items: Type.Array(MemberBody), nextCursor: Type.Null() });
export const OrganisationList = Type.Object({ items: Type.Array(MembershipBody), nextCursor: Type.Null() });

export const CreateApiKeyBody = Type.Object(
  {
    name: Name,
    permissions: Type.Array(Permission, { minItems: 1, maxItems: 50, uniqueItems: true }),
    expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  closed,
);
export const ApiKeyBody = Type.Object({
  id: Type.String(),
  organisationId: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  permissions: Type.Array(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.String(),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});
export const CreatedApiKeyBody = Type.Composite([ApiKeyBody, Type.Object({ key: Type.String({ description: 'shown this once; store it now' }) })]);
export const ApiKeyList = Type.Object({ items: Type.Array(ApiKeyBody), nextCursor: Type.Null() });
export const ApiKeyParams = Type.Object({ apiKeyId: Id });
export const ExchangeBody = Type.Object({ apiKey: Type.String({ minLength: 1, maxLength: 200 }) }, closed);

export const VerifyBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 8192 }) }, closed);
export const IntrospectionBody = Type.Object({
  active: Type.Boolean(),
  sub: Type.Optional(Type.String()),
  org: Type.Optional(Type.String()),
  roles: Type.Optional(Type.Array(Type.String())),
  perms: Type.Optional(Type.Array(Type.String())),
  exp: Type.Optional(Type.Integer()),
  iat: Type.Optional(Type.Integer()),
  jti: Type.Optional(Type.String()),
  client_id: Type.Optional(Type.String()),
  act: Type.Optional(Type.Object({ sub: Type.String() }, { description: 'who acts for the subject with this token (a module): a delegated token' })),
});

export const AuditQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  cursor: Type.Optional(Type.String({ maxLength: 100 })),
});
export const AuditEventBody = Type.Object({
  id: Type.String(),
  organisationId: Type.Union([Type.String(), Type.Null()]),
  actorId: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String(),
});
export const AuditList = Type.Object({ items: Type.Array(AuditEventBody), nextCursor: Type.Union([Type.String(), Type.Null()]) });


export const InviteBody = Type.Object({ email: Email, role: Role }, closed);
export const InvitationBody = Type.Object({
  id: Type.String(),
  organisationId: Type.String(),
  email: Type.String(),
  role: Type.String(),
  invitedBy: Type.String(),
  createdAt: Type.String(),
  expiresAt: Type.String(),
});
export const InvitationList = Type.Object({ items: Type.Array(InvitationBody), nextCursor: Type.Null() });
export const InvitationParams = Type.Object({ organisationId: Id, invitationId: Id });
export const AcceptedInvitationBody = Type.Object({ organisationId: Type.String(), organisationName: Type.String(), role: Type.String() });
