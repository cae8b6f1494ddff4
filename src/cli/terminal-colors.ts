/**
 * Colour for terminal output, decided once per run: on when stdout is a terminal, off whenever
 * NO_COLOR is set (https://no-color.org), and forced on by FORCE_COLOR (for CI logs that render it).
 */
import picocolors from 'picocolors';
import type { CliIO } from './command.js';

export type Colors = ReturnType<typeof picocolors.createColors>;

/** Whether output to `io.stdout` gets ANSI colour. NO_COLOR beats FORCE_COLOR beats the TTY check. */
export function colorEnabled(io: Pick<CliIO, 'env' | 'isTTY'>): boolean {
  const noColor = io.env.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return io.isTTY;
}

/** picocolors functions that colour only when `colorEnabled(io)`. */
export function terminalColors(io: Pick<CliIO, 'env' | 'isTTY'>): Colors {
  return picocolors.createColors(colorEnabled(io));
}
