import { isAlive, removeRunFiles, runFilesFor, runningSupervisorPid } from './run-files.js';

/** `lift down`: stops a detached `lift up` gracefully and waits until it has exited. */
export async function downCommand(root: string, timeoutMs = 30_000): Promise<number> {
  const files = runFilesFor(root);
  const pid = runningSupervisorPid(files);
  if (pid === undefined) {
    removeRunFiles(files);
    process.stdout.write('lift: nothing is running\n');
    return 0;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (isAlive(pid)) {
    process.stderr.write(`lift: the platform (pid ${pid}) did not stop within ${timeoutMs} ms\n`);
    return 1;
  }
  removeRunFiles(files);
  process.stdout.write('lift: stopped\n');
  return 0;
}
