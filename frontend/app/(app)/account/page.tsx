import { AccountPage } from '@/components/account-page';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('account');

export default function Page() {
  return <AccountPage />;
}
