import { afterAll, afterEach, beforeEach } from 'vitest';

/**
 * One place that closes what a test started, newest first. A resource opened inside a test is
 * closed after that test; one opened in a `beforeAll` lives until the file's last test, so
 * suite-wide stand-ins and processes are not torn down under the second test.
 */
const afterThisTest: (() => Promise<void>)[] = [];
const afterThisFile: (() => Promise<void>)[] = [];
let insideTest = false;

async function closeAll(tasks: (() => Promise<void>)[]): Promise<void> {
  while (tasks.length > 0) await tasks.pop()?.();
}

beforeEach(() => {
  insideTest = true;
});
afterEach(async () => {
  insideTest = false;
  await closeAll(afterThisTest);
});
afterAll(() => closeAll(afterThisFile));

/** Closes the resource once whatever started it is over (the test, or the file for `beforeAll`). */
export function closeWhenDone(close: () => Promise<void>): void {
  (insideTest ? afterThisTest : afterThisFile).push(close);
}
