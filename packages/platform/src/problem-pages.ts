import { PROBLEM_CATALOG, problemSlug, problemTypeFor, type ProblemCode, type ProblemEntry } from '@desk/contracts';
import { Router, type Request, type Response } from 'express';
import { AppError } from './errors.js';

/** What a problem's page says, as JSON (`Accept: application/json`). */
export interface ProblemPage extends ProblemEntry {
  code: ProblemCode;
  type: string;
}

const BY_SLUG = new Map<string, ProblemPage>(
  (Object.entries(PROBLEM_CATALOG) as [ProblemCode, ProblemEntry][]).map(([code, entry]) => [problemSlug(code), { code, type: problemTypeFor(code), ...entry }]),
);

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** The catalogue's text marks code with backticks, as Markdown does. */
function inline(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:44rem;padding:1.5rem;color:#1f2937}
h1{font-size:1.5rem;margin:.25rem 0 1rem}code{background:#f3f4f6;border-radius:4px;padding:0 .25rem;font-size:.9em}
.code{color:#6b7280;font-family:ui-monospace,monospace;font-size:.9rem}dt{font-weight:600;margin-top:1rem}dd{margin:0}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e5e7eb;padding:.4rem .5rem;text-align:left;vertical-align:top}a{color:#1d4ed8}`;

function htmlPage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

function problemHtml(page: ProblemPage): string {
  return htmlPage(
    `${page.title} (${page.code})`,
    `<p class="code">${page.code} · usually HTTP ${page.status}</p><h1>${inline(page.title)}</h1>
<dl><dt>What it means</dt><dd>${inline(page.meaning)}</dd><dt>What to do</dt><dd>${inline(page.next)}</dd></dl>
<p>The response's <code>detail</code> says what happened this time, and its <code>requestId</code> finds the request in the platform's logs. <a href="/problems">Every problem</a> · <a href="/docs">API reference</a></p>`,
  );
}

function indexHtml(pages: ProblemPage[]): string {
  const rows = pages.map((page) => `<tr><td><a href="${page.type}">${page.code}</a></td><td>${page.status}</td><td>${inline(page.title)}</td></tr>`).join('');
  return htmlPage(
    'Problems the API answers with',
    `<h1>Problems the API answers with</h1><p>Every error is <code>application/problem+json</code> (RFC 9457); its <code>type</code> links to one of these pages and its <code>code</code> is the stable name to switch on.</p><table><thead><tr><th>code</th><th>status</th><th>title</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

function send(request: Request, response: Response, json: unknown, html: () => string): void {
  response.set('Cache-Control', 'public, max-age=3600').vary('Accept');
  if (request.accepts(['html', 'json']) === 'json') response.json(json);
  else response.type('html').send(html());
}

/**
 * `/problems` and `/problems/<slug>`: the page each problem's `type` names, as HTML for people
 * and JSON for programs (`Accept: application/json`). Every service serves them, so a `type` —
 * a URI reference resolved against the API's own origin — resolves wherever the response came from.
 */
export function problemPages(): Router {
  const router = Router();
  router.get('/problems', (request, response) => {
    const pages = [...BY_SLUG.values()];
    send(request, response, { items: pages }, () => indexHtml(pages));
  });
  router.get('/problems/:slug', (request, response, next) => {
    const page = BY_SLUG.get(request.params.slug);
    if (!page) {
      next(AppError.notFound('HTTP.NOT_FOUND', 'There is no problem of that name; /problems lists them all.'));
      return;
    }
    send(request, response, page, () => problemHtml(page));
  });
  return router;
}
