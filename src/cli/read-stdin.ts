/**
 * Reads standard input to the end as bytes, so `lint --stdin` applies the same size, binary and
 * UTF-8 checks as a file.
 */
import { DesignDocError } from '../core/errors.js';
import { decodeDocument, formatBytes } from '../node/read-document-file.js';

/** The whole of `stream`, decoded as a document named `name`; refused past `limit` bytes. */
export async function readStdinDocument(
  stream: NodeJS.ReadableStream,
  name: string,
  limit: number,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limit) {
      throw new DesignDocError(
        'DD_E_FILE_TOO_LARGE',
        `input too large (over ${formatBytes(limit)}, set maxFileSize to raise it)`,
        { location: { file: name } },
      );
    }
    chunks.push(buffer);
  }
  return decodeDocument(Buffer.concat(chunks), name);
}
