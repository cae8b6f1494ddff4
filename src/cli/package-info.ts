/**
 * The package's name, version and public URLs, read once from package.json (two folders above
 * src/cli, dist/cli and the bundle's dist/bundle alike). SARIF and `--version` report them.
 */
import { readFileSync } from 'node:fs';

export interface PackageInfo {
  name: string;
  version: string;
  /** The package's home page (package.json `homepage`, else its npm page). */
  informationUri: string;
  /** Where the rule docs pages are served: the published package's `docs/rules/` folder. */
  rulesHelpBase: string;
}

let cached: PackageInfo | null = null;

/** Name, version and URLs of this build. */
export function packageInfo(): PackageInfo {
  if (cached) return cached;
  const json = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    name?: string;
    version?: string;
    homepage?: string;
  };
  const name = json.name ?? 'designdoc';
  const version = json.version ?? '0.0.0';
  cached = {
    name,
    version,
    informationUri: json.homepage ?? `https://www.npmjs.com/package/${name}`,
    // `docs/` ships in the package (package.json `files`), so every version's rule pages resolve.
    rulesHelpBase: `https://unpkg.com/${name}@${version}/docs/rules/`,
  };
  return cached;
}
