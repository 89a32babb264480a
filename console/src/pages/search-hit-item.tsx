import { useState } from 'preact/hooks';
import type { List, RelatedMemory, SearchHit } from '../api/types.js';
import { dateTime } from '../components/format.js';
import { Empty, ProblemNotice } from '../components/status.js';
import { useAction } from '../components/use-resource.js';
import { useSession } from '../session.js';

/** One hit: its content, its fused score and each signal's part, and on demand its related memories. */
export function SearchHitItem(props: { hit: SearchHit }) {
  const { api } = useSession();
  const { memory, score, signals } = props.hit;
  const [related, setRelated] = useState<readonly RelatedMemory[] | undefined>(undefined);
  const action = useAction();
  const showRelated = () =>
    action.run(async () => {
      setRelated((await api.get<List<RelatedMemory>>(`/memory/v1/memories/${encodeURIComponent(memory.id)}/related?depth=2`)).items);
    });
  return (
    <li class="hit">
      <p class="hit-content">{memory.content}</p>
      <p class="muted small">
        {memory.type}
        {memory.tags.length > 0 ? ` · ${memory.tags.join(', ')}` : ''} · {dateTime(memory.createdAt)}
      </p>
      <dl class="signals" aria-label="Scores">
        <div>
          <dt>score</dt>
          <dd>{score.toFixed(3)}</dd>
        </div>
        {Object.entries(signals).map(([signal, value]) => (
          <div key={signal}>
            <dt>{signal}</dt>
            <dd>{(value ?? 0).toFixed(3)}</dd>
          </div>
        ))}
      </dl>
      <button type="button" class="secondary small" disabled={action.busy} onClick={() => void showRelated()} aria-label={`Related memories of: ${memory.content.slice(0, 40)}`}>
        Related memories
      </button>
      <ProblemNotice problem={action.problem} />
      {related && related.length === 0 ? <Empty>No related memories.</Empty> : null}
      {related && related.length > 0 ? (
        <ul class="related">
          {related.map((entry) => (
            <li key={entry.memory.id}>
              <span class="muted small">
                {entry.via.direction === 'outgoing' ? entry.via.predicate : `← ${entry.via.predicate}`} (depth {entry.depth})
              </span>{' '}
              {entry.memory.content}
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}
