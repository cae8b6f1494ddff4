/**
 * Grows a prepared benchmark database by copying its documents in SQL: every document, revision
 * (with its findings), extracted field and search-index row again under new ids and slugs, `factor` times in
 * all. Importing 100,000 documents through the service layer (parse, lint, extract, index each)
 * takes an hour on a small machine; the server under test does not care that the texts repeat,
 * and the search index still holds every copy (posting lists ten times longer, as at 100,000
 * distinct documents).
 */
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';

const COPIED_COLUMNS = {
  documents:
    'title, template, doc_type, status, status_raw, author_id, labels, current_revision, score, error_count, superseded_by, fcp_ends_at, archived_at, created_at, updated_at',
  revisions: 'number, text, sha256, author_id, message, section_hashes, findings, created_at',
  extracts: 'kind, section, label, value, checked, line, content_key',
};

/**
 * Copies the SQLite database `from` to `to` (replacing it) and replicates its documents until it
 * holds `factor` times as many. Returns the document count.
 * @param {string} from
 * @param {string} to
 * @param {number} factor
 */
export function replicateDatabase(from, to, factor) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${to}${suffix}`, { force: true });
  const source = new BetterSqlite3(from);
  source.pragma('wal_checkpoint(TRUNCATE)');
  source.close();
  copyFileSync(from, to);
  const db = new BetterSqlite3(to);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const max = db.prepare('select max(id) as max from documents').get().max;
  db.transaction(() => {
    for (let k = 1; k < factor; k++) {
      const shift = k * max;
      db.prepare(
        `insert into documents (id, slug, path, ${COPIED_COLUMNS.documents})
         select id + ${shift}, slug || '-copy-${k}', case when path is null then null else path || '.copy-${k}' end, ${COPIED_COLUMNS.documents}
         from documents where id <= ${max}`,
      ).run();
      db.prepare(
        `insert into revisions (document_id, ${COPIED_COLUMNS.revisions})
         select document_id + ${shift}, ${COPIED_COLUMNS.revisions} from revisions where document_id <= ${max}`,
      ).run();
      db.prepare(
        `insert into extracts (document_id, ${COPIED_COLUMNS.extracts})
         select document_id + ${shift}, ${COPIED_COLUMNS.extracts} from extracts where document_id <= ${max}`,
      ).run();
      db.prepare(
        `insert into documents_fts (rowid, title, metadata, body)
         select rowid + ${shift}, title, metadata, body from documents_fts where rowid <= ${max}`,
      ).run();
    }
  })();
  db.exec(`insert into documents_fts (documents_fts) values ('optimize')`);
  const count = db.prepare('select count(*) as n from documents').get().n;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  if (!existsSync(to)) throw new Error(`replicating into ${to} failed`);
  return count;
}
