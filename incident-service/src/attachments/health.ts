import type { HealthCheck } from '@desk/platform';
import type { Clamd } from './clamd.js';
import type { AttachmentStore } from './storage.js';

/** The attachment store: reported, not required to be ready (incidents are served without it; uploads and downloads say it is unreachable). */
export function attachmentStoreHealthCheck(store: AttachmentStore): HealthCheck {
  return {
    name: 'attachmentStore',
    role: 'detail',
    async check() {
      await store.check();
      return { kind: store.kind };
    },
  };
}

/** The malware scanner: while it is down, new attachments wait (`scanning`), nothing else does. */
export function clamdHealthCheck(clamd: Clamd): HealthCheck {
  return {
    name: 'malwareScanner',
    role: 'detail',
    async check() {
      await clamd.ping();
    },
  };
}
