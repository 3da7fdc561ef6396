// Every relative link and image in the repository's Markdown must point at a file that exists,
// and every `#anchor` at a heading (GitHub's slugs, duplicates numbered -1, -2 …) or an HTML
// id/name in the target. External links (any URL scheme, `//host`) are not checked.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import GithubSlugger from 'github-slugger';
import MarkdownIt from 'markdown-it';

const root = path.resolve(__dirname, '..');
const markdown = new MarkdownIt({ html: true });

type Token = ReturnType<MarkdownIt['parse']>[number];

interface Problem {
  file: string;
  link: string;
  reason: string;
}

const HTML_LINK = /\b(?:href|src)\s*=\s*["']([^"']+)["']/gi;
const HTML_ID = /\b(?:id|name)\s*=\s*["']([^"']+)["']/gi;

function htmlMatches(html: string, pattern: RegExp): string[] {
  return [...html.matchAll(pattern)].map((match) => match[1]!);
}

/** Every link target of a Markdown source: inline links, images, reference definitions, HTML href/src. */
export function linksOf(source: string): string[] {
  const env: { references?: Record<string, { href: string }> } = {};
  const tokens = markdown.parse(source, env);
  const links: string[] = [];
  const visit = (token: Token) => {
    if (token.type === 'link_open') links.push(token.attrGet('href') ?? '');
    if (token.type === 'image') links.push(token.attrGet('src') ?? '');
    if (token.type === 'html_inline' || token.type === 'html_block') links.push(...htmlMatches(token.content, HTML_LINK));
    token.children?.forEach(visit);
  };
  tokens.forEach(visit);
  // Reference definitions, used or not.
  for (const reference of Object.values(env.references ?? {})) links.push(reference.href);
  return links;
}

function headingText(inline: Token | undefined): string {
  return (inline?.children ?? [])
    .filter((child) => child.type === 'text' || child.type === 'code_inline' || child.type === 'html_inline')
    .map((child) => (child.type === 'html_inline' ? '' : child.content))
    .join('');
}

/** The anchors GitHub gives a Markdown source: heading slugs plus HTML id and name attributes. */
export function anchorsOf(source: string): Set<string> {
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  const tokens = markdown.parse(source, {});
  tokens.forEach((token, index) => {
    if (token.type === 'heading_open') anchors.add(slugger.slug(headingText(tokens[index + 1])));
    const html = token.type === 'html_block' ? [token.content] : token.type === 'inline' ? (token.children ?? []).filter((c) => c.type === 'html_inline').map((c) => c.content) : [];
    for (const chunk of html) for (const id of htmlMatches(chunk, HTML_ID)) anchors.add(id);
  });
  return anchors;
}

const isExternal = (link: string) => /^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith('//');

/** Checks the links of `files` (paths relative to `base`); returns what is broken. */
export function checkMarkdownLinks(base: string, files: string[]): Problem[] {
  const problems: Problem[] = [];
  const anchorCache = new Map<string, Set<string>>();
  const anchorsFor = (file: string) => {
    let anchors = anchorCache.get(file);
    if (!anchors) anchorCache.set(file, (anchors = anchorsOf(readFileSync(file, 'utf8'))));
    return anchors;
  };
  for (const file of files) {
    const absolute = path.join(base, file);
    for (const link of linksOf(readFileSync(absolute, 'utf8'))) {
      if (link === '' || isExternal(link)) continue;
      const hashAt = link.indexOf('#');
      const target = hashAt === -1 ? link : link.slice(0, hashAt);
      const anchor = hashAt === -1 ? null : link.slice(hashAt + 1);
      let targetPath = absolute;
      if (target !== '') {
        let decoded = target.split('?')[0]!;
        try {
          decoded = decodeURIComponent(decoded);
        } catch {
          // keep it as written
        }
        targetPath = decoded.startsWith('/') ? path.join(base, decoded) : path.resolve(path.dirname(absolute), decoded);
        if (!existsSync(targetPath)) {
          problems.push({ file, link, reason: `no such file: ${path.relative(base, targetPath)}` });
          continue;
        }
      }
      if (anchor && /\.md$/i.test(targetPath) && statSync(targetPath).isFile()) {
        let wanted = anchor;
        try {
          wanted = decodeURIComponent(anchor);
        } catch {
          // keep it as written
        }
        if (!anchorsFor(targetPath).has(wanted)) problems.push({ file, link, reason: `no heading or id "${wanted}" in ${path.relative(base, targetPath)}` });
      }
    }
  }
  return problems;
}

/** Tracked Markdown files plus untracked ones that are not ignored. */
function repositoryMarkdownFiles(): string[] {
  const output = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z', '--', '*.md'], { cwd: root, encoding: 'utf8' });
  return [...new Set(output.split('\0').filter(Boolean))].filter((file) => existsSync(path.join(root, file))).sort();
}

describe('Markdown links', () => {
  it('when a Markdown file of the repository links to a file or an anchor, then it exists', () => {
    const files = repositoryMarkdownFiles();
    assert.ok(files.includes('README.md'), 'the repository README should be among the files checked');
    const problems = checkMarkdownLinks(root, files);
    assert.deepEqual(
      problems.map((problem) => `${problem.file}: ${problem.link} (${problem.reason})`),
      [],
    );
  });

  it('when a link names a missing file or a missing anchor, then the check reports it', () => {
    const base = mkdtempSync(path.join(tmpdir(), 'markdown-links-'));
    try {
      writeFileSync(
        path.join(base, 'target.md'),
        '# Target\n\n## Quick start\n\n## Quick start\n\n## `npm test` and *lint*\n\n<a id="custom"></a>\n',
      );
      writeFileSync(
        path.join(base, 'source.md'),
        [
          '# Source',
          '',
          '[fine](target.md#quick-start) [second](target.md#quick-start-1) [code](target.md#npm-test-and-lint)',
          '[html id](target.md#custom) [self](#source) [web](https://example.com/missing) [mail](mailto:a@example.com)',
          '[missing file](missing.md) [missing anchor](target.md#no-such-heading) [missing self](#nowhere)',
          '![missing image](images/none.png)',
          '<a href="gone.md">html</a>',
          '',
          '[ref]: ./also-missing.md',
          '',
          '```',
          '[inside code](not-checked.md)',
          '```',
          '',
        ].join('\n'),
      );
      const problems = checkMarkdownLinks(base, ['source.md', 'target.md']);
      assert.deepEqual(problems.map((problem) => problem.link).sort(), [
        '#nowhere',
        './also-missing.md',
        'gone.md',
        'images/none.png',
        'missing.md',
        'target.md#no-such-heading',
      ]);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
