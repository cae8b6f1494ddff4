/**
 * `designdoc restore <file> [--data DIR]`: replaces the server database with a backup, after
 * checking the backup opens as a designdoc database. Refuses while a server runs on the folder.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { DesignDocError } from '../../core/errors.js';
import { EXIT_OK, type CliIO } from '../command.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { usageError } from '../usage-error.js';
import { configFromFlags, runningServerPid, SERVER_FLAG_OPTIONS } from '../../server/cli-support.js';
import { openDatabase } from '../../server/data/index.js';
import { databaseFile } from '../../server/index.js';

const USAGE = 'designdoc restore <file> [--data DIR]';

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, SERVER_FLAG_OPTIONS, USAGE);
  if (values.help) {
    io.stdout.write(`usage: ${USAGE}\n`);
    return EXIT_OK;
  }
  const source = positionals[0];
  if (source === undefined || positionals.length > 1)
    throw usageError('expected exactly one backup file', USAGE);
  const config = configFromFlags(values as Record<string, string | boolean | undefined>, io);
  const file = resolve(io.cwd, source);
  if (!existsSync(file))
    throw new DesignDocError('DD_E_FILE_NOT_FOUND', `backup file not found: ${file}`, { location: { file } });
  const pid = runningServerPid(config);
  if (pid !== null) {
    throw new DesignDocError(
      'DD_E_CONFLICT',
      `a server (pid ${pid}) is running on ${config.dataDir}; stop it before restoring`,
      { location: { file: config.dataDir } },
    );
  }
  // Check the backup on a copy: opening it migrates it, and the original stays untouched.
  mkdirSync(config.dataDir, { recursive: true });
  const target = databaseFile(config);
  const staged = `${target}.restoring`;
  rmSync(staged, { force: true });
  copyFileSync(file, staged);
  let documents: number;
  try {
    const db = await openDatabase({ dialect: 'sqlite', file: staged });
    documents = (await db.countDocumentsByStatus()).reduce((sum, row) => sum + row.count, 0);
    await db.close();
  } catch (error) {
    rmSync(staged, { force: true });
    for (const suffix of ['-wal', '-shm']) rmSync(`${staged}${suffix}`, { force: true });
    throw new DesignDocError(
      'DD_E_FILE_UNREADABLE',
      `${file} is not a designdoc backup: ${(error as Error).message}`,
      { location: { file }, cause: error },
    );
  }
  for (const suffix of ['-wal', '-shm']) {
    rmSync(`${target}${suffix}`, { force: true });
    rmSync(`${staged}${suffix}`, { force: true });
  }
  renameSync(staged, target);
  io.stdout.write(`designdoc: restored ${file} (${documents} documents) into ${config.dataDir}\n`);
  return EXIT_OK;
}
