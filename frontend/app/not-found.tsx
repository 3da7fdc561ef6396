import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { Button } from '@/components/ui/button';

export default function NotFound() {
  const t = useTranslations('shell.notFound');
  return (
    <div className="flex min-h-screen flex-col items-center justify-center px-4 text-center">
      <p className="font-mono text-sm text-muted-foreground">404</p>
      <h1 className="mt-2 text-2xl font-semibold">{t('thisPageDoesNot')}</h1>
      <p className="mt-2 max-w-sm text-sm text-muted-foreground">{t('theAddressMayBe')}</p>
      <Button asChild className="mt-6">
        <Link href="/incidents">{t('goToTheIncidents')}</Link>
      </Button>
    </div>
  );
}
