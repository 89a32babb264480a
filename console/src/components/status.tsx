import type { ComponentChildren } from 'preact';
import type { ApiProblem } from '../api/problem.js';

/** An answer's problem as the platform wrote it: its title and detail, never a blank page. */
export function ProblemNotice(props: { problem: ApiProblem | undefined }) {
  const { problem } = props;
  if (!problem) return null;
  return (
    <div class="notice notice-error" role="alert">
      <strong>{problem.title}</strong>
      {problem.detail && problem.detail !== problem.title ? <p>{problem.detail}</p> : null}
      {problem.requestId ? <p class="muted small">Request {problem.requestId}</p> : null}
    </div>
  );
}

export function Loading(props: { what?: string }) {
  return (
    <p class="muted" role="status">
      Loading{props.what ? ` ${props.what}` : ''}…
    </p>
  );
}

export function Empty(props: { children: ComponentChildren }) {
  return <p class="empty">{props.children}</p>;
}

export function Notice(props: { children: ComponentChildren }) {
  return (
    <div class="notice notice-ok" role="status">
      {props.children}
    </div>
  );
}
