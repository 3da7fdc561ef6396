/**
 * Values the repository itself publishes — the `change-me…` placeholders of `.env.example` and
 * `deploy/k8s/secret.example.yaml`, and the standalone demo's passwords — which anyone can read,
 * so a production service refuses to start with them (see `loadConfig`).
 */
export const DEMO_PASSWORDS = ['admin-password', 'demo-password-2026', 'demo-password'] as const;

const PLACEHOLDER = /change[-_ ]?me/i;

/** Which published example a value is or contains (in a URL's password too), or undefined. */
export function exampleValueIn(value: string): string | undefined {
  if (PLACEHOLDER.test(value)) return 'a "change-me" placeholder';
  const lower = value.toLowerCase();
  for (const password of DEMO_PASSWORDS) {
    if (lower === password || lower.includes(`:${password}@`)) return `the demo password "${password}"`;
  }
  return undefined;
}

/** One problem per variable that holds a published example value; the values themselves are not repeated. */
export function exampleValueProblems(names: Iterable<string>, env: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const name of names) {
    const value = env[name];
    const example = value === undefined ? undefined : exampleValueIn(value);
    if (example) problems.push(`${name} holds ${example} published with this repository; set a secret of your own (e.g. \`openssl rand -base64 48\`)`);
  }
  return problems;
}
