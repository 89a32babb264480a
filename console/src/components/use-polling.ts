import { useEffect, useRef } from 'preact/hooks';

/** Calls `tick` now and every `intervalMs` while the page is open and visible. */
export function usePolling(tick: () => Promise<void>, intervalMs: number): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const run = async () => {
      if (document.visibilityState === 'visible') await latest.current().catch(() => undefined);
      if (!stopped) timer = setTimeout(() => void run(), intervalMs);
    };
    void run();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [intervalMs]);
}
