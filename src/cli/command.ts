/**
 * The contract every CLI command module fulfils. `main` looks a command up in its table, imports
 * its module lazily and calls `run`; the exit code it returns is the process's.
 */

export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** True when stdout is a terminal (colour and progress allowed unless NO_COLOR is set). */
  isTTY: boolean;
}

/** Exit codes are stable: scripts and CI depend on them. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export interface CommandModule {
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(argv: string[], io: CliIO): Promise<number>;
}

export interface CommandEntry {
  name: string;
  summary: string;
  usage: string;
  load: () => Promise<CommandModule>;
}
