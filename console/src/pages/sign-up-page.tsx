import { useState } from 'preact/hooks';
import type { Session } from '../api/types.js';
import { Field } from '../components/field.js';
import { Link } from '../components/link.js';
import { Notice, ProblemNotice } from '../components/status.js';
import { useAction } from '../components/use-resource.js';
import { useSession } from '../session.js';

type Registered = (Session & { organisationName: string }) | { verificationRequired: true; message: string };

/** A new account with its own organisation; where verification is required, the link finishes it. */
export function SignUpPage() {
  const { api, begin } = useSession();
  const [form, setForm] = useState({ email: '', password: '', displayName: '', organisationName: '' });
  const [sent, setSent] = useState<string | undefined>(undefined);
  const action = useAction();
  const set = (name: keyof typeof form) => (event: { currentTarget: HTMLInputElement }) => setForm({ ...form, [name]: event.currentTarget.value });
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const optional = Object.fromEntries(Object.entries({ displayName: form.displayName, organisationName: form.organisationName }).filter(([, value]) => value.trim() !== ''));
      const answer = await api.post<Registered>('/auth/v1/register', { email: form.email, password: form.password, ...optional, refreshTokenDelivery: 'cookie' });
      if ('verificationRequired' in answer) setSent(answer.message);
      else await begin(answer);
    });
  };
  if (sent) {
    return (
      <main id="main" class="narrow">
        <h1>Check your inbox</h1>
        <Notice>{sent}</Notice>
        <p>
          <Link to="/">Back to sign in</Link>
        </p>
      </main>
    );
  }
  return (
    <main id="main" class="narrow">
      <h1>Create your Lift OS account</h1>
      <form onSubmit={submit} aria-label="Sign up">
        <ProblemNotice problem={action.problem} />
        <Field id="email" label="E-mail" type="email" autoComplete="email" required value={form.email} onInput={set('email')} />
        <Field id="password" label="Password" type="password" autoComplete="new-password" required minLength={8} value={form.password} onInput={set('password')} hint="At least 8 characters; not a common password." />
        <Field id="displayName" label="Your name (optional)" autoComplete="name" value={form.displayName} onInput={set('displayName')} />
        <Field id="organisationName" label="Organisation name (optional)" autoComplete="organization" value={form.organisationName} onInput={set('organisationName')} />
        <button type="submit" disabled={action.busy}>
          {action.busy ? 'Creating…' : 'Create account'}
        </button>
      </form>
      <p>
        Have an account? <Link to="/">Sign in</Link>
      </p>
    </main>
  );
}
