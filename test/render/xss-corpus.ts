// Hostile markdown a document author (or an imported file) can write. Each payload sets
// `window.__xss` when it runs, so the browser test can also prove nothing executed.
export const XSS_PAYLOADS: Record<string, string> = {
  'script tag': '<script>window.__xss = 1</script>',
  'script tag, mixed case and spacing': '<ScRiPt >window.__xss = 1</sCrIpT >',
  'inline script in a paragraph': 'Some text <script>window.__xss = 1</script> more text',
  'javascript: link': '[click](javascript:window.__xss=1)',
  'javascript: link, mixed case': '[click](JaVaScRiPt:window.__xss=1)',
  'javascript: link, entity-encoded in markdown': '[click](&#106;avascript:window.__xss=1)',
  'javascript: link, entity-encoded in HTML': '<a href="&#106;&#97;vascript:window.__xss=1">click</a>',
  'javascript: link, hex entities and tab': '<a href="jav&#x09;ascript:window.__xss=1">click</a>',
  'javascript: link with leading spaces': '<a href="   javascript:window.__xss=1">click</a>',
  'vbscript: link': '<a href="vbscript:msgbox(1)">click</a>',
  'img onerror': '<img src="x" onerror="window.__xss=1">',
  'img onerror unquoted': '<img src=x onerror=window.__xss=1>',
  'svg with onload': '<svg onload="window.__xss=1"><circle r="5"/></svg>',
  'svg with script inside': '<svg><script>window.__xss=1</script></svg>',
  'svg data image': '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIj48L3N2Zz4=">',
  'data:text/html link': '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">open</a>',
  'data:text/html markdown link': '[open](data:text/html,<script>window.__xss=1</script>)',
  iframe: '<iframe src="javascript:window.__xss=1"></iframe>',
  'iframe srcdoc': '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
  'object and embed':
    '<object data="javascript:window.__xss=1"></object><embed src="javascript:window.__xss=1">',
  'form with formaction':
    '<form action="javascript:window.__xss=1"><button formaction="javascript:window.__xss=1">go</button></form>',
  'style overlay':
    '<div style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:9999;background:white">Sign in again</div>',
  'style tag': '<style>body { display: none }</style>',
  'link stylesheet': '<link rel="stylesheet" href="https://evil.example/x.css">',
  'meta refresh': '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=1">',
  'base href': '<base href="javascript:window.__xss=1//">',
  'event handler on details': '<details open ontoggle="window.__xss=1"><summary>x</summary></details>',
  'HTML comment breaking out': '<!-- --><script>window.__xss=1</script><!-- -->',
  'unclosed comment then script': '<!-- <script>window.__xss=1</script>',
  'comment with --!> close': '<!-- --!><img src=x onerror=window.__xss=1> -->',
  'mermaid fence breaking out of pre': '```mermaid\ngraph TD\n</pre><script>window.__xss=1</script>\n```',
  'code fence info string': '```"><script>window.__xss=1</script>\ncode\n```',
  'autolink javascript': '<javascript:window.__xss=1>',
  'input not disabled': '<input type="text" autofocus onfocus="window.__xss=1">',
  'math tag': '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>',
  'noscript trick': '<noscript><p title="</noscript><img src=x onerror=window.__xss=1>">',
  'heading id clobbering': '<h2 id="getElementById">x</h2><a id="cookie" name="cookie">y</a>',
};

/** Every payload in one design document, each in its own section, plus a malicious title and metadata. */
export function hostileDocument(): string {
  const sections = Object.entries(XSS_PAYLOADS)
    .map(([name, payload]) => `## ${name.replace(/[<>]/g, '')}\n\n${payload}\n`)
    .join('\n');
  return [
    '# Title </title><script>window.__xss=1</script>',
    '',
    'Type: <img src=x onerror=window.__xss=1>',
    'Status: Approved <script>window.__xss=1</script>',
    'Version: 1.0',
    '',
    sections,
  ].join('\n');
}
