'use client';

import { useTranslations } from 'next-intl';
import type { Department } from '@desk/contracts';
import { FormControl } from '@/components/ui/form';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';

/**
 * Choosing a department. Without `allowNone` nothing is chosen at first and the placeholder asks
 * for one. Inside a react-hook-form field (`inForm`) the trigger is the field's control, so its
 * label and message are tied to it.
 */
export function DepartmentSelect({ value, onChange, departments, allowNone, inForm = true }: { value: string | null; onChange: (value: string | null) => void; departments: Department[]; allowNone: boolean; inForm?: boolean }) {
  const t = useTranslations('admin.departmentSelect');
  const trigger = (
    <SelectTrigger className="w-full" aria-label={inForm ? undefined : t('label')}>
      <SelectValue placeholder={t('placeholder')} />
    </SelectTrigger>
  );
  return (
    <Select value={value ?? (allowNone ? 'none' : '')} onValueChange={(next) => onChange(next === 'none' ? null : next)}>
      {inForm ? <FormControl>{trigger}</FormControl> : trigger}
      <SelectContent>
        {allowNone ? <SelectItem value="none">{t('none')}</SelectItem> : null}
        {departments.map((department) => (
          <SelectItem key={department.id} value={department.id}>
            {department.name}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
