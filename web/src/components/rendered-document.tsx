import { useEffect, useRef } from 'react';

interface Props {
  /** HTML already allowlist-sanitised by the server's renderer. */
  html: string;
  className?: string;
}

/**
 * Shows the server-rendered document. Mermaid fences arrive as `<pre class="mermaid">` with escaped
 * source; the Mermaid chunk is loaded only when a document has one, runs with securityLevel
 * 'strict', and its SVG is sanitised again before it enters the page.
 */
export function RenderedDocument({ html, className }: Props) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const root = host.current;
    if (!root) return;
    const blocks = Array.from(root.querySelectorAll<HTMLElement>('pre.mermaid'));
    if (blocks.length === 0) return;
    let cancelled = false;
    void (async () => {
      const [{ default: mermaid }, { default: DOMPurify }] = await Promise.all([
        import('mermaid'),
        import('dompurify'),
      ]);
      mermaid.initialize({
        startOnLoad: false,
        securityLevel: 'strict',
        htmlLabels: false,
        flowchart: { htmlLabels: false },
      });
      for (const [index, block] of blocks.entries()) {
        if (cancelled) return;
        // Mermaid labels may carry HTML; strip every tag but <br> before Mermaid ever parses it,
        // so no hostile element is created even inside its own sanitiser.
        const source = (block.textContent ?? '').replace(/<(?!br\s*\/?>)[^>]*>?/gi, '');
        try {
          const { svg } = await mermaid.render(`mermaid-${Date.now()}-${index}`, source);
          const clean = DOMPurify.sanitize(svg, {
            USE_PROFILES: { svg: true, svgFilters: true },
            FORBID_TAGS: ['foreignObject', 'style'],
            FORBID_ATTR: ['style'],
          });
          const figure = document.createElement('figure');
          figure.className = 'mermaid-diagram';
          figure.innerHTML = clean;
          block.replaceWith(figure);
        } catch {
          block.classList.add('mermaid-error');
          block.title = 'This Mermaid diagram could not be rendered; its source is shown instead.';
        }
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [html]);
  // The HTML is the server renderer's sanitised output (allowlist, no scripts, no styles).
  return (
    <div ref={host} className={`rendered ${className ?? ''}`} dangerouslySetInnerHTML={{ __html: html }} />
  );
}
