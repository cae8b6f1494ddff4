/** What the gateway adds to Fastify's request and route config. */
import type { DocumentRecord } from '../data/database.js';
import type { Action, Actor } from '../services/index.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The policy action this route is authorised by; every route declares one. */
    policy?: Action;
    /**
     * A body this route reads besides JSON: `markdown` (text/markdown or text/plain, and no JSON),
     * `form` (an HTML form's urlencoded body). Elsewhere those types are 415.
     */
    bodyType?: 'markdown' | 'form';
  }
  interface FastifyRequest {
    actor: Actor;
    /** The target document of a `/documents/:id…` route, loaded once by the chokepoint. */
    document: DocumentRecord | null;
    /** Raw session id from the cookie, when the request came with one. */
    sessionId: string | null;
  }
}

export {};
