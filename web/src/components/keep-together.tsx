import type { ReactNode } from 'react';

const MARK = '\u0001';
const MARKED = new RegExp(`${MARK}(\\d+)${MARK}`);

/**
 * A translated sentence whose values (dates, counts with their unit) each stay on one line. Chinese text may break
 * between any two characters, so a narrow screen split 2027年10月30日 into 2027年10 / 月30日; the sentence still
 * wraps between its words. `translate` gets a marker in place of each value (so the catalog keeps the words'
 * order), and the text is cut at the markers, each value drawn in a `.nowrap` span.
 */
export function keepValuesTogether<K extends string>(
  translate: (values: Record<K, string>) => string,
  values: Record<K, string>,
): ReactNode {
  const keys = Object.keys(values) as K[];
  const marked = Object.fromEntries(keys.map((key, index) => [key, `${MARK}${index}${MARK}`])) as Record<
    K,
    string
  >;
  const parts = translate(marked).split(MARKED);
  return parts.map((part, index) => {
    if (index % 2 === 0) return part;
    const key = keys[Number(part)] as K;
    return (
      // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one sentence, in a fixed order
      <span key={index} className="nowrap">
        {values[key]}
      </span>
    );
  });
}
