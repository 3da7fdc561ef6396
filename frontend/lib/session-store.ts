import type { MfaSetup, User } from '@desk/contracts';
import { ApiError, type TokenSource } from './api-client';

// The browser side of the session. The refresh token is an httpOnly cookie that only the
// portal's /api/session routes see; the access token lives here, in memory, and is lost on a
// page load, when the first request renews it through /api/session/refresh.
//
// Refresh tokens rotate and a reused one ends the whole sign-in (identity-service), so two tabs
// must never present the same cookie at once: renewals are serialised across tabs with the Web
// Locks API, and within a tab concurrent callers share one renewal.

export type SessionStatus = 'unknown' | 'signed-in' | 'signed-out';

export interface SessionSnapshot {
  status: SessionStatus;
  user: User | null;
}

export interface SessionResponse {
  accessToken: string;
  expiresIn: number;
  user: User;
}

/** A sign-in finished with a second factor; `recoveryCodes` when it enrolled the factor (shown once). */
export interface SecondStepResponse extends SessionResponse {
  recoveryCodes?: string[];
}

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

export class SessionStore implements TokenSource {
  private accessToken: string | null = null;
  private snapshot: SessionSnapshot = { status: 'unknown', user: null };
  private readonly listeners = new Set<() => void>();
  private renewal: Promise<string | null> | null = null;
  private readonly fetchImpl: typeof fetch;

  constructor(options: { fetch?: typeof fetch; locks?: LockManagerLike | undefined } = {}) {
    this.fetchImpl = options.fetch ?? ((...args) => fetch(...args));
    this.locks = options.locks;
  }

  private readonly locks: LockManagerLike | undefined;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SessionSnapshot => this.snapshot;

  current(): string | null {
    return this.accessToken;
  }

  /** Renews the access token from the session cookie; null when there is no session (any more). */
  refresh(): Promise<string | null> {
    this.renewal ??= this.renew().finally(() => {
      this.renewal = null;
    });
    return this.renewal;
  }

  expired(): void {
    this.set(null, null);
  }

  async signIn(email: string, password: string): Promise<User> {
    const response = await this.post('/api/session', 'POST', { email, password });
    if (!response.ok) throw await ApiError.fromResponse(response);
    const session = (await response.json()) as SessionResponse;
    this.set(session.accessToken, session.user);
    return session.user;
  }

  /**
   * The second step of a sign-in whose password was right (`signIn` threw `AUTH.MFA_REQUIRED` or
   * `AUTH.MFA_ENROLMENT_REQUIRED`): the challenge with a code from the app or a recovery code.
   */
  async completeSignIn(body: { challengeToken: string } & ({ code: string } | { recoveryCode: string })): Promise<{ user: User; recoveryCodes: string[] | undefined }> {
    const response = await this.post('/api/session/mfa', 'POST', body);
    if (!response.ok) throw await ApiError.fromResponse(response);
    const session = (await response.json()) as SecondStepResponse;
    this.set(session.accessToken, session.user);
    return { user: session.user, recoveryCodes: session.recoveryCodes };
  }

  /** A sign-in that must enrol a second factor first: the secret (and its QR code) for the app. */
  async startSignInEnrolment(challengeToken: string): Promise<MfaSetup> {
    const response = await this.post('/api/session/mfa/setup', 'POST', { challengeToken });
    if (!response.ok) throw await ApiError.fromResponse(response);
    return (await response.json()) as MfaSetup;
  }

  async signOut(): Promise<void> {
    try {
      await this.post('/api/session', 'DELETE');
    } finally {
      this.set(null, null);
    }
  }

  /** After the person's own account changed (name): the header shows the new one. */
  updateUser(user: User): void {
    if (this.snapshot.status === 'signed-in') {
      this.snapshot = { status: 'signed-in', user };
      this.emit();
    }
  }

  private async renew(): Promise<string | null> {
    const run = async () => {
      const response = await this.post('/api/session/refresh', 'POST');
      // 204: no session cookie at all; 401/403: the sign-in ended (expired, revoked, deactivated).
      if (response.status === 204 || response.status === 401 || response.status === 403) {
        this.set(null, null);
        return null;
      }
      if (!response.ok) throw await ApiError.fromResponse(response);
      const session = (await response.json()) as SessionResponse;
      this.set(session.accessToken, session.user);
      return session.accessToken;
    };
    return this.locks ? this.locks.request('desk-session-refresh', run) : run();
  }

  private async post(path: string, method: string, body?: unknown): Promise<Response> {
    try {
      return await this.fetchImpl(path, {
        method,
        credentials: 'same-origin',
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw ApiError.unreachable(error);
    }
  }

  private set(token: string | null, user: User | null): void {
    this.accessToken = token;
    this.snapshot = token && user ? { status: 'signed-in', user } : { status: 'signed-out', user: null };
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
