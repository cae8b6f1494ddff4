/**
 * A failed write as the user should read it: which file, and why in words (the folder is missing,
 * a folder is in the way, permission denied, the disk is full) rather than an errno.
 */
import { DesignDocError } from '../core/errors.js';

export function writeError(error: unknown, file: string, what = 'cannot write the file'): DesignDocError {
  const code = (error as NodeJS.ErrnoException).code;
  const location = { file };
  if (code === 'ENOENT')
    return new DesignDocError('DD_E_FILE_NOT_FOUND', 'the folder to write into does not exist', {
      location,
      cause: error,
    });
  const reason =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'EISDIR'
        ? 'it is a folder'
        : code === 'ENOSPC'
          ? 'no space left on the device'
          : code === 'EROFS'
            ? 'the file system is read-only'
            : code === 'ENOTDIR'
              ? 'a file is in the way of its folder'
              : (error as Error).message;
  return new DesignDocError('DD_E_FILE_UNWRITABLE', `${what}: ${reason}`, { location, cause: error });
}
