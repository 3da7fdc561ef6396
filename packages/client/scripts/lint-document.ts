import { Document, Spectral } from '@stoplight/spectral-core';
import { Json } from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';
import { platformApiDocument } from './api-document.js';

/** Spectral's `spectral:oas` ruleset over the merged document: every finding, errors and warnings alike. */
export async function lintPlatformDocument(document: Record<string, unknown> = platformApiDocument()) {
  const spectral = new Spectral();
  spectral.setRuleset({ extends: [[oas, 'recommended']] } as never);
  const results = await spectral.run(new Document(JSON.stringify(document, null, 2), Json));
  return results.map((result) => ({ rule: String(result.code), severity: result.severity, path: result.path.join('.'), message: result.message }));
}

if (require.main === module) {
  void lintPlatformDocument().then((findings) => {
    for (const finding of findings) process.stdout.write(`${finding.severity === 0 ? 'error' : 'warning'} ${finding.rule} ${finding.path}: ${finding.message}\n`);
    process.stdout.write(`${findings.length} findings\n`);
  });
}
