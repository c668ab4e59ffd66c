import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TChannel, TOutcome } from '../../../../src/schemas/common.ts';
import { STRONG_TEXT } from '../../theme.ts';

// Light badges with text dark enough for 4.5:1: a booked meeting is the goal (teal), a refusal red.
const STYLE: Record<TOutcome, { color: string; text: string }> = {
  meeting_booked: { color: 'teal', text: STRONG_TEXT.teal },
  reached: { color: 'indigo', text: 'indigo.9' },
  no_answer: { color: 'gray', text: 'gray.8' },
  refused: { color: 'red', text: STRONG_TEXT.red },
  other: { color: 'gray', text: 'gray.8' },
};

/** A logged outcome, named as it reads for the channel (a call is "reached", a visit "met"). */
export function OutcomeBadge({ channel, outcome }: { channel: TChannel; outcome: TOutcome }) {
  const { t } = useTranslation();
  const style = STYLE[outcome];
  return (
    <Badge variant="light" color={style.color} c={style.text} tt="none" radius="sm" className="nowrap">
      {t(`logForm.outcomes.${channel}.${outcome}`)}
    </Badge>
  );
}
