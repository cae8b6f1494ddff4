/**
 * Looks a template up by name among the loaded schemas, for `designdoc new --template` and the
 * server's create-from-template.
 */
import { DesignDocError } from '../errors.js';
import type { TemplateSchema } from './schema.js';

/**
 * The schema called `name` (case-insensitive). Throws `DD_E_TEMPLATE_NOT_FOUND` listing the known
 * names when there is none.
 */
export function findTemplate(schemas: readonly TemplateSchema[], name: string): TemplateSchema {
  const wanted = name.trim().toLowerCase();
  const found = schemas.find((schema) => schema.name.toLowerCase() === wanted);
  if (found) return found;
  const known = schemas.map((schema) => schema.name).join(', ');
  throw new DesignDocError(
    'DD_E_TEMPLATE_NOT_FOUND',
    `no template named "${name}"; known templates: ${known || '(none)'}`,
    {
      location: { field: 'template' },
      details: { name, known: schemas.map((schema) => schema.name) },
    },
  );
}
