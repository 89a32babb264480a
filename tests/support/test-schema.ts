/**
 * PostgreSQL schemas made by tests: `lift_test_<run>_<label>_<pid>_<n>`. The run id (set once by
 * the global setup, inherited by the workers) lets a run drop exactly its own schemas afterwards,
 * without touching those of another run using the same database at the same time.
 */
let counter = 0;

export function testRunId(): string {
  return process.env.LIFT_TEST_RUN ?? 'adhoc';
}

export function testSchemaName(label: string): string {
  counter += 1;
  return `lift_test_${testRunId()}_${label.replace(/[^a-z0-9_]/g, '_')}_${process.pid}_${counter}${Math.random().toString(36).slice(2, 6)}`;
}
