import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
import { connection } from 'next/server';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { LocaleSync } from '@/components/locale/locale-sync';
import { ThemeProvider } from '@/components/shell/theme';
import { Toaster } from '@/components/ui/sonner';
import { PortalProviders } from '@/lib/session';
import { portalTracing, publicApiUrl } from '@/lib/server/config';
import { PortalTracing } from '@/lib/telemetry/portal-tracing';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('shell');
  return { title: { default: t('brand'), template: `%s · ${t('brand')}` }, description: t('description') };
}

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
  const locale = await getLocale();
  return (
    <html lang={locale} suppressHydrationWarning>
      <body className="min-h-screen">
        <NextIntlClientProvider>
          <ThemeProvider nonce={nonce}>
            <PortalProviders apiUrl={publicApiUrl()}>
              <PortalTracing enabled={portalTracing()} />
              <LocaleSync />
              {children}
            </PortalProviders>
            <Toaster richColors position="bottom-right" closeButton />
          </ThemeProvider>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
