/**
 * Preloaded with `node --import` when /usr/bin/time is not installed: at exit, writes the
 * process's peak resident set size (KiB, from process.resourceUsage) to the file named by
 * DESIGNDOC_BENCH_RSS_FILE, so the parent can read the child's peak memory without a wrapper.
 */
import { writeFileSync } from 'node:fs';
import process from 'node:process';

const target = process.env.DESIGNDOC_BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    writeFileSync(target, `${process.resourceUsage().maxRSS}\n`);
  });
}
