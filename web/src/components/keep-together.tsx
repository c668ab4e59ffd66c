import type { ReactNode } from 'react';

const MARK = '\u0001';
const MARKED = new RegExp(`${MARK}(\\d+)${MARK}`);
/**
 * A Chinese measure word right after a value (260 次, 12 个月, 3 家): one or two characters, then the end, a space or
 * punctuation. English has none there ("capacity 260"), so nothing is taken.
 */
const UNIT = /^ ?[\u3400-\u9fff]{1,2}(?=$|[\s·,，。；;:：、()（）])/;
/**
 * A short Chinese word that names the value right after it (容量 260 次, 合计 1,134 次): one to four characters
 * after the start, a space or punctuation. A longer run is a clause (每个工作日需 4.4 次) and may wrap before it.
 */
const LABEL = /(?:^|[\s·,，。；;:：、()（）])([\u3400-\u9fff]{1,4} ?)$/;

export interface KeepTogetherOptions {
  /**
   * Keep a Chinese measure word on the line of the value before it, and a short word that names the value on the
   * line of the value after it: 容量 260 次, not 容量 260 / 次 or 容量 / 260 次.
   */
  units?: boolean;
}

/**
 * A translated sentence whose values (dates, counts with their unit) each stay on one line. Chinese text may break
 * between any two characters, so a narrow screen split 2027年10月30日 into 2027年10 / 月30日; the sentence still
 * wraps between its words. `translate` gets a marker in place of each value (so the catalog keeps the words'
 * order), and the text is cut at the markers, each value drawn in a `.nowrap` span.
 */
export function keepValuesTogether<K extends string>(
  translate: (values: Record<K, string>) => string,
  values: Record<K, string>,
  options: KeepTogetherOptions = {},
): ReactNode {
  const keys = Object.keys(values) as K[];
  const marked = Object.fromEntries(keys.map((key, index) => [key, `${MARK}${index}${MARK}`])) as Record<
    K,
    string
  >;
  const parts = translate(marked).split(MARKED);
  // Of each text between values: how much of its start goes with the value before (a measure word), and how much
  // of its end with the value after (the word naming it).
  const taken = parts.map((part, index) => {
    if (!options.units || index % 2 === 1) return { start: 0, end: 0 };
    const start = index > 0 ? (UNIT.exec(part)?.[0].length ?? 0) : 0;
    const label = index < parts.length - 1 ? LABEL.exec(part.slice(start)) : null;
    return { start, end: label?.[1]?.length ?? 0 };
  });
  return parts.map((part, index) => {
    const own = taken[index] ?? { start: 0, end: 0 };
    if (index % 2 === 0) return part.slice(own.start, part.length - own.end);
    const key = keys[Number(part)] as K;
    const before = parts[index - 1] ?? '';
    const lead = before.slice(before.length - (taken[index - 1]?.end ?? 0));
    const tail = (parts[index + 1] ?? '').slice(0, taken[index + 1]?.start ?? 0);
    return (
      // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one sentence, in a fixed order
      <span key={index} className="nowrap">
        {`${lead}${values[key]}${tail}`}
      </span>
    );
  });
}
