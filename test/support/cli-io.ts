/**
 * Running a CLI command in process: an io whose stdout is captured, and the coded error a command
 * refused with (the CLI's one catch prints it as `designdoc: … [CODE]`).
 */
import { PassThrough } from 'node:stream';
import { expect } from 'vitest';
import { DesignDocError } from '../../src/core/errors.js';
import type { CliIO } from '../../src/cli/command.js';

/** An io for `run(argv, io)` with stdout captured as text (`out()`). */
export function captureCli(cwd: string, env: NodeJS.ProcessEnv): CliIO & { out: () => string } {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (chunk) => (out += String(chunk)));
  return {
    stdout,
    stderr: new PassThrough(),
    stdin: new PassThrough(),
    cwd,
    env,
    isTTY: false,
    out: () => out,
  };
}

/** The `DesignDocError` `work` rejected with (fails the test when it resolved or threw anything else). */
export async function refusal(work: Promise<unknown>): Promise<DesignDocError> {
  const error = await work.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DesignDocError);
  return error as DesignDocError;
}
