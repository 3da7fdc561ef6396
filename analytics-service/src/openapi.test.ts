import { describeOpenApiConformance } from '@desk/testing';
import { startAnalytics } from './test-support/harness.js';

// The shared conformance suite (@desk/testing): every documented operation answers as documented
// through the real app, and every route the app registers is documented.

describeOpenApiConformance(
  'analytics-service',
  async () => {
    const h = await startAnalytics();
    return { h, app: h.service.app, adminToken: h.admin.token, close: () => h.close() };
  },
  { mustRegister: ['GET /analytics/summary', 'GET /analytics/export.csv', 'POST /analytics/rebuild'] },
);
