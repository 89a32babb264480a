import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { ApiClient } from './api/client.js';
import type { Me, Session } from './api/types.js';

export type SessionState = { readonly status: 'loading' } | { readonly status: 'signed-out' } | { readonly status: 'signed-in'; readonly me: Me };

export interface SessionControls {
  readonly state: SessionState;
  readonly api: ApiClient;
  /** Starts using a session auth answered with (login, registration, switch): its refresh token is the cookie. */
  readonly begin: (session: Session) => Promise<void>;
  readonly signOut: () => Promise<void>;
  readonly switchOrganisation: (organisationId: string) => Promise<void>;
  /** Reads the caller again (roles or verification may have changed). */
  readonly reload: () => Promise<void>;
}

const SessionContext = createContext<SessionControls | undefined>(undefined);

export function SessionProvider(props: { children: ComponentChildren }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const api = useMemo(() => new ApiClient(() => setState({ status: 'signed-out' })), []);
  const reload = useCallback(async () => {
    if (!api.signedIn) return setState({ status: 'signed-out' });
    setState({ status: 'signed-in', me: await api.get<Me>('/auth/v1/me') });
  }, [api]);
  const begin = useCallback(
    async (session: Session) => {
      api.adopt(session);
      await reload();
    },
    [api, reload],
  );
  const signOut = useCallback(async () => {
    // Only once the session ended on the server: signed out on the page with the cookie still
    // valid, a reload would sign the person back in.
    await api.endSession();
    setState({ status: 'signed-out' });
  }, [api]);
  const switchOrganisation = useCallback(
    async (organisationId: string) => begin(await api.post<Session>('/auth/v1/token/switch', { organisationId, refreshTokenDelivery: 'cookie' })),
    [api, begin],
  );
  useEffect(() => {
    // A reload keeps the session: the refresh cookie gives a new access token.
    void api
      .resume()
      .then((resumed) => (resumed ? reload() : setState({ status: 'signed-out' })))
      .catch(() => setState({ status: 'signed-out' }));
  }, [api, reload]);
  const controls = useMemo(() => ({ state, api, begin, signOut, switchOrganisation, reload }), [state, api, begin, signOut, switchOrganisation, reload]);
  return <SessionContext.Provider value={controls}>{props.children}</SessionContext.Provider>;
}

export function useSession(): SessionControls {
  const controls = useContext(SessionContext);
  if (!controls) throw new Error('useSession outside SessionProvider');
  return controls;
}

/** The signed-in caller; pages behind the sign-in only. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useMe on a page for signed-in people');
  return state.me;
}

export function can(me: Me, permission: string): boolean {
  return me.permissions.includes(permission);
}
