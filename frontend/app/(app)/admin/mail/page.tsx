import { getTranslations } from 'next-intl/server';
import { AdminArea } from '@/components/admin/admin-area';
import { InboundMailsTab } from '@/components/admin/inbound-mails';
import { MailDeliveriesTab } from '@/components/admin/mail-deliveries';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('adminMail');

export default async function Page() {
  const t = await getTranslations('integrations.mail');
  return (
    <AdminArea slug="mail">
      <Tabs defaultValue="sent">
        <TabsList>
          <TabsTrigger value="sent">{t('tabs.sent')}</TabsTrigger>
          <TabsTrigger value="received">{t('tabs.received')}</TabsTrigger>
        </TabsList>
        <TabsContent value="sent">
          <MailDeliveriesTab />
        </TabsContent>
        <TabsContent value="received">
          <InboundMailsTab />
        </TabsContent>
      </Tabs>
    </AdminArea>
  );
}
