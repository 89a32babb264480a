import type { InputHTMLAttributes } from 'preact';

type InputProps = InputHTMLAttributes<HTMLInputElement> & { label: string; id: string; hint?: string };

/** A labelled input: the label is tied to it, so screen readers and tests find it by name. */
export function Field(props: InputProps) {
  const { label, hint, id, ...input } = props;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} name={id} aria-describedby={hint ? `${id}-hint` : undefined} {...input} />
      {hint ? (
        <p id={`${id}-hint`} class="muted small">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function Select(props: { label: string; id: string; value: string; options: readonly (string | { value: string; label: string })[]; onChange: (value: string) => void }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} name={props.id} value={props.value} onChange={(event) => props.onChange(event.currentTarget.value)}>
        {props.options.map((option) => {
          const { value, label } = typeof option === 'string' ? { value: option, label: option } : option;
          return (
            <option key={value} value={value}>
              {label}
            </option>
          );
        })}
      </select>
    </div>
  );
}
