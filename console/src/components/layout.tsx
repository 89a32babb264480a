import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
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
  const [chosen, setChosen] = useState(me.organisationId);
  // After a switch (here or on a link page) the list shows the organisation now current.
  useEffect(() => setChosen(me.organisationId), [me.organisationId]);
  const run = async (work: () => Promise<void>) => {
    try {
      setProblem(undefined);
      await work();
    } catch (error) {
      setProblem(asProblem(error));
    }
  };
  const change = (organisationId: string) => run(() => switchOrganisation(organisationId));
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
          <form
            class="switcher"
            aria-label="Switch organisation"
            onSubmit={(event) => {
              event.preventDefault();
              void change(chosen);
            }}
          >
            <label for="organisation-switch" class="visually-hidden">
              Organisation
            </label>
            {/* Choosing is not switching: the arrow keys move through the list, the button switches (WCAG 3.2.2). */}
            <select id="organisation-switch" value={chosen} onChange={(event) => setChosen(event.currentTarget.value)}>
              {me.memberships.map((membership) => (
                <option key={membership.organisationId} value={membership.organisationId}>
                  {membership.organisationName} ({membership.role})
                </option>
              ))}
            </select>
            {chosen !== me.organisationId ? (
              <button type="submit" class="secondary">
                Switch
              </button>
            ) : null}
          </form>
          <span class="muted small">{me.email}</span>
          <button
            type="button"
            class="secondary"
            onClick={() =>
              // The next person to sign in here starts at their own landing page, not at this one's.
              void run(async () => {
                await signOut();
                navigate('/', { replace: true });
              })
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
