import { useState } from 'preact/hooks';
import { searchModes, type SearchAnswer, type SearchMode } from '../api/types.js';
import { Field, Select } from '../components/field.js';
import { tagList } from '../components/tag-list.js';
import { Empty, ProblemNotice } from '../components/status.js';
import { useAction } from '../components/use-resource.js';
import { can, useMe, useSession } from '../session.js';
import { AddMemoryForm } from './add-memory-form.js';
import { SearchHitItem } from './search-hit-item.js';

/** Search the organisation's memory (mode and filters), see why each hit matched, add memories. */
export function MemoryPage() {
  const me = useMe();
  const { api } = useSession();
  const [query, setQuery] = useState('');
  const [mode, setMode] = useState<SearchMode>('hybrid');
  const [type, setType] = useState('');
  const [tags, setTags] = useState('');
  const [answer, setAnswer] = useState<SearchAnswer | undefined>(undefined);
  const search = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void search.run(async () => {
      // A failed search shows its problem, not the results of the one before.
      setAnswer(undefined);
      const tagged = tagList(tags);
      const filters = { ...(type.trim() ? { types: [type.trim()] } : {}), ...(tagged.length > 0 ? { tags: tagged } : {}) };
      setAnswer(await api.post<SearchAnswer>('/memory/v1/search', { query, mode, limit: 20, ...(Object.keys(filters).length > 0 ? { filters } : {}) }));
    });
  };
  return (
    <>
      <h1>Memory</h1>
      <section aria-labelledby="search-heading">
        <h2 id="search-heading">Search</h2>
        <form class="search-form" onSubmit={submit} role="search" aria-label="Search memories">
          <Field id="query" label="Search for" type="search" required value={query} onInput={(event) => setQuery(event.currentTarget.value)} />
          <Select id="mode" label="Mode" value={mode} options={searchModes} onChange={(value) => setMode(value as SearchMode)} />
          <Field id="filter-type" label="Type (optional)" value={type} onInput={(event) => setType(event.currentTarget.value)} />
          <Field id="filter-tags" label="Tags, comma-separated (optional)" hint="Letters, digits and . _ : - only" value={tags} onInput={(event) => setTags(event.currentTarget.value)} />
          <button type="submit" disabled={search.busy}>
            {search.busy ? 'Searching…' : 'Search'}
          </button>
        </form>
        <ProblemNotice problem={search.problem} />
        {answer ? (
          <div aria-live="polite">
            <p class="muted small">
              {answer.items.length} {answer.items.length === 1 ? 'result' : 'results'} ({answer.mode}, {answer.tookMs} ms)
            </p>
            {answer.items.length === 0 ? <Empty>Nothing matched. Try another mode or fewer filters.</Empty> : null}
            <ol class="hits">
              {answer.items.map((hit) => (
                <SearchHitItem key={hit.memory.id} hit={hit} />
              ))}
            </ol>
          </div>
        ) : null}
      </section>
      {can(me, 'memory:write') ? <AddMemoryForm /> : null}
    </>
  );
}
