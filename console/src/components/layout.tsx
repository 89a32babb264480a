import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { asProblem, type ApiProblem } from '../api/problem.js';
import type { ConsolePage } from '../pages/page-table.js';
import { useMe, useSession } from '../session.js';
import { Link } from './link.js';
import { navigate } from '../router.js';
import { ProblemNotice } from './status.js';

/** The frame of every signed-in page: navigation, the organisation switcher and sign-out. */
export function Layout(props: { pages: readonly ConsolePage[]; route: string; children: ComponentChildren }) {
  const me = useMe();
  const { signOut, switchOrganisation } = useSession();
  const [problem, setProblem] = useState<ApiProblem | undefined>(undefined);
  const change = async (organisationId: string) => {
    try {
      setProblem(undefined);
      await switchOrganisation(organisationId);
    } catch (error) {
      setProblem(asProblem(error));
    }
  };
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <Link to="/" class="brand">
          Lift OS
        </Link>
        <nav aria-label="Console">
          <ul>
            {props.pages.map((page) => (
              <li key={page.route}>
                <Link to={page.route} current={props.route === page.route}>
                  {page.title}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div class="account">
          <label for="organisation-switch" class="visually-hidden">
            Organisation
          </label>
          <select id="organisation-switch" value={me.organisationId} onChange={(event) => void change(event.currentTarget.value)}>
            {me.memberships.map((membership) => (
              <option key={membership.organisationId} value={membership.organisationId}>
                {membership.organisationName} ({membership.role})
              </option>
            ))}
          </select>
          <span class="muted small">{me.email}</span>
          <button
            type="button"
            class="secondary"
            onClick={() =>
              // The next person to sign in here starts at their own landing page, not at this one's.
              void signOut().then(() => navigate('/', { replace: true }))
            }
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <ProblemNotice problem={problem} />
        {me.emailVerified ? null : (
          <p class="notice notice-warn">
            Your e-mail address is not verified yet: open the link we sent you. <Link to="/verify-email">Send a new link</Link>
          </p>
        )}
        {props.children}
      </main>
    </>
  );
}
