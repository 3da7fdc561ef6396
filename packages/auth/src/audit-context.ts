import type { AuditActor } from '@desk/contracts';
import type { Request } from 'express';
import { callerOf } from './middleware.js';

/** Who is making an administrative change, and from where: what the audit trail records beside the change. */
export interface AuditContext {
  actor: AuditActor;
  /** The client address as the gateway forwarded it (X-Forwarded-For, read by express `request.ip` with trust proxy). */
  sourceAddress: string | null;
}

/** For changes the platform makes on its own (the bootstrap admin, a scheduled job). */
export const SYSTEM_AUDIT_CONTEXT: AuditContext = { actor: { kind: 'system', id: null }, sourceAddress: null };

/** The signed-in caller of `request` and the address it came from. */
export function auditContextOf(request: Request): AuditContext {
  const caller = callerOf(request);
  return { actor: { kind: caller.kind, id: caller.id }, sourceAddress: request.ip ?? null };
}
