import { useState } from 'preact/hooks';
import type { Memory } from '../api/types.js';
import { Field } from '../components/field.js';
import { tagList } from '../components/tag-list.js';
import { Notice, ProblemNotice } from '../components/status.js';
import { useAction } from '../components/use-resource.js';
import { useSession } from '../session.js';

export function AddMemoryForm() {
  const { api } = useSession();
  const [content, setContent] = useState('');
  const [type, setType] = useState('general');
  const [tags, setTags] = useState('');
  const [stored, setStored] = useState<Memory | undefined>(undefined);
  const action = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const tagged = tagList(tags);
      setStored(await api.post<Memory>('/memory/v1/memories', { content, type: type.trim() || 'general', ...(tagged.length > 0 ? { tags: tagged } : {}) }));
      setContent('');
    });
  };
  return (
    <section aria-labelledby="add-memory-heading">
      <h2 id="add-memory-heading">Add a memory</h2>
      <form onSubmit={submit} aria-label="Add a memory">
        <div class="field">
          <label for="memory-content">Content</label>
          <textarea id="memory-content" name="memory-content" required rows={3} maxLength={100000} value={content} onInput={(event) => setContent(event.currentTarget.value)} />
        </div>
        <div class="inline-form">
          <Field id="memory-type" label="Type" value={type} onInput={(event) => setType(event.currentTarget.value)} />
          <Field id="memory-tags" label="Tags, comma-separated" hint="Letters, digits and . _ : - only" value={tags} onInput={(event) => setTags(event.currentTarget.value)} />
        </div>
        <ProblemNotice problem={action.problem} />
        {stored ? <Notice>Stored memory {stored.id}.</Notice> : null}
        <button type="submit" disabled={action.busy}>
          Store memory
        </button>
      </form>
    </section>
  );
}
