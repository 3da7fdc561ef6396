import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { ThemeProvider } from '@/components/shell/theme';
import { Toaster } from '@/components/ui/sonner';
import { PortalProviders } from '@/lib/session';
import { portalTracing, publicApiUrl } from '@/lib/server/config';
import { PortalTracing } from '@/lib/telemetry/portal-tracing';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Service Desk', template: '%s · Service Desk' },
  description: 'Report incidents and follow them until they are solved.',
};

export const viewport: Viewport = {
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#3b4fd8' },
    { media: '(prefers-color-scheme: dark)', color: '#151a2b' },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Rendered per request, so the API URL is the one this server was started with.
  await connection();
  // The theme is set before the page paints by a small script, which the policy allows by nonce.
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <body className="min-h-screen">
        <ThemeProvider nonce={nonce}>
          <PortalProviders apiUrl={publicApiUrl()}>
            <PortalTracing enabled={portalTracing()} />
            {children}
          </PortalProviders>
          <Toaster richColors position="bottom-right" closeButton />
        </ThemeProvider>
      </body>
    </html>
  );
}
