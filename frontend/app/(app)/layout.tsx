import type { ReactNode } from 'react';
import { AppShell } from '@/components/app-shell';
import { LiveIncidents } from '@/components/live-incidents';

export default function SignedInLayout({ children }: { children: ReactNode }) {
  return (
    <AppShell>
      {/* Inside the shell: it renders its children only once someone is signed in. */}
      <LiveIncidents indicator="hint" />
      {children}
    </AppShell>
  );
}
