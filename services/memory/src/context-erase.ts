import type { MemoryDomain } from './memory-domain.js';

/**
 * Erases everything the organisation stored — memories, tags, relations, full-text entries, conceptual spaces — in
 * one transaction, then its vector index space, and answers what is left (all zeros) so the
 * caller can see it done.
 */
export async function eraseContext(domain: MemoryDomain, organisationId: string) {
  const erased = await domain.writes.run(organisationId, async () => {
    const count = await domain.store.transaction(async (queries) => {
      await queries.memories.lockForWrites(organisationId);
      await queries.spaces.eraseOrganisation(organisationId);
      return queries.memories.eraseOrganisation(organisationId);
    });
    await domain.indexReady;
    domain.index.dropOrganisation(organisationId);
    domain.indexFeed.changed(organisationId, { dropped: true });
    domain.storedCount.report(organisationId, 0);
    return count;
  });
  const remaining = await domain.store.memories.residue(organisationId);
  domain.log.info({ organisationId, erased }, 'an organisation\'s memory was erased');
  return { erased, remaining: { ...remaining, spaces: await domain.store.spaces.count(organisationId), indexEntries: domain.index.size(organisationId) } };
}
