/**
 * Generates realistic design documents in the shape of the built-in design-document template, for
 * benchmarks. Documents vary in title, length, how much is filled in and which mistakes they carry
 * (the mistakes a reviewer tool exists to catch), so a linter benchmarked on them does real work
 * rather than racing through one repeated file.
 *
 * Deterministic: document i depends only on (seed, i), so `--docs 20` yields the first 20 documents
 * of the 10,000-document run. Nothing here is committed output; callers write to os.tmpdir().
 */
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createRandom } from './seeded-random.js';

/** Bumped whenever the output changes, so a cached folder from an older generator is not reused. */
export const GENERATOR_VERSION = 4;

const DOMAINS = [
  'Payments',
  'Billing',
  'Search',
  'Notifications',
  'Identity',
  'Inventory',
  'Checkout',
  'Shipping',
  'Recommendations',
  'Analytics',
  'Audit Log',
  'Feature Flags',
  'Media',
  'Messaging',
  'Pricing',
  'Fraud Detection',
  'Onboarding',
  'Reporting',
  'Scheduling',
  'Document Storage',
  'Tenant Management',
  'Rate Limiting',
  'Session',
  'Catalog',
  'Loyalty',
  'Invoicing',
  'Observability',
  'Data Export',
  'Access Review',
  'Email Delivery',
  'Webhooks',
  'Geolocation',
  'Translation',
  'Support Tickets',
];
const THINGS = [
  'Service',
  'Pipeline',
  'Gateway',
  'Platform',
  'Index',
  'Store',
  'Migration',
  'Rewrite',
  'API',
  'Worker Pool',
  'Event Bus',
  'Cache Layer',
  'Scheduler',
  'Sync Engine',
  'Ledger',
  'Dashboard',
];
const TITLE_PREFIXES = [
  '',
  '',
  '',
  'New ',
  'Unified ',
  'Multi-Region ',
  'Real-Time ',
  'Self-Serve ',
  'Tenant-Aware ',
  'Async ',
];
const TITLE_SUFFIXES = [
  '',
  '',
  '',
  ' v2',
  ' for Enterprise Customers',
  ' Consolidation',
  ' Hardening',
  ' at Scale',
];
const DOC_TYPES = [
  'Service Design',
  'System Design',
  'Feature Design',
  'Migration Plan',
  'Platform Change',
  'Integration Design',
];
const TECHS = [
  'PostgreSQL 15',
  'PostgreSQL 16',
  'MySQL 8',
  'Redis 7',
  'Kafka 3.6',
  'RabbitMQ',
  'Elasticsearch 8',
  'OpenSearch',
  'DynamoDB',
  'S3',
  'ClickHouse',
  'Cassandra 4',
  'SQLite',
  'NATS JetStream',
  'etcd',
];
const LANGUAGES = [
  'Go 1.22',
  'Rust 1.79',
  'Java 21',
  'Kotlin 2.0',
  'TypeScript on Node.js 20',
  'Python 3.12',
  'C# on .NET 8',
  'Elixir 1.16',
];
const INFRA = [
  'Kubernetes on the shared production cluster',
  'AWS ECS on Fargate',
  'Nomad',
  'Cloud Run',
  'bare-metal hosts managed by Ansible',
  'Terraform-managed AWS accounts',
  'Envoy-based API gateway',
  'Istio service mesh',
];
const LIBRARIES = [
  'gRPC',
  'OpenTelemetry SDK',
  'pgx',
  'go-redis',
  'Spring Boot 3',
  'Fastify 5',
  'Tokio',
  'Axum',
  'Phoenix',
  'Resilience4j',
  'Polly',
  'SQLAlchemy 2',
  'Prisma',
  'Kysely',
];
const COMPONENT_ROLES = [
  'Ingest API',
  'Query Service',
  'Write Path',
  'Read Replica',
  'Job Runner',
  'Admin Console',
  'Event Relay',
  'Projection Builder',
  'Policy Engine',
  'Token Service',
  'Audit Writer',
  'Reconciler',
  'Cache Warmer',
  'Webhook Dispatcher',
  'Schema Registry',
  'Rate Limiter',
  'Search Indexer',
  'Export Worker',
  'Notifier',
  'Billing Adapter',
  'Config Store',
  'Session Store',
  'Media Transcoder',
  'Feature Store',
];
const PEOPLE = [
  'Priya Raman',
  'Jonas Weber',
  'Amara Okafor',
  'Lucas Martin',
  'Mei Chen',
  'Sofia Rossi',
  'Daniel Kim',
  'Fatima Zahra',
  'Oliver Smith',
  'Ana Souza',
  'Kenji Tanaka',
  'Elena Petrova',
  'Noah Cohen',
  'Aisha Bello',
  'Mateo García',
  'Ingrid Larsen',
  'Ravi Kumar',
  'Chloé Dubois',
  'Tomasz Nowak',
  'Hannah Müller',
];
const VERBS = [
  'reduces',
  'removes',
  'isolates',
  'replaces',
  'consolidates',
  'speeds up',
  'simplifies',
  'hardens',
  'decouples',
  'automates',
];
const PROBLEMS = [
  'retries from mobile clients cause duplicate writes about twice a month',
  'the nightly batch job misses its window one night in ten',
  "every change waits for the monolith's weekly release train",
  'the current schema cannot represent more than one currency per account',
  'p99 latency doubles during the evening peak because of lock contention',
  'on-call engineers cannot tell which tenant a failing request belongs to',
  'the vendor SDK we depend on reaches end of life next year',
  'three teams maintain near-identical copies of the same validation code',
  'a single noisy customer can exhaust the shared connection pool',
  'the audit trail is assembled by hand from four log sources for every review',
  'search results lag behind writes by up to fifteen minutes',
  'there is no way to replay events after a consumer bug without manual SQL',
];
const CLAUSES = [
  'measured over the last two quarters',
  'according to the incident reviews from last year',
  'which the support team reports as the most common complaint',
  'as the platform team already runs this stack for other services',
  'without changing the public API',
  'behind the existing API gateway',
  'so that the owning team can release on its own schedule',
  'while keeping the current data retention rules',
  'with no downtime for existing customers',
  'and the finance team has asked for this twice',
  'which the security review flagged in the spring',
  'at a cost we estimate at two engineer-months',
];
const TARGETS_GOOD = {
  Latency: [
    'p99 < 200 ms',
    'p95 under 80 ms for reads, p99 < 400 ms for writes',
    'p50 < 20 ms, p99 < 150 ms',
    'p99.9 below 1 s for exports',
  ],
  Throughput: [
    '5k req/s sustained, 20k req/s peak',
    '500 req/s sustained',
    '2,000 events/s per partition',
    '1.5 GB/s of ingest at peak',
  ],
  Availability: [
    '99.9% monthly',
    '99.95% monthly',
    '99.99% for reads, 99.9% for writes',
    '99.5% during the beta',
  ],
};
const TARGETS_VAGUE = [
  'fast',
  'as fast as possible',
  'high',
  'good enough for launch',
  'scalable',
  'TBD',
  'similar to today',
];
const PLACEHOLDERS = [
  'TBD',
  'TODO: fill in',
  '<service name>',
  '[describe the approach]',
  'Lorem ipsum dolor sit amet.',
  'TBD by the owning team',
  '<link to dashboard>',
];
const STATUSES = [
  ['Draft', 30],
  ['In Review', 22],
  ['Approved', 20],
  ['Implemented', 10],
  ['Rejected', 3],
  ['Deferred', 3],
  ['Superseded by the v3 design', 2],
  ['Aprroved', 2],
  ['{Draft, In Review, Approved}', 2],
  ['', 3],
  ['Withdrawn', 3],
];
const VERSIONS = ['0.1', '0.2', '0.3', '1.0', '1.1', '1.2', '2.0', 'v1.3', 'draft', 'one'];

/**
 * Picks a status with the weights above: mostly the lifecycle words real teams write, plus a few
 * typos and template leftovers the status normaliser must survive.
 */
function pickStatus(rnd) {
  const total = STATUSES.reduce((sum, [, w]) => sum + w, 0);
  let roll = rnd.next() * total;
  for (const [status, weight] of STATUSES) {
    roll -= weight;
    if (roll < 0) return status;
  }
  return 'Draft';
}

function sentence(rnd, subject) {
  const forms = [
    () => `The ${subject} ${rnd.pick(VERBS)} the path where ${rnd.pick(PROBLEMS)}, ${rnd.pick(CLAUSES)}.`,
    () => `Today ${rnd.pick(PROBLEMS)}, ${rnd.pick(CLAUSES)}.`,
    () =>
      `We use ${rnd.pick(TECHS)} for this ${rnd.pick(CLAUSES)}; the alternative, ${rnd.pick(TECHS)}, was tried in ${2019 + rnd.int(0, 6)} and dropped.`,
    () =>
      `This ${rnd.pick(VERBS)} the work of the ${rnd.pick(DOMAINS).toLowerCase()} team by about ${rnd.int(10, 80)}%, ${rnd.pick(CLAUSES)}.`,
    () =>
      `The ${subject} keeps ${rnd.int(2, 40)} days of state in ${rnd.pick(TECHS)} and serves roughly ${rnd.int(1, 90)}k requests per minute.`,
    () =>
      `See \`${rnd.pick(['config/limits.yaml', 'docs/runbook.md', 'api/openapi.yaml', 'schema/v2.sql'])}\` for the details, agreed ${rnd.pick(CLAUSES)}.`,
    () =>
      `${rnd.pick(PEOPLE)} raised that ${rnd.pick(PROBLEMS)}; the **${subject}** addresses this ${rnd.pick(CLAUSES)}.`,
  ];
  return rnd.pick(forms)();
}

/** A short field value, as people fill most `- **Label**:` lines. */
function brief(rnd) {
  const forms = [
    () => `Owned by the ${rnd.pick(DOMAINS).toLowerCase()} team.`,
    () => `Handles about ${rnd.int(1, 50)}k requests per minute at peak.`,
    () => `${rnd.pick(TECHS)}, as elsewhere on the platform.`,
    () => `Reviewed with ${rnd.pick(PEOPLE)} in week ${rnd.int(1, 52)}.`,
    () => `Same as the ${rnd.pick(COMPONENT_ROLES).toLowerCase()}.`,
    () => `Follows the runbook in \`docs/runbook.md\`.`,
  ];
  return rnd.pick(forms)();
}

function paragraph(rnd, subject, min, max) {
  const out = [];
  const n = rnd.int(min, max);
  for (let i = 0; i < n; i++) out.push(sentence(rnd, subject));
  return wrap(out.join(' '));
}

/** Wraps prose at about 100 columns, as the project's own documents are written. */
function wrap(text) {
  const words = text.split(' ');
  const lines = [];
  let line = '';
  for (const word of words) {
    if (line.length > 0 && line.length + 1 + word.length > 100) {
      lines.push(line);
      line = word;
    } else {
      line = line.length > 0 ? `${line} ${word}` : word;
    }
  }
  if (line.length > 0) lines.push(line);
  return lines.join('\n');
}

/**
 * Decides what one document will look like: how complete it is and which problems it carries.
 * Kept separate from the writing so the mix is easy to read and tune.
 */
function planDocument(rnd) {
  const completeness = rnd.chance(0.6) ? 'filled' : rnd.chance(0.8) ? 'half' : 'sparse';
  const emptyRate = completeness === 'filled' ? 0.02 : completeness === 'half' ? 0.35 : 0.7;
  return {
    completeness,
    emptyRate,
    placeholderRate: rnd.chance(0.3) ? 0.06 : 0.005,
    components: rnd.int(2, 5),
    decisions: rnd.int(1, 4),
    questions: rnd.int(1, 5),
    status: pickStatus(rnd),
    frontMatter: rnd.chance(0.08),
    crlf: rnd.chance(0.03),
    bom: rnd.chance(0.01),
    dropSection: rnd.chance(0.12),
    swapSections: rnd.chance(0.06),
    vagueTargets: rnd.chance(0.3),
    decisionWithoutAlternatives: rnd.chance(0.25),
    diagramMismatch: rnd.chance(0.2),
    placeholderLink: rnd.chance(0.35),
    duplicateHeading: rnd.chance(0.05),
    skippedLevel: rnd.chance(0.05),
    thinSecurity: rnd.chance(0.2),
    approvalsFilled: rnd.chance(0.45),
    questionsResolved: rnd.chance(0.5),
    questionWithoutStatus: rnd.chance(0.3),
  };
}

/**
 * One generated design document as markdown text. `index` selects the random stream; the same
 * (seed, index) always gives the same text.
 * @param {number} seed
 * @param {number} index
 * @returns {string}
 */
export function generateDesignDocument(seed, index) {
  const rnd = createRandom(seed, index);
  const plan = planDocument(rnd);
  const domain = rnd.pick(DOMAINS);
  const title = `${rnd.pick(TITLE_PREFIXES)}${domain} ${rnd.pick(THINGS)}${rnd.pick(TITLE_SUFFIXES)}`;
  const subject = title.toLowerCase();

  /** A field value: filled prose, empty, or a placeholder, by the plan's rates. */
  const value = (make) => {
    if (rnd.chance(plan.emptyRate)) return '';
    if (rnd.chance(plan.placeholderRate)) return rnd.pick(PLACEHOLDERS);
    return make();
  };
  const prose = (min, max) => value(() => paragraph(rnd, subject, min, max));
  const short = () => value(() => (rnd.chance(0.45) ? brief(rnd) : sentence(rnd, subject)));

  // Services are the diagram's top-level nodes and the data stores sit under a Data Layer node, as
  // in the template; each gets a component section unless the plan calls for a mismatch.
  const services = rnd.sample(COMPONENT_ROLES, plan.components).map((role) => `${domain} ${role}`);
  const stores = rnd.sample(TECHS, 2);
  const components = [...services, ...stores];
  const diagramServices = plan.diagramMismatch
    ? [...services.slice(0, -1), `${rnd.pick(DOMAINS)} ${rnd.pick(COMPONENT_ROLES)}`]
    : services;

  /** @type {Map<string, string>} top-level section title → body (without its heading) */
  const sections = new Map();

  sections.set('Executive Summary', prose(2, 4));
  sections.set('Problem Statement', prose(2, 5));

  const goals = [1, 2, 3].map((n) => `- **Goal ${n}**: ${short()}`).join('\n');
  const criteria = [1, 2, 3]
    .map(
      (n) =>
        `${n}. ${value(() => (rnd.chance(0.8) ? `${rnd.pick(['Zero', 'Fewer than 3', 'Under 1%'])} ${rnd.pick(['failed captures', 'pages per month', 'manual fixes'])} in the ${rnd.int(30, 180)} days after launch.` : `Customers are happier with ${subject}.`))}`,
    )
    .join('\n');
  sections.set(
    'Goals & Success Criteria',
    `### Primary Goals\n\n${goals}\n\n### Success Criteria\n\n${criteria}`,
  );
  sections.set('Context & Background', prose(1, 4));

  const diagram = [
    '```',
    '┌─────────────┐',
    '│   Client    │',
    '└──────┬──────┘',
    '       │',
    ...diagramServices.flatMap((node) => [`       ├─→ [${node}]`, '       │']),
    '       └─→ [Data Layer]',
    ...stores.map((store, i) => `            ${i === stores.length - 1 ? '└' : '├'}─ ${store}`),
    '```',
  ].join('\n');
  const componentBlocks = components
    .map((name) => {
      const heading = plan.skippedLevel && name === components[0] ? `##### ${name}` : `#### ${name}`;
      return [
        heading,
        '',
        `- **Purpose**: ${short()}`,
        `- **Technology**: ${value(() => `${rnd.pick(LANGUAGES)} with ${rnd.pick(TECHS)}`)}`,
        `- **Key Responsibilities**: ${short()}`,
        `- **Interactions**: ${value(() => `Called by ${rnd.pick(components)}; writes to ${rnd.pick(stores)}.`)}`,
      ].join('\n');
    })
    .join('\n\n');
  const decisionBlocks = Array.from({ length: plan.decisions }, (_, i) => {
    const withoutAlternatives = plan.decisionWithoutAlternatives && i === 0;
    const chosen = rnd.pick(TECHS);
    return [
      `#### Decision ${i + 1}: ${value(() => `${chosen} for the ${rnd.pick(COMPONENT_ROLES).toLowerCase()}`)}`,
      '',
      `- **Decision**: ${value(() => `Use ${chosen} ${rnd.pick(CLAUSES)}.`)}`,
      `- **Rationale**: ${short()}`,
      `- **Alternatives Considered**: ${withoutAlternatives ? '' : value(() => `${rnd.pick(TECHS)} (rejected: ${rnd.pick(PROBLEMS)}); ${rnd.pick(TECHS)} (rejected: no team experience).`)}`,
      `- **Impact**: ${short()}`,
    ].join('\n');
  }).join('\n\n');
  const techStack = [
    `**Language & Runtime**\n- ${value(() => rnd.pick(LANGUAGES))}`,
    `**Data Layer**\n- ${value(() => `${stores[0]} for the system of record`)}\n- ${value(() => `${stores[1]} for ${rnd.pick(['caching', 'search', 'events', 'analytics'])}`)}`,
    `**Infrastructure**\n- ${value(() => rnd.pick(INFRA))}\n- ${value(() => rnd.pick(INFRA))}`,
    `**Key Libraries/Frameworks**\n- ${value(() => rnd.sample(LIBRARIES, 3).join(', '))}`,
  ].join('\n\n');
  const storage = [
    '**Storage Strategy**',
    `- **Primary Database**: ${value(() => `${stores[0]} with tables \`${domain.toLowerCase().replace(/ /g, '_')}_events\` and \`${domain.toLowerCase().replace(/ /g, '_')}_state\`.`)}`,
    `- **Caching**: ${short()}`,
    `- **Data Retention**: ${value(() => `Records are kept for ${rnd.int(1, 10)} years; logs for ${rnd.int(7, 90)} days.`)}`,
  ].join('\n');
  const api = [
    '**External Dependencies**',
    `- Integrates with ${value(() => rnd.pick(DOMAINS).toLowerCase())} for ${value(() => rnd.pick(['authorisation', 'lookups', 'refunds', 'exports']))}`,
    `- Consumes events from ${value(() => `the ${rnd.pick(DOMAINS).toLowerCase()} topic`)}`,
    `- Publishes events to ${value(() => `the ${rnd.pick(DOMAINS).toLowerCase()} topic`)}`,
    '',
    '**Key Endpoints** (or reference API spec)',
    `- ${value(() => `POST /${domain.toLowerCase().replace(/ /g, '-')}`)}: ${short()}`,
    `- ${value(() => `GET /${domain.toLowerCase().replace(/ /g, '-')}/{id}`)}: ${short()}`,
  ].join('\n');
  sections.set(
    'Proposed Solution',
    [
      `### High-Level Overview\n\n${diagram}`,
      `### Architecture Components\n\n${componentBlocks}`,
      `### Design Decisions\n\n${decisionBlocks}`,
      `### Technology Stack\n\n${techStack}`,
      `### Data Model & Storage\n\n${storage}`,
      `### API & Integration Points\n\n${api}`,
    ].join('\n\n'),
  );

  const bullets = (n) => Array.from({ length: n }, () => `- ${short()}`).join('\n');
  sections.set('Trade-offs', `### Accepting\n\n${bullets(3)}\n\n### Gaining\n\n${bullets(3)}`);

  const link = plan.placeholderLink ? '#' : `https://example.com/plans/${index}`;
  sections.set(
    'Implementation',
    [
      `**Approach**: ${short()}`,
      `**Phases**:\n1. **Phase 1**: ${short()}\n2. **Phase 2**: ${short()}\n3. **Phase 3**: ${short()}`,
      `**Migration Strategy** (if applicable):\n- ${short()}`,
      `See [Plan Specification](${link}) for detailed implementation roadmap.`,
    ].join('\n\n'),
  );

  const target = (name) =>
    value(() =>
      plan.vagueTargets && rnd.chance(0.6) ? rnd.pick(TARGETS_VAGUE) : rnd.pick(TARGETS_GOOD[name]),
    );
  sections.set(
    'Performance & Scalability',
    [
      `### Performance Targets\n\n- **Latency**: ${target('Latency')}\n- **Throughput**: ${target('Throughput')}\n- **Availability**: ${target('Availability')}`,
      `### Scalability Strategy\n\n- **Scaling Approach**: ${short()}\n- **Bottlenecks**: ${short()}\n- **Auto-scaling**: ${short()}`,
      `### Monitoring & Observability\n\n- **Metrics**: ${short()}\n- **Alerting**: ${short()}\n- **Logging**: ${short()}`,
    ].join('\n\n'),
  );

  const securityLine = () => (plan.thinSecurity ? '' : short());
  sections.set(
    'Security',
    [
      `**Authentication**\n- ${securityLine()}`,
      `**Authorization**\n- ${securityLine()}`,
      `**Data Protection**\n- **Encryption at Rest**: ${securityLine()}\n- **Encryption in Transit**: ${securityLine()}\n- **PII Handling**: ${securityLine()}`,
      `**Secrets Management**\n- ${securityLine()}`,
      `**Compliance**\n- ${securityLine()}`,
    ].join('\n\n'),
  );
  sections.set(
    'Dependencies & Assumptions',
    `### Dependencies\n\n${bullets(3)}\n\n### Assumptions\n\n${bullets(3)}`,
  );

  const questions = Array.from({ length: plan.questions }, (_, i) => {
    const resolved = plan.questionsResolved && rnd.chance(0.8);
    const text = value(
      () => `Does the ${rnd.pick(COMPONENT_ROLES).toLowerCase()} need its own ${rnd.pick(TECHS)} instance?`,
    );
    const status =
      plan.questionWithoutStatus && i === plan.questions - 1
        ? ''
        : `\n  - **Status**: ${resolved ? `Resolved: ${rnd.pick(['yes', 'no', 'deferred to Phase 2'])}.` : value(() => rnd.pick(['Open', 'In discussion with the platform team', 'Waiting on legal']))}`;
    return `- [${resolved ? 'x' : ' '}] ${text}${status}`;
  }).join('\n');
  sections.set('Open Questions', questions);

  const slot = () => {
    if (!plan.approvalsFilled) return '- ';
    const verdict = rnd.pick(['approved', 'approved', 'approved', 'changes requested', 'pending']);
    return `- ${rnd.pick(PEOPLE)} — ${verdict} 2026-${String(rnd.int(1, 11)).padStart(2, '0')}-${String(rnd.int(1, 28)).padStart(2, '0')}`;
  };
  sections.set(
    'Approvals',
    ['Technical Review', 'Architecture Review', 'Security Review', 'Approved By']
      .map((s) => `**${s}**\n${slot()}`)
      .join('\n\n'),
  );

  let order = [...sections.keys()];
  if (plan.dropSection) {
    const victim = rnd.pick([
      'Context & Background',
      'Trade-offs',
      'Security',
      'Dependencies & Assumptions',
      'Open Questions',
    ]);
    order = order.filter((name) => name !== victim);
  }
  if (plan.swapSections) {
    const i = rnd.int(0, order.length - 2);
    [order[i], order[i + 1]] = [/** @type {string} */ (order[i + 1]), /** @type {string} */ (order[i])];
  }
  if (plan.duplicateHeading) order.splice(rnd.int(1, order.length - 1), 0, 'Problem Statement');

  const status = plan.status;
  const header = plan.frontMatter
    ? `---\ntitle: ${title}\nstatus: ${status || 'Draft'}\nowners:\n  - ${rnd.pick(PEOPLE)}\n---\n\n`
    : '';
  const parts = [
    `${header}### Design Document`,
    `# ${title}`,
    `Type: ${rnd.chance(0.93) ? rnd.pick(DOC_TYPES) : ''}\nStatus: ${status}\nVersion: ${rnd.pick(VERSIONS)}`,
    ...order.map((name) => {
      const body = sections.get(name) ?? '';
      return body.length > 0 ? `## ${name}\n\n${body}` : `## ${name}`;
    }),
  ];
  let text = `${parts.join('\n\n')}\n`;
  if (plan.crlf) text = text.replace(/\n/g, '\r\n');
  if (plan.bom) text = `\uFEFF${text}`;
  return text;
}

/**
 * Writes `count` generated documents into a folder under os.tmpdir() (20 sub-folders, as teams
 * keep design documents per area) and returns the folder and its size. A folder already written
 * with the same count, seed and generator version is reused: generation is deterministic, so
 * rewriting it would only cost time.
 * @param {{ count: number, seed?: number, dir?: string }} options
 * @returns {{ dir: string, files: number, bytes: number, reused: boolean }}
 */
export function writeDesignDocuments({ count, seed = 20261127, dir }) {
  const key = createHash('sha1').update(`${GENERATOR_VERSION}:${seed}:${count}`).digest('hex').slice(0, 10);
  const target = dir ?? join(tmpdir(), `designdoc-bench-docs-${count}-${key}`);
  const manifestPath = join(target, '.manifest.json');
  if (existsSync(manifestPath)) {
    try {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      if (manifest.key === key && manifest.files === count) {
        return { dir: target, files: manifest.files, bytes: manifest.bytes, reused: true };
      }
    } catch {
      // A damaged manifest means a half-written folder: fall through and write it again.
    }
  }
  rmSync(target, { recursive: true, force: true });
  let bytes = 0;
  const folders = Math.min(20, count);
  for (let f = 0; f < folders; f++)
    mkdirSync(join(target, `area-${String(f + 1).padStart(2, '0')}`), { recursive: true });
  for (let i = 0; i < count; i++) {
    const text = generateDesignDocument(seed, i);
    const buffer = Buffer.from(text, 'utf8');
    bytes += buffer.length;
    const folder = `area-${String((i % folders) + 1).padStart(2, '0')}`;
    writeFileSync(join(target, folder, `design-${String(i + 1).padStart(5, '0')}.md`), buffer);
  }
  writeFileSync(
    manifestPath,
    JSON.stringify({ key, seed, files: count, bytes, generatorVersion: GENERATOR_VERSION }),
  );
  return { dir: target, files: count, bytes, reused: false };
}
