import { Document, Spectral } from '@stoplight/spectral-core';
import { Json } from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';

export interface LintFinding {
  severity: 'error' | 'warning' | 'information' | 'hint';
  rule: string;
  /** Where in the document: `paths./incidents.get.responses.200`. */
  path: string;
  message: string;
}

const SEVERITIES = ['error', 'warning', 'information', 'hint'] as const;

/**
 * Spectral's `spectral:oas` ruleset (what `spectral lint` applies to an OpenAPI document by
 * default) over a document: every finding, as `spectral lint` would print them.
 */
export async function lintOpenApiDocument(document: unknown): Promise<LintFinding[]> {
  const spectral = new Spectral();
  spectral.setRuleset({ extends: [[oas, 'recommended']] } as unknown as Parameters<Spectral['setRuleset']>[0]);
  const results = await spectral.run(new Document(JSON.stringify(document, null, 2), Json));
  return results.map((result) => ({
    severity: SEVERITIES[result.severity] ?? 'hint',
    rule: String(result.code),
    path: result.path.join('.'),
    message: result.message,
  }));
}

/** Findings as lines for an assertion message. */
export function formatLintFindings(findings: LintFinding[]): string {
  return findings.map((finding) => `${finding.severity} ${finding.rule} at ${finding.path}: ${finding.message}`).join('\n');
}
