// Preloaded by bench/run.mjs into every measured process (the floor included, so it costs both
// sides the same): at exit, prints the process's CPU time (µs) and peak RSS (KiB) on stderr.
process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write(`\ngm-probe cpu=${u.userCPUTime + u.systemCPUTime} rss=${u.maxRSS}\n`);
});
