import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Loading } from './status.js';

/**
 * A page loaded when first opened: the platform admins' pages (and their charting library) stay
 * out of the bundle everyone loads first.
 */
export function lazyPage(load: () => Promise<FunctionComponent>): FunctionComponent {
  let loaded: FunctionComponent | undefined;
  return function LazyPage() {
    const [component, setComponent] = useState<FunctionComponent | undefined>(() => loaded);
    useEffect(() => {
      if (!loaded)
        void load().then((page) => {
          loaded = page;
          setComponent(() => page);
        });
    }, []);
    const Page = component;
    return Page ? <Page /> : <Loading what="the page" />;
  };
}
