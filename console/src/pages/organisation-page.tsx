import { can, useMe } from '../session.js';
import { ApiKeysSection } from './api-keys-section.js';
import { AuditSection } from './audit-section.js';
import { MembersSection } from './members-section.js';

export function OrganisationPage() {
  const me = useMe();
  const current = me.memberships.find((membership) => membership.organisationId === me.organisationId);
  return (
    <>
      <h1>Organisation: {current?.organisationName ?? me.organisationId}</h1>
      <p class="muted">
        You are {current?.role ?? me.roles.join(', ')} here. Organisation id <code>{me.organisationId}</code>
      </p>
      <MembersSection />
      {can(me, 'org:admin') ? (
        <>
          <ApiKeysSection />
          <AuditSection />
        </>
      ) : null}
    </>
  );
}
