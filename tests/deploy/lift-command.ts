import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repositoryRoot } from '../support/service-process.js';
import { testBackupKey } from './backup-fixtures.js';

export interface LiftRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the lift command without blocking the test's event loop, so the test can keep writing
 * to the databases while, say, `lift backup` runs.
 */
export function runLift(home: string, env: Record<string, string>, ...args: string[]): Promise<LiftRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repositoryRoot, 'cli/bin/lift.js'), ...args], { cwd: home, env: { ...process.env, LIFT_BACKUP_KEY: testBackupKey, ...env, LIFT_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
