import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { Session } from '../api/types.js';
import { Field } from '../components/field.js';
import { Link } from '../components/link.js';
import { Notice, ProblemNotice } from '../components/status.js';
import { useAction } from '../components/use-resource.js';
import { useSession } from '../session.js';
import { navigate } from '../router.js';
import { SignInPage } from './sign-in-page.js';

/*
 * The pages the account mails link to. Opening the link spends nothing (mail scanners fetch every
 * link): the person presses a button and the page posts the token from the address.
 */

function Frame(props: { title: string; children: ComponentChildren }) {
  return (
    <main id="main" class="narrow">
      <h1>{props.title}</h1>
      {props.children}
    </main>
  );
}

const missingToken = (
  <p class="notice notice-error" role="alert">
    This link has no token. Open the whole link from the message, or ask for a new one.
  </p>
);

export function VerifyEmailPage(props: { token: string | null }) {
  const { api, state, reload } = useSession();
  const action = useAction();
  const [done, setDone] = useState<string | undefined>(undefined);
  const { token } = props;
  const confirm = () =>
    action.run(async () => {
      await api.post('/auth/v1/email-verification/confirm', { token });
      setDone('Your e-mail address is verified.');
      if (state.status === 'signed-in') await reload();
    });
  const resend = () =>
    action.run(async () => {
      await api.post('/auth/v1/email-verification');
      setDone('A new link is on its way to your inbox.');
    });
  return (
    <Frame title="Verify your e-mail address">
      <ProblemNotice problem={action.problem} />
      {done ? (
        <>
          <Notice>{done}</Notice>
          <p>
            <Link to="/">Continue to the console</Link>
          </p>
        </>
      ) : token ? (
        <button type="button" disabled={action.busy} onClick={() => void confirm()}>
          Verify my address
        </button>
      ) : state.status === 'signed-in' ? (
        <button type="button" disabled={action.busy} onClick={() => void resend()}>
          Send a new verification link
        </button>
      ) : (
        missingToken
      )}
    </Frame>
  );
}

export function ConfirmRegistrationPage(props: { token: string | null }) {
  const { api, begin } = useSession();
  const action = useAction();
  const [password, setPassword] = useState('');
  if (!props.token) return <Frame title="Finish creating your account">{missingToken}</Frame>;
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => begin(await api.post<Session>('/auth/v1/register/confirm', { token: props.token, password, refreshTokenDelivery: 'cookie' })));
  };
  return (
    <Frame title="Finish creating your account">
      <form onSubmit={submit} aria-label="Finish creating your account">
        <ProblemNotice problem={action.problem} />
        <Field id="password" label="The password you chose" type="password" autoComplete="current-password" required value={password} onInput={(event) => setPassword(event.currentTarget.value)} />
        <button type="submit" disabled={action.busy}>
          Create my account
        </button>
      </form>
    </Frame>
  );
}

export function ResetPasswordPage(props: { token: string | null }) {
  const { api } = useSession();
  const action = useAction();
  const [value, setValue] = useState('');
  const [done, setDone] = useState<string | undefined>(undefined);
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      if (props.token) {
        await api.post('/auth/v1/password-reset/confirm', { token: props.token, password: value });
        setDone('Your password is changed and every session ended. Sign in with the new one.');
      } else {
        await api.post('/auth/v1/password-reset', { email: value });
        setDone('If an account uses this address, a reset link is on its way.');
      }
    });
  };
  return (
    <Frame title={props.token ? 'Choose a new password' : 'Reset your password'}>
      <ProblemNotice problem={action.problem} />
      {done ? (
        <>
          <Notice>{done}</Notice>
          <p>
            <Link to="/">Sign in</Link>
          </p>
        </>
      ) : (
        <form onSubmit={submit} aria-label={props.token ? 'Choose a new password' : 'Reset your password'}>
          {props.token ? (
            <Field id="password" label="New password" type="password" autoComplete="new-password" required minLength={8} value={value} onInput={(event) => setValue(event.currentTarget.value)} />
          ) : (
            <Field id="email" label="E-mail" type="email" autoComplete="email" required value={value} onInput={(event) => setValue(event.currentTarget.value)} />
          )}
          <button type="submit" disabled={action.busy}>
            {props.token ? 'Set password' : 'Send reset link'}
          </button>
        </form>
      )}
    </Frame>
  );
}

export function AcceptInvitationPage(props: { token: string | null }) {
  const { api, state, switchOrganisation } = useSession();
  const action = useAction();
  const [joined, setJoined] = useState<{ organisationId: string; organisationName: string; role: string } | undefined>(undefined);
  if (!props.token) return <Frame title="Accept an invitation">{missingToken}</Frame>;
  // The invitation is for an address: the person signs in (or signs up) first, then accepts.
  if (state.status !== 'signed-in') return <SignInPage heading="Sign in to accept the invitation" />;
  const accept = () =>
    action.run(async () => {
      setJoined(await api.post('/auth/v1/invitations/accept', { token: props.token }));
    });
  return (
    <Frame title="Accept an invitation">
      <ProblemNotice problem={action.problem} />
      {joined ? (
        <>
          <Notice>
            You joined {joined.organisationName} as {joined.role}.
          </Notice>
          <button type="button" onClick={() => void action.run(async () => {
            await switchOrganisation(joined.organisationId);
            navigate('/', { replace: true });
          })}>
            Switch to {joined.organisationName}
          </button>
        </>
      ) : (
        <button type="button" disabled={action.busy} onClick={() => void accept()}>
          Accept the invitation
        </button>
      )}
    </Frame>
  );
}
