/** A state in words and colour (never colour alone). */
export function StateBadge(props: { state: string }) {
  return <span class={`badge badge-${props.state}`}>{props.state}</span>;
}
