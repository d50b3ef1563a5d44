// A one-line progress bar on stderr for long firmware analyses: files walked and bytes read.
// Shown only on a terminal; CI logs and --json output stay clean.

export function progressBar(label: string): {
  update: (p: { files: number; totalFiles: number; bytes: number }) => void;
  done: () => void;
} {
  let last = 0;
  const write = (s: string) => process.stderr.write(`\r${s}\x1b[K`);
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 100) return; // redraw at most ten times a second
      last = now;
      const width = 30;
      const frac = p.totalFiles > 0 ? Math.min(1, p.files / p.totalFiles) : 0;
      const bar = "#".repeat(Math.round(frac * width)).padEnd(width, ".");
      write(`${label} [${bar}] ${p.files}/${p.totalFiles} files, ${(p.bytes / 1024 / 1024).toFixed(1)} MiB`);
    },
    done() {
      write("");
      process.stderr.write("\r");
    },
  };
}
