'use client';

import { useTranslations } from 'next-intl';
import { useFormContext, useWatch } from 'react-hook-form';
import { ROLES_IN_A_DEPARTMENT, USER_ROLES, type Department, type UserRole } from '@desk/contracts';
import { FormControl, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { DepartmentSelect } from './department-select';
import { useLabels } from '@/lib/i18n/use-format';

type RoleAndDepartment = { role: UserRole; departmentId?: string | null };

/**
 * A person's role and department, side by side, inside a New user or Edit user form: "No
 * department" is offered only to the roles that may have none, and once the form has been sent
 * a change of role checks the department again.
 */
export function RoleDepartmentFields({ departments }: { departments: Department[] }) {
  const t = useTranslations('admin.users');
  const labels = useLabels();
  const form = useFormContext<RoleAndDepartment>();
  const role = useWatch({ control: form.control, name: 'role' });
  const needsDepartment = ROLES_IN_A_DEPARTMENT.includes(role);
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <FormField control={form.control} name="role" render={({ field }) => (
        <FormItem>
          <FormLabel>{t('role')}</FormLabel>
          <Select value={field.value} onValueChange={(next) => { field.onChange(next); if (form.formState.isSubmitted) void form.trigger('departmentId'); }}>
            <FormControl>
              <SelectTrigger className="w-full"><SelectValue /></SelectTrigger>
            </FormControl>
            <SelectContent>
              {USER_ROLES.map((value) => <SelectItem key={value} value={value}>{labels.role(value)}</SelectItem>)}
            </SelectContent>
          </Select>
          <FormMessage />
        </FormItem>
      )} />
      <FormField control={form.control} name="departmentId" render={({ field }) => (
        <FormItem>
          <FormLabel>{t('department')}</FormLabel>
          <DepartmentSelect value={field.value ?? null} onChange={field.onChange} departments={departments} allowNone={!needsDepartment} />
          <FormMessage />
        </FormItem>
      )} />
    </div>
  );
}
