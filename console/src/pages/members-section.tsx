import { useState } from 'preact/hooks';
import type { Invitation, List, Member } from '../api/types.js';
import { Field, Select } from '../components/field.js';
import { date } from '../components/format.js';
import { Empty, Loading, Notice, ProblemNotice } from '../components/status.js';
import { Table } from '../components/table.js';
import { useAction, useResource } from '../components/use-resource.js';
import { can, useMe, useSession } from '../session.js';

const roles = ['viewer', 'member', 'admin', 'owner'] as const;

/** Members and their roles; admins also invite people and revoke pending invitations. */
export function MembersSection() {
  const me = useMe();
  const { api } = useSession();
  const organisation = encodeURIComponent(me.organisationId);
  const admin = can(me, 'org:admin');
  const members = useResource(() => api.get<List<Member>>(`/auth/v1/organisations/${organisation}/members`), [api, organisation]);
  const invitations = useResource(async () => (admin ? api.get<List<Invitation>>(`/auth/v1/organisations/${organisation}/invitations`) : { items: [] }), [api, organisation, admin]);
  const [invite, setInvite] = useState({ email: '', role: 'member' });
  const [sent, setSent] = useState<string | undefined>(undefined);
  const action = useAction();
  const submitInvite = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await api.post(`/auth/v1/organisations/${organisation}/invitations`, invite);
      setSent(`Invitation sent to ${invite.email}.`);
      setInvite({ email: '', role: invite.role });
      await invitations.reload();
    });
  };
  const changeRole = (member: Member, role: string) =>
    action.run(async () => {
      await api.patch(`/auth/v1/organisations/${organisation}/members/${encodeURIComponent(member.userId)}`, { role });
      await members.reload();
    });
  const revoke = (invitation: Invitation) =>
    action.run(async () => {
      await api.delete(`/auth/v1/organisations/${organisation}/invitations/${encodeURIComponent(invitation.id)}`);
      await invitations.reload();
    });
  return (
    <>
      <section aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        <ProblemNotice problem={action.problem ?? members.problem} />
        {members.loading && !members.data ? <Loading what="members" /> : null}
        {members.data ? (
          <Table caption="Members" headers={['Member', 'Role', 'Since']}>
            {members.data.items.map((member) => (
              <tr key={member.userId}>
                <td>
                  {member.displayName ? `${member.displayName} · ` : ''}
                  {member.email}
                </td>
                <td>
                  {admin && member.userId !== me.id ? (
                    <select aria-label={`Role of ${member.email}`} value={member.role} disabled={action.busy} onChange={(event) => void changeRole(member, event.currentTarget.value)}>
                      {roles.map((role) => (
                        <option key={role} value={role}>
                          {role}
                        </option>
                      ))}
                    </select>
                  ) : (
                    member.role
                  )}
                </td>
                <td>{date(member.since)}</td>
              </tr>
            ))}
          </Table>
        ) : null}
      </section>
      {admin ? (
        <section aria-labelledby="invitations-heading">
          <h2 id="invitations-heading">Invitations</h2>
          <form class="inline-form" onSubmit={submitInvite} aria-label="Invite someone">
            <Field id="invite-email" label="E-mail to invite" type="email" required value={invite.email} onInput={(event) => setInvite({ ...invite, email: event.currentTarget.value })} />
            <Select id="invite-role" label="Role" value={invite.role} options={roles} onChange={(role) => setInvite({ ...invite, role })} />
            <button type="submit" disabled={action.busy}>
              Invite
            </button>
          </form>
          {sent ? <Notice>{sent}</Notice> : null}
          <ProblemNotice problem={invitations.problem} />
          {invitations.data && invitations.data.items.length === 0 ? <Empty>No pending invitations.</Empty> : null}
          {invitations.data && invitations.data.items.length > 0 ? (
            <Table caption="Pending invitations" headers={['E-mail', 'Role', 'Expires', '']}>
              {invitations.data.items.map((invitation) => (
                <tr key={invitation.id}>
                  <td>{invitation.email}</td>
                  <td>{invitation.role}</td>
                  <td>{date(invitation.expiresAt)}</td>
                  <td>
                    <button type="button" class="danger" disabled={action.busy} onClick={() => void revoke(invitation)} aria-label={`Revoke the invitation of ${invitation.email}`}>
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </Table>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
