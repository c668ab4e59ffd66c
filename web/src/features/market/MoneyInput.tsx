import { NativeSelect, NumberInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/use-format.ts';
import { bestUnit, fromYuan, MONEY_UNITS, type MoneyUnit, toYuan } from './criteria.ts';

/** NumberInput hands over a string while a number is half typed ("1."): read what it says so far. */
function toAmount(value: number | string): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const parsed = Number.parseFloat(value.replaceAll(',', ''));
  return Number.isFinite(parsed) ? parsed : null;
}

interface Props {
  label: string;
  /** Whole yuan, or null for "any". */
  value: number | null;
  onChange: (yuan: number | null) => void;
  error?: string | boolean;
  placeholder?: string;
}

/**
 * An amount of money typed in the units people say: 5000 万 or 1.5 亿 in Chinese, 50 million in English.
 * The value stays in yuan; the unit is only how it is typed.
 */
export function MoneyInput({ label, value, onChange, error, placeholder }: Props) {
  const { t } = useTranslation();
  const format = useFormat();
  const units = MONEY_UNITS[format.language];
  const [unit, setUnit] = useState<MoneyUnit>(() => bestUnit(value, format.language));
  const [amount, setAmount] = useState<number | string>(() => (value == null ? '' : fromYuan(value, unit)));

  // A value from outside (a loaded version, a reset) or a new language: show it in its natural unit.
  // While typing, the value is what this input made, so the unit stays as chosen.
  const typed = toAmount(amount) == null ? null : toYuan(toAmount(amount) as number, unit);
  const unitFits = units.some((u) => u.key === unit.key);
  useEffect(() => {
    if (value === typed && unitFits) return;
    const next = bestUnit(value, format.language);
    setUnit(next);
    setAmount(value == null ? '' : fromYuan(value, next));
  }, [value, typed, unitFits, format.language]);

  return (
    <NumberInput
      label={label}
      value={amount}
      placeholder={placeholder}
      min={0}
      decimalScale={4}
      thousandSeparator={format.language === 'en' ? ',' : undefined}
      hideControls
      error={error}
      // The line under the field is always there (blank until a value is typed), so typing does not push this
      // field below its neighbour's line.
      description={value != null ? t('market.form.moneyEquals', { amount: format.money(value) }) : '\u00a0'}
      inputWrapperOrder={['label', 'input', 'description', 'error']}
      onChange={(next) => {
        setAmount(next);
        const parsed = toAmount(next);
        onChange(parsed == null ? null : toYuan(parsed, unit));
      }}
      rightSectionWidth={format.language === 'en' ? 108 : 76}
      rightSection={
        <NativeSelect
          aria-label={t('market.form.unitFor', { field: label })}
          variant="unstyled"
          size="sm"
          value={unit.key}
          data={units.map((u) => ({ value: u.key, label: t(`market.units.${u.key}`) }))}
          onChange={(event) => {
            const next = units.find((u) => u.key === event.currentTarget.value) ?? unit;
            setUnit(next);
            const parsed = toAmount(amount);
            if (parsed != null) onChange(toYuan(parsed, next));
          }}
          // Its own chevron's width: otherwise it inherits the outer field's right-section width and the chevron
          // lands in the middle of the unit's name.
          rightSectionWidth={24}
          styles={{ input: { fontWeight: 600, paddingInlineEnd: 24 } }}
        />
      }
    />
  );
}
