import { useTranslations } from 'next-intl';
import { CheckCircle2, LifeBuoy } from 'lucide-react';
import type { ReactNode } from 'react';
import { BrowserLanguageSelect } from '@/components/locale/language-select';

export default function AuthLayout({ children }: { children: ReactNode }) {
  const t = useTranslations('shell.auth');
  return (
    <div className="grid min-h-screen lg:grid-cols-[1.05fr_1fr]">
      <aside className="relative hidden overflow-hidden bg-gradient-to-br from-[#1e2a78] via-[#2c3fc4] to-[#4f62e8] p-12 text-white lg:flex lg:flex-col">
        <div className="flex items-center gap-2 text-lg font-semibold">
          <span className="flex size-9 items-center justify-center rounded-lg bg-white/15 ring-1 ring-white/25">
            <LifeBuoy className="size-5" aria-hidden />
          </span>
          Service Desk
        </div>
        <div className="mt-auto max-w-md">
          <h2 className="text-3xl leading-tight font-semibold">{t('reportAProblemOnce')}</h2>
          <ul className="mt-8 space-y-3 text-white/85">
            {[t('pointRightTeam'), t('pointWhoAndWhen'), t('pointHearBack')].map((line) => (
              <li key={line} className="flex items-start gap-3">
                <CheckCircle2 className="mt-0.5 size-5 shrink-0 text-white/70" aria-hidden />
                {line}
              </li>
            ))}
          </ul>
        </div>
        <div aria-hidden className="pointer-events-none absolute -right-24 -bottom-24 size-96 rounded-full bg-white/10 blur-2xl" />
        <div aria-hidden className="pointer-events-none absolute -top-20 right-20 size-64 rounded-full bg-indigo-300/20 blur-3xl" />
      </aside>
      <main className="relative flex items-center justify-center px-4 py-12 sm:px-8">
        <div className="absolute top-4 right-4 sm:top-6 sm:right-8">
          <BrowserLanguageSelect />
        </div>
        <div className="w-full max-w-sm">{children}</div>
      </main>
    </div>
  );
}
