import type { TChannel } from '../../../../src/schemas/common.ts';
import { Icon } from '../../components/icons.tsx';
import { PlainThemeIcon } from '../../components/plain-ui.tsx';

/** A call or a visit as a small tinted icon; decorative, so say the channel in text beside it. */
export function ChannelIcon({ channel, size = 32 }: { channel: TChannel; size?: number }) {
  return (
    <PlainThemeIcon color={channel === 'call' ? 'indigo' : 'grape'} size={size}>
      <Icon name={channel === 'call' ? 'phone' : 'visit'} size={Math.round(size * 0.56)} />
    </PlainThemeIcon>
  );
}
