import type { ServiceIdentity } from '@lift/kit';
import packageJson from '../package.json' with { type: 'json' };

export const memoryIdentity: ServiceIdentity = {
  name: 'memory',
  version: packageJson.version,
  description: 'Per-organisation memory: storage, hybrid search, relations, conceptual spaces and insights.',
  tags: {
    memories: 'Memories of the caller\'s organisation and their relations',
    search: 'Hybrid, neural, full-text, knowledge-graph and conceptual search',
    spaces: 'Conceptual spaces: named dimensions with ranges and weights that memories place themselves in',
    insights: 'Counts, activity and storage of the organisation\'s memory',
    context: 'Erasing the organisation\'s memory',
    health: 'Probes of the memory service',
  },
};
