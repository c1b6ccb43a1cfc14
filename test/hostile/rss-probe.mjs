// Preloaded into the CLI child by test/hostile/child.ts and bench/: prints the peak resident memory
// (KiB) on stderr as the last line when the process exits.
process.on('exit', () => {
  process.stderr.write(`\ngm-rss-probe maxRSS=${process.resourceUsage().maxRSS}\n`);
});
