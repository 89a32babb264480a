import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** One reading of a process: resident memory and open file descriptors. */
export interface ProcessSample {
  readonly rssKb: number;
  readonly fds: number;
}

export interface SampledProcess {
  readonly name: string;
  readonly pid: number;
}

export interface ProcessSampler {
  /** Each process's readings so far, by name, oldest first. */
  samples(): ReadonlyMap<string, readonly ProcessSample[]>;
  stop(): void;
}

/** Linux only: what the kernel says of a process, the figures `top` and `ls /proc/<pid>/fd` show. */
export const procAvailable = existsSync('/proc/self/status') && existsSync('/proc/self/fd');

function readProcess(pid: number): ProcessSample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!rss) throw new Error(`no VmRSS for process ${pid}: has it exited?`);
  return { rssKb: Number(rss[1]), fds: readdirSync(`/proc/${pid}/fd`).length };
}

/** One reading of each process now, by name. */
export function readProcesses(processes: readonly SampledProcess[]): ReadonlyMap<string, ProcessSample> {
  return new Map(processes.map((process) => [process.name, readProcess(process.pid)] as const));
}

/**
 * Reads each process now and every `intervalMs` until stopped. A process that exits fails the
 * next call to samples() with the reason, rather than leaving a series that silently ends.
 */
export function sampleProcesses(processes: readonly SampledProcess[], intervalMs = 1_000): ProcessSampler {
  const series = new Map<string, ProcessSample[]>(processes.map((process) => [process.name, []]));
  let failure: Error | undefined;
  const tick = () => {
    try {
      for (const [name, sample] of readProcesses(processes)) series.get(name)?.push(sample);
    } catch (error) {
      failure ??= error as Error;
    }
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    samples: () => {
      if (failure) throw failure;
      return series;
    },
    stop: () => clearInterval(timer),
  };
}
