import { useEffect, useState } from 'preact/hooks';
import { ApiProblem, asProblem } from '../api/problem.js';
import { serverSentEvents } from '../api/server-sent-events.js';
import type { LogLine } from '../api/types.js';
import { useSession } from '../session.js';

/** Lines kept on the page: the newest, like a terminal's scrollback. */
const keptLines = 500;

/** While `on`, the lines observability commits from now on that match `query`, newest first. */
export function useLiveTail(on: boolean, query: string): { lines: readonly LogLine[]; problem: ApiProblem | undefined; connected: boolean } {
  const { api } = useSession();
  const [lines, setLines] = useState<readonly LogLine[]>([]);
  const [problem, setProblem] = useState<ApiProblem | undefined>(undefined);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    if (!on) return;
    const stop = new AbortController();
    setLines([]);
    setProblem(undefined);
    void (async () => {
      try {
        const body = await api.stream(`/observability/v1/logs/stream?${query}`, stop.signal);
        setConnected(true);
        for await (const event of serverSentEvents(body)) {
          if (event.event !== 'log') continue;
          const line = JSON.parse(event.data) as LogLine;
          setLines((previous) => [line, ...previous].slice(0, keptLines));
        }
        // The platform ended the stream (a restart, a closing replica): said, not silently stopped.
        if (!stop.signal.aborted) setProblem(new ApiProblem(0, 'The live tail ended', 'The platform closed the stream (it may be restarting). Stop and start the live tail to follow the logs again.', undefined, undefined));
      } catch (error) {
        if (!stop.signal.aborted) setProblem(asProblem(error));
      } finally {
        setConnected(false);
      }
    })();
    return () => stop.abort();
  }, [on, query, api]);
  return { lines, problem, connected };
}
