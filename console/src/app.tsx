import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import { Layout } from './components/layout.js';
import { Link } from './components/link.js';
import { Loading } from './components/status.js';
import { pagesFor } from './pages/page-table.js';
import { SignInPage } from './pages/sign-in-page.js';
import { SignUpPage } from './pages/sign-up-page.js';
import { AcceptInvitationPage, ConfirmRegistrationPage, ResetPasswordPage, VerifyEmailPage } from './pages/token-pages.js';
import { navigate, useLocation } from './router.js';
import { useSession } from './session.js';

/** Pages the account mails link to, open signed in or not. */
const linkPages: Record<string, (token: string | null) => JSX.Element> = {
  '/verify-email': (token) => <VerifyEmailPage token={token} />,
  '/confirm-registration': (token) => <ConfirmRegistrationPage token={token} />,
  '/reset-password': (token) => <ResetPasswordPage token={token} />,
  '/accept-invitation': (token) => <AcceptInvitationPage token={token} />,
};

export function App() {
  const { state } = useSession();
  const { route, query } = useLocation();
  const pages = state.status === 'signed-in' ? pagesFor(state.me) : [];
  // The platform's people land on the overview; everyone else on their organisation.
  const landing = (pages.find((candidate) => candidate.route === '/overview') ?? pages[0])?.route;
  useEffect(() => {
    if (state.status === 'signed-in' && (route === '/' || route === '/sign-up') && landing) navigate(landing, { replace: true });
  }, [state.status, route, landing]);
  useEffect(() => {
    const page = pages.find((candidate) => candidate.route === route);
    document.title = page ? `${page.title} · Lift OS console` : 'Lift OS console';
  }, [route, pages]);

  if (state.status === 'loading') {
    return (
      <main id="main" class="narrow">
        <Loading what="the console" />
      </main>
    );
  }
  const linkPage = linkPages[route];
  if (linkPage) return linkPage(query.get('token'));
  if (state.status === 'signed-out') return route === '/sign-up' ? <SignUpPage /> : <SignInPage />;
  const page = pages.find((candidate) => candidate.route === route);
  return (
    <Layout pages={pages} route={route}>
      {page ? (
        <page.component />
      ) : route === '/' ? (
        <p>Your role gives you no console pages in this organisation.</p>
      ) : (
        <>
          <h1>Page not found</h1>
          <p>
            There is no page here, or it is not one your role in this organisation may see. <Link to="/">Go to the console's start</Link>
          </p>
        </>
      )}
    </Layout>
  );
}
