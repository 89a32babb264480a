import { useCallback, useEffect, useState } from 'preact/hooks';
import { asProblem, type ApiProblem } from '../api/problem.js';

export interface Resource<T> {
  readonly data: T | undefined;
  readonly problem: ApiProblem | undefined;
  readonly loading: boolean;
  readonly reload: () => Promise<void>;
}

/** Data a page shows, loaded when its inputs change; a failure is kept as a problem to show. */
export function useResource<T>(load: () => Promise<T>, inputs: readonly unknown[]): Resource<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [problem, setProblem] = useState<ApiProblem | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setData(await load());
      setProblem(undefined);
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setLoading(false);
    }
  }, inputs);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, problem, loading, reload };
}

/** A form's submission: busy while it runs, its problem kept to show beside the form. */
export function useAction(): { busy: boolean; problem: ApiProblem | undefined; run: (work: () => Promise<void>) => Promise<void>; clear: () => void } {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | undefined>(undefined);
  const run = useCallback(async (work: () => Promise<void>) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await work();
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, problem, run, clear: () => setProblem(undefined) };
}
