import { useEffect, useState } from 'preact/hooks';

/** The console's own routes live under /console/; the gateway answers index.html for each of them. */
export const basePath = '/console';

/** The app route of a location: "/console/memory" → "/memory". */
export function routeOf(pathname: string): string {
  const rest = pathname.startsWith(basePath) ? pathname.slice(basePath.length) : pathname;
  return rest === '' || rest === '/' ? '/' : rest.replace(/\/+$/, '');
}

const listeners = new Set<() => void>();

export function navigate(route: string, options: { replace?: boolean } = {}): void {
  const url = `${basePath}${route}`;
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  for (const listener of listeners) listener();
}

/** The current route and query, following links, back and forward. */
export function useLocation(): { route: string; query: URLSearchParams } {
  const read = () => ({ route: routeOf(location.pathname), query: new URLSearchParams(location.search) });
  const [current, setCurrent] = useState(read);
  useEffect(() => {
    const update = () => setCurrent(read());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return current;
}
