// A Problem is a user-facing error about an input: which file, where in it, what is wrong and how
// to fix it. Loaders collect Problems instead of throwing, so one run reports every mistake at once.

export interface Problem {
  file: string;
  line?: number;
  col?: number;
  message: string;
  fix?: string;
}

export function formatProblem(p: Problem): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}:${p.col ?? 1}` : p.file;
  return p.fix ? `${where}: ${p.message}\n  fix: ${p.fix}` : `${where}: ${p.message}`;
}

/** Thrown when an input cannot be used; carries every problem found so the CLI can print them all. */
export class InputError extends Error {
  constructor(
    readonly problems: Problem[],
    summary = "invalid input",
  ) {
    super(`${summary}\n${problems.map(formatProblem).join("\n")}`);
    this.name = "InputError";
  }
}

/** A mistake in how a command was called (an unknown market, a bad option), not in an input file. */
export class UsageError extends Error {
  override name = "UsageError";
}
