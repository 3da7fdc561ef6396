import { RegisterForm } from '@/components/register-form';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('register');

export default function RegisterPage() {
  return <RegisterForm />;
}
