import type { Metadata, Viewport } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { Toaster } from '@/components/ui/sonner';
import { PortalProviders } from '@/lib/session';
import { publicApiUrl } from '@/lib/server/config';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Service Desk', template: '%s · Service Desk' },
  description: 'Report incidents and follow them until they are solved.',
};

export const viewport: Viewport = { themeColor: '#3b4fd8' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Rendered per request, so the API URL is the one this server was started with.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen">
        <PortalProviders apiUrl={publicApiUrl()}>{children}</PortalProviders>
        <Toaster richColors position="bottom-right" closeButton />
      </body>
    </html>
  );
}
