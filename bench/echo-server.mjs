// The benchmark's stdio "server": sends every byte it reads straight back, so each line the
// client writes comes back as it was, at once. Nothing here costs time but the pipe itself,
// which isolates what the recorder adds.
process.stdin.pipe(process.stdout);
