/**
 * Runs one organisation's writes one at a time in this process: a write's transaction and the
 * index update after its commit happen together, so an erase can never drop the vectors of a
 * write that committed before it yet updates the index after it (or the reverse), and the stored
 * count a write checks against the plan cannot move under it. Other organisations write in
 * parallel. Across replicas the store's per-organisation lock keeps the count right.
 */
export function organisationWrites() {
  const tails = new Map<string, Promise<void>>();
  return {
    run<T>(organisationId: string, work: () => Promise<T>): Promise<T> {
      const previous = tails.get(organisationId) ?? Promise.resolve();
      const result = previous.then(work);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(organisationId, tail);
      void tail.then(() => {
        if (tails.get(organisationId) === tail) tails.delete(organisationId);
      });
      return result;
    },
  };
}

export type OrganisationWrites = ReturnType<typeof organisationWrites>;
