import path from 'node:path';
import type { NextConfig } from 'next';
import createNextIntlPlugin from 'next-intl/plugin';

const repositoryRoot = path.resolve(__dirname, '..');

const nextConfig: NextConfig = {
  // A self-contained server.js with exactly the node_modules it needs: what the image runs.
  output: 'standalone',
  // In a workspace the app's dependencies are hoisted to the repository root, so tracing starts
  // there and the server lands at .next/standalone/frontend/server.js.
  outputFileTracingRoot: repositoryRoot,
  turbopack: { root: repositoryRoot },
  poweredByHeader: false,
  reactStrictMode: true,
  headers() {
    return Promise.resolve([
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
        ],
      },
    ]);
  },
};

// The request's locale and messages (i18n/request.ts), for next-intl on the server.
export default createNextIntlPlugin('./i18n/request.ts')(nextConfig);
