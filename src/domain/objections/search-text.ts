import type { TObjection, TObjectionResponse } from '../../schemas/objections.ts';

/**
 * Search that works in Chinese without word boundaries, on SQLite and PostgreSQL alike.
 *
 * Text is cut into "grams":
 *  - every run of CJK characters (Han, kana, Hangul) gives each character (unigram) and each pair
 *    of neighbouring characters (bigram): 价格太高 -> 价 格 太 高 价格 格太 太高;
 *  - every other run of letters/digits is a word, lowercased, with a light English plural fold
 *    (suppliers -> supplier, companies -> company): "Your PRICE" -> your price.
 * Before cutting, text is NFKC-normalised (full-width ＡＢＣ１２３ -> abc123) and lowercased.
 *
 * A query needs: the bigrams of each CJK run of two or more characters, the single character of
 * a one-character CJK run (that is why unigrams are indexed too), and each folded word.
 * A text holding the query always holds all of the query's grams, so an equality lookup on grams
 * never misses a match; it can over-match (bigrams present but not adjacent, 价格…格太…太高), so
 * results are verified with `matchesQuery` and ordered with `rankMatches`.
 *
 * How storage uses it:
 *
 *   CREATE TABLE search_grams (
 *     entity    TEXT NOT NULL,   -- 'objection' | 'objection_response' | ...
 *     entity_id TEXT NOT NULL,
 *     gram      TEXT NOT NULL,
 *     PRIMARY KEY (entity, entity_id, gram)
 *   );
 *   CREATE INDEX search_grams_by_gram ON search_grams (gram, entity, entity_id);
 *
 *  - On insert/update of an entity (same transaction): delete its rows, insert one row per gram of
 *    `toSearchGrams(objectionSearchText(o))` (or `responseSearchText(r)`); grams are already unique.
 *  - To search: `const grams = gramsForQuery(q)`; if empty, there is nothing to search for.
 *      SELECT entity_id FROM search_grams
 *      WHERE entity = :entity AND gram IN (:grams...)
 *      GROUP BY entity_id HAVING COUNT(*) = :grams.length
 *    (COUNT(*) equals the number of distinct grams matched because of the primary key.) Join or
 *    filter by team/visibility on the entity table, load the candidates' text, then
 *    `rankMatches(q, candidates).filter((m) => m.allTerms)` to drop over-matches and order the rest.
 *  - Plain equality on an indexed TEXT column, no LIKE, no full-text extension: identical on both
 *    databases. Grams are at most 64 characters (long tokens are cut), so the column needs no
 *    special length.
 *  - Cost: `rankMatches` takes roughly 5-10 µs per candidate on Node 20 (10,000 candidates about
 *    50-80 ms cold), and `toSearchGrams` about 40 µs per entry when (re)indexing. A one-character
 *    query on a huge playbook can match nearly everything; cap the candidates (e.g. LIMIT 2000)
 *    before ranking if that matters.
 */

const CJK_CLASS = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}';
const TOKEN = new RegExp(`([${CJK_CLASS}]+)|((?:(?![${CJK_CLASS}])[\\p{L}\\p{N}\\p{M}])+)`, 'gu');
const APOSTROPHE_IN_WORD = /(\p{L})['’](?=\p{L})/gu;
const MAX_GRAM_CHARS = 64;

type Token = { kind: 'cjk' | 'word'; text: string; index: number };

/** NFKC (full-width to half-width), lowercase, apostrophes inside words dropped (don't -> dont). */
export function normalizeSearchText(text: string): string {
  const folded = text.normalize('NFKC').toLowerCase();
  // The regex is the slow part; most texts have no apostrophe at all.
  return folded.includes("'") || folded.includes('’') ? folded.replace(APOSTROPHE_IN_WORD, '$1') : folded;
}

function tokenize(normalized: string): Token[] {
  const tokens: Token[] = [];
  for (const m of normalized.matchAll(TOKEN)) {
    if (m[1] !== undefined) tokens.push({ kind: 'cjk', text: m[1], index: m.index });
    else if (m[2] !== undefined) tokens.push({ kind: 'word', text: m[2], index: m.index });
  }
  return tokens;
}

// Same fold on both sides (index and query), so it only needs to be consistent, not linguistically exact.
function foldWord(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  return Array.from(w).slice(0, MAX_GRAM_CHARS).join('');
}

function cjkGrams(run: string, withUnigrams: boolean): string[] {
  const chars = Array.from(run);
  const grams: string[] = withUnigrams ? [...chars] : [];
  for (let i = 0; i + 1 < chars.length; i++) grams.push(`${chars[i]}${chars[i + 1]}`);
  return grams;
}

const unique = (items: Iterable<string>): string[] => [...new Set(items)];

/** Normalised query terms in order: CJK runs kept whole, other words lowercased (not folded). */
export function searchTerms(query: string): string[] {
  return unique(tokenize(normalizeSearchText(query)).map((t) => t.text));
}

/** Grams to store for a text: CJK unigrams and bigrams plus folded words; unique, in first-seen order. */
export function toSearchGrams(text: string): string[] {
  const grams: string[] = [];
  for (const t of tokenize(normalizeSearchText(text))) {
    if (t.kind === 'cjk') grams.push(...cjkGrams(t.text, true));
    else grams.push(foldWord(t.text));
  }
  return unique(grams);
}

type QueryGram = { kind: 'cjk' | 'word'; gram: string };

function queryGrams(query: string): QueryGram[] {
  const grams = new Map<string, QueryGram>();
  for (const t of tokenize(normalizeSearchText(query))) {
    if (t.kind === 'cjk') {
      const chars = Array.from(t.text);
      for (const gram of chars.length === 1 ? chars : cjkGrams(t.text, false))
        grams.set(gram, { kind: 'cjk', gram });
    } else {
      const gram = foldWord(t.text);
      grams.set(gram, { kind: 'word', gram });
    }
  }
  return [...grams.values()];
}

/**
 * Grams every matching text must hold. A one-character CJK term needs its unigram; longer CJK
 * terms need only their bigrams. Empty when the query has no letters, digits or CJK characters.
 */
export function gramsForQuery(query: string): string[] {
  return queryGrams(query).map((g) => g.gram);
}

const WORD_CHAR = new RegExp(`^(?![${CJK_CLASS}])[\\p{L}\\p{N}\\p{M}]$`, 'u');
const isWordChar = (ch: string | undefined): boolean => ch !== undefined && WORD_CHAR.test(ch);

// A candidate's text, normalised once. Checks use indexOf rather than re-tokenising: much faster
// when ranking thousands of candidates, and equivalent to comparing against `toSearchGrams`.
class PreparedText {
  readonly normalized: string;
  #collapsed: string | undefined;

  constructor(text: string) {
    this.normalized = normalizeSearchText(text);
  }

  get collapsed(): string {
    this.#collapsed ??= this.normalized.replace(/\s+/gu, ' ');
    return this.#collapsed;
  }

  // A CJK gram is a substring exactly when it is one of the text's grams: its characters are adjacent CJK.
  has(g: QueryGram): boolean {
    return g.kind === 'cjk' ? this.normalized.includes(g.gram) : this.hasWord(g.gram);
  }

  /** Some word of the text folds to `gram`. */
  hasWord(gram: string): boolean {
    const text = this.normalized;
    // Folded words start with the gram, except "-ies" plurals folded to "-y".
    const stem = gram.endsWith('y') ? gram.slice(0, -1) : gram;
    for (let at = text.indexOf(stem); at >= 0; at = text.indexOf(stem, at + 1)) {
      if (isWordChar(text[at - 1])) continue;
      let end = at + stem.length;
      while (isWordChar(text[end])) end++;
      if (foldWord(text.slice(at, end)) === gram) return true;
    }
    return false;
  }

  matchesAll(terms: readonly Token[]): boolean {
    return terms.every((t) =>
      t.kind === 'cjk' ? this.normalized.includes(t.text) : this.hasWord(foldWord(t.text)),
    );
  }
}

/** Precise check: each CJK term of the query is a substring of the text, each word is a word of the text. */
export function matchesQuery(query: string, text: string): boolean {
  const terms = tokenize(normalizeSearchText(query));
  if (terms.length === 0) return false;
  return new PreparedText(text).matchesAll(terms);
}

export interface RankedMatch<T> {
  item: T;
  /** The whole query (whitespace collapsed) occurs in the text as typed. */
  exact: boolean;
  /** Every query term matches (what `matchesQuery` checks): keep only these after a gram lookup. */
  allTerms: boolean;
  /** Share of the query's grams found in the text, 0..1. */
  overlap: number;
  /** 4·exact + 2·allTerms + overlap: higher is better, consistent with the order. */
  score: number;
}

/**
 * Orders candidates for a query: exact substring matches first, then texts holding every term,
 * then by share of query grams present; ties go to the earlier match position, then the shorter
 * text, then input order. Candidates sharing no gram with the query are dropped.
 */
export function rankMatches<T extends { text: string }>(
  query: string,
  candidates: readonly T[],
): RankedMatch<T>[] {
  const grams = queryGrams(query);
  if (grams.length === 0) return [];
  const terms = tokenize(normalizeSearchText(query));
  const phrase = normalizeSearchText(query).trim().replace(/\s+/gu, ' ');

  const ranked: { match: RankedMatch<T>; position: number; length: number; index: number }[] = [];
  candidates.forEach((item, index) => {
    const text = new PreparedText(item.text);
    const found = grams.filter((g) => text.has(g)).length;
    const exact = phrase.length > 0 && (text.normalized.includes(phrase) || text.collapsed.includes(phrase));
    if (found === 0 && !exact) return;
    const allTerms = text.matchesAll(terms);
    const overlap = found / grams.length;
    ranked.push({
      match: { item, exact, allTerms, overlap, score: (exact ? 4 : 0) + (allTerms ? 2 : 0) + overlap },
      position: firstPosition(text, phrase, exact, terms),
      length: text.normalized.length,
      index,
    });
  });

  ranked.sort(
    (a, b) =>
      b.match.score - a.match.score || a.position - b.position || a.length - b.length || a.index - b.index,
  );
  return ranked.map((r) => r.match);
}

function firstPosition(text: PreparedText, phrase: string, exact: boolean, terms: readonly Token[]): number {
  if (exact) {
    const at = text.normalized.indexOf(phrase);
    return at >= 0 ? at : text.collapsed.indexOf(phrase);
  }
  let best = Number.POSITIVE_INFINITY;
  for (const t of terms) {
    const at = text.normalized.indexOf(t.text);
    if (at >= 0 && at < best) best = at;
  }
  return Number.isFinite(best) ? best : text.normalized.length;
}

/** The text to index for an objection: code words, label, both languages, and the customer's phrasings. */
export function objectionSearchText(
  o: Pick<TObjection, 'code' | 'label' | 'zh' | 'en' | 'variants'>,
): string {
  // Newlines keep fields apart: no bigram spans two fields.
  const label = o.label ? [o.label.zh, o.label.en] : [];
  return [o.code.replaceAll('-', ' '), ...label, o.zh, o.en, ...o.variants.zh, ...o.variants.en].join('\n');
}

/** The text to index for a prepared response: both languages. */
export function responseSearchText(r: Pick<TObjectionResponse, 'zh' | 'en'>): string {
  return [r.zh, r.en].join('\n');
}
