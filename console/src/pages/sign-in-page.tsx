import { useState } from 'preact/hooks';
import type { Session } from '../api/types.js';
import { Field } from '../components/field.js';
import { Link } from '../components/link.js';
import { ProblemNotice } from '../components/status.js';
import { useAction } from '../components/use-resource.js';
import { useSession } from '../session.js';

/** Email and password; the refresh token comes back as the HttpOnly cookie, never to this page. */
export function SignInPage(props: { afterSignIn?: () => void; heading?: string }) {
  const { api, begin } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      await begin(await api.post<Session>('/auth/v1/login', { email, password, refreshTokenDelivery: 'cookie' }));
      props.afterSignIn?.();
    });
  };
  return (
    <main id="main" class="narrow">
      <h1>{props.heading ?? 'Sign in to Lift OS'}</h1>
      <form onSubmit={submit} aria-label="Sign in">
        <ProblemNotice problem={action.problem} />
        <Field id="email" label="E-mail" type="email" autoComplete="username" required value={email} onInput={(event) => setEmail(event.currentTarget.value)} />
        <Field id="password" label="Password" type="password" autoComplete="current-password" required value={password} onInput={(event) => setPassword(event.currentTarget.value)} />
        <button type="submit" disabled={action.busy}>
          {action.busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p>
        New here? <Link to="/sign-up">Create an account</Link> · <Link to="/reset-password">Forgot your password?</Link>
      </p>
    </main>
  );
}
