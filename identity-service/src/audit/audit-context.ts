import { callerOf } from '@desk/auth';
import type { Request } from 'express';
import type { AuditContext } from './record-audit.js';

/** The signed-in caller and the address the request came from (the gateway's X-Forwarded-For, read by trust proxy). */
export function auditContextOf(request: Request): AuditContext {
  const caller = callerOf(request);
  return { actor: { kind: caller.kind, id: caller.id }, sourceAddress: request.ip ?? null };
}
