import { zxcvbn, zxcvbnOptions } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { AppError } from '@desk/platform';

// zxcvbn-ts with its common-language package: about 49 000 common and breached passwords
// (from leaked password corpora) plus keyboard-pattern graphs. A password that is one of them,
// or is built from them with predictable changes (`Password123!`, `qwerty123456`), scores low.
zxcvbnOptions.setOptions({ dictionary, graphs: adjacencyGraphs });

/**
 * zxcvbn's score 3 means at least 10^8 guesses: "safely unguessable" against online attacks,
 * which the sign-in throttle slows further. Length (≥ 12) is the contract's rule.
 */
const MINIMUM_SCORE = 3;

const letters = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/**
 * Why a new password is refused, or undefined when it may be used. `personal` is the person's
 * email and name: the first guesses an attacker who targets them tries.
 */
export function passwordWeakness(password: string, personal: string[] = []): string | undefined {
  const flat = letters(password);
  const mailbox = personal.map((text) => letters(text.includes('@') ? text.slice(0, text.lastIndexOf('@')) : text)).find((name) => name.length >= 4 && flat.includes(name));
  if (mailbox) return 'must not contain your email address or name';
  // They also count as known words for zxcvbn (`Silva` inside `silva-desk-2024`).
  const userInputs = personal.flatMap((text) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u)).filter((word) => word.length >= 3);
  const result = zxcvbn(password, userInputs);
  if (result.score >= MINIMUM_SCORE) return undefined;
  const common = result.sequence.some((match) => match.pattern === 'dictionary' && match.token.length === password.length);
  return common
    ? 'is on a list of common or breached passwords: choose another'
    : 'is too easy to guess (common words, names, keyboard runs or repeats): make it longer, of unrelated words';
}

/** Refuses a new password that is too easy to guess, naming the field it came in. */
export function requireStrongPassword(password: string, field: string, personal: string[] = []): void {
  const weakness = passwordWeakness(password, personal);
  if (!weakness) return;
  throw AppError.unprocessable('PASSWORD.TOO_COMMON', `The ${field} ${weakness}.`, {
    errors: [{ location: 'body', path: `/${field}`, message: `Password ${weakness}` }],
  });
}
