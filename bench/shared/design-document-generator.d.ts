/** Types for design-document-generator.js (plain ESM JavaScript, run without a build step). */

/** Bumped whenever the generated output changes. */
export declare const GENERATOR_VERSION: number;

/** One generated design document; the same (seed, index) always gives the same text. */
export declare function generateDesignDocument(seed: number, index: number): string;

/** Writes `count` generated documents under os.tmpdir() (or `dir`), reusing an identical earlier folder. */
export declare function writeDesignDocuments(options: { count: number; seed?: number; dir?: string }): {
  dir: string;
  files: number;
  bytes: number;
  reused: boolean;
};
