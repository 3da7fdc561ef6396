import { NewIncidentForm } from '@/components/incidents/new-incident-form';
import { titled } from '@/lib/i18n/metadata';

export const generateMetadata = titled('newIncident');

export default function NewIncidentPage() {
  return <NewIncidentForm />;
}
