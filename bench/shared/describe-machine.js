/**
 * Describes the machine a benchmark ran on, so a result can be compared with another run honestly:
 * CPU model, cores, memory, Node version, OS and the date.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, release, totalmem } from 'node:os';
import process from 'node:process';

function readOrEmpty(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * The machine description written into every benchmark result and into BENCHMARKS.md. The CPU
 * model comes from /proc/cpuinfo on Linux (os.cpus() elsewhere); the OS from /etc/os-release.
 * @returns {{ cpu: string, cores: number, memoryGiB: number, node: string, os: string, date: string }}
 */
export function describeMachine() {
  const cpuinfo = readOrEmpty('/proc/cpuinfo');
  const modelLine = /^model name\s*:\s*(.+)$/m.exec(cpuinfo);
  const cpu = modelLine?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  const osRelease = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readOrEmpty('/etc/os-release'))?.[1];
  return {
    cpu,
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${osRelease ?? process.platform} (kernel ${release()})`,
    date: new Date().toISOString(),
  };
}
