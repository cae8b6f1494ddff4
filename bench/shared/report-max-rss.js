/**
 * Preloaded with `node --import` when /usr/bin/time is not installed: at exit, writes the
 * process's peak resident set size (KiB) and its user and system CPU seconds, from
 * process.resourceUsage(), to the file named by DESIGNDOC_BENCH_RSS_FILE, so the parent can read
 * the child's peak memory and CPU time without a wrapper.
 */
import { writeFileSync } from 'node:fs';
import process from 'node:process';

const target = process.env.DESIGNDOC_BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(target, `${usage.maxRSS} ${usage.userCPUTime / 1e6} ${usage.systemCPUTime / 1e6}\n`);
  });
}
