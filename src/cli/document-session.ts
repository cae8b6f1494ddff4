/**
 * What every document command needs before it touches a document: the configuration (found upward
 * from the working folder or named with --config), the templates (loaded once per run) and the rule
 * for picking each document's template — `--template`, else config `template`, else the document's
 * own front matter, else detection. When the template is fixed, detection never runs.
 */
import { resolve } from 'node:path';
import type { LintConfig } from '../core/lint/index.js';
import type { DesignDocument } from '../core/model.js';
import { detectTemplate, findTemplate, type TemplateSchema } from '../core/template/index.js';
import { loadConfig } from '../node/load-config.js';
import { DEFAULT_MAX_FILE_SIZE } from '../node/read-document-file.js';
import { loadTemplates } from '../node/templates.js';
import type { CliIO } from './command.js';

export interface SessionOptions {
  /** `--config`: a config file path relative to the working folder. */
  configFile?: string | undefined;
  /** `--template`: a template name that overrides config and detection. */
  template?: string | undefined;
}

export interface DocumentSession {
  config: LintConfig;
  /** Absolute path of the config file read, or null. */
  configFile: string | null;
  maxFileSize: number;
  schemas: readonly TemplateSchema[];
  /** The template schema `doc` is checked against, or null when none fits. */
  schemaFor(doc: DesignDocument): TemplateSchema | null;
}

/**
 * Loads config and templates for one run. Throws the `DesignDocError` of an invalid or missing config
 * file, an unreadable templates folder or an unknown `--template`/config template name.
 */
export async function openDocumentSession(
  io: Pick<CliIO, 'cwd'>,
  options: SessionOptions = {},
): Promise<DocumentSession> {
  const loaded = await loadConfig(io.cwd, options.configFile);
  const config = loaded.config;
  const templatesDir = config.templatesDir === null ? null : resolve(loaded.baseDir, config.templatesDir);
  const schemas = await loadTemplates({ templatesDir });
  const fixedName = options.template ?? config.template;
  const fixed = fixedName === null || fixedName === undefined ? null : findTemplate(schemas, fixedName);
  const byName = new Map(schemas.map((schema) => [schema.name, schema]));
  return {
    config,
    configFile: loaded.file,
    maxFileSize: config.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
    schemas,
    schemaFor(doc) {
      if (fixed) return fixed;
      const match = detectTemplate(doc, schemas);
      return match === null ? null : (byName.get(match.name) ?? null);
    },
  };
}
