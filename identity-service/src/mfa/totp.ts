import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

/**
 * TOTP as every authenticator app reads it (RFC 6238): SHA-1, 6 digits, 30-second steps, a
 * 160-bit seed. A code is accepted for the step before, the current step and the one after
 * (clocks drift), and only for a step newer than the last one accepted, so a code works once.
 */
export const TOTP_PERIOD_SECONDS = 30;
const WINDOW = 1;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpOf(secretBase32: string, label = 'account', issuer = 'Service desk'): TOTP {
  return new TOTP({ issuer, label, algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD_SECONDS, secret: Secret.fromBase32(secretBase32) });
}

/** The app's name for the desk: "Service desk (host)", so a staging and a live desk look different. */
export function totpIssuer(issuerUrl: string): string {
  try {
    return `Service desk (${new URL(issuerUrl).host})`;
  } catch {
    return 'Service desk';
  }
}

export function otpauthUri(secretBase32: string, label: string, issuer: string): string {
  return totpOf(secretBase32, label, issuer).toString();
}

/** The otpauth URI as an SVG QR code, as a data URL an `<img>` shows (the portal's CSP allows `data:` images). */
export async function qrCodeDataUrl(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

/** The time step a code is valid for, when it matches within the window and is newer than `lastUsedStep`; otherwise null. */
export function acceptedStep(secretBase32: string, code: string, lastUsedStep: number, now = Date.now()): number | null {
  const delta = totpOf(secretBase32).validate({ token: code, timestamp: now, window: WINDOW });
  if (delta === null) return null;
  const step = Math.floor(now / 1000 / TOTP_PERIOD_SECONDS) + delta;
  return step > lastUsedStep ? step : null;
}

/** The code for a moment (tests and tools; the server never needs to show one). */
export function totpCode(secretBase32: string, now = Date.now()): string {
  return totpOf(secretBase32).generate({ timestamp: now });
}
