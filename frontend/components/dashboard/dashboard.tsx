'use client';

import { useUser } from '@/lib/session';
import { AdminDashboard } from './admin-dashboard';
import { ManagerDashboard } from './manager-dashboard';
import { ReporterDashboard } from './reporter-dashboard';
import { StaffDashboard } from './staff-dashboard';

/** Home: what the signed-in person needs first, by role. Every figure links to its list. */
export function Dashboard() {
  const user = useUser();
  switch (user.role) {
    case 'admin':
      return <AdminDashboard />;
    case 'manager':
      return <ManagerDashboard />;
    case 'staff':
      return <StaffDashboard />;
    default:
      return <ReporterDashboard />;
  }
}
