/**
 * Search over the offline index, ranked the way Pagefind 1.6 ranks (pagefind_web's
 * search.rs and the query normalisation of its JS): the same words with the same weights,
 * prefix matching of stemmed terms, BM25 with Pagefind's default weights, and its boost for
 * query words found in a page's title or summary. Like Pagefind, it loads the word chunks
 * a query needs, and page data when results show it. Runs in the browser: no Node imports.
 */
import { stem } from 'porter2';
import { pagePartName, titlePartName, wordPartName } from '#core/offline-index-files.ts';
import type { OfflineIndex, PageData, PagePart, TitlePart, WordPart } from '#core/schemas/offline-index.ts';
import { decodeIntegers } from '#core/vlq.ts';

/** Pagefind's default ranking (its RankingWeights). */
const RANKING = { termSimilarity: 1.0, pageLength: 0.75, termSaturation: 1.4, termFrequency: 1.0, diacriticSimilarity: 0.8 } as const;
const META_WEIGHTS: Readonly<Record<string, number>> = { title: 5.0 };
/** Pagefind stores weights in 24ths: a plain word is 24, a title word 240. */
const WEIGHT_SCALE = 24;
const MAX_STORED_WEIGHT = 255;

/** Punctuation Pagefind's JS drops from a query (it keeps the characters it indexes, such as `_`). */
const DROPPED = /^(\p{Pd}|\p{Pe}|\p{Pf}|\p{Pi}|\p{Po}|\p{Ps})$/u;
const KEPT = new Set(['_', '‿', '⁀', '⁔', '︳', '︴', '﹍', '﹎', '﹏', '＿']);

export interface OfflineResult {
  page: number;
  score: number;
}

interface Location {
  weight: number;
  position: number;
}

interface Posting {
  locations: Location[];
  /** Meta field numbers this word appears in on the page. */
  metaFields: Set<number>;
}

/** The query as Pagefind's JS hands it to its search: without punctuation, lower case, single spaces. */
export function normaliseQuery(query: string): string {
  const kept = [...query].filter((character) => KEPT.has(character) || !DROPPED.test(character)).map((character) => (KEPT.has(character) ? character : character.toLocaleLowerCase()));
  return kept
    .join('')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

function withoutDiacritics(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '');
}

const utf8Length = (text: string): number => new TextEncoder().encode(text).length;

function idf(totalPages: number, pagesWithTerm: number): number {
  return Math.log((totalPages - pagesWithTerm + 0.5) / (pagesWithTerm + 0.5) + 1);
}

/** 1 for a word as long as the term, decaying as the word grows longer (Pagefind's word_length_bonus). */
function lengthBonus(word: string, term: string): number {
  const differential = Math.min(Math.abs(utf8Length(word) - utf8Length(term)) + 1, MAX_STORED_WEIGHT);
  const base = Math.exp((-0.5 * differential ** 2) / 2 ** 2);
  return Math.exp(base * RANKING.termSimilarity) / Math.exp(RANKING.termSimilarity);
}

function diacriticBonus(originalTerm: string, form: string): number {
  const matches = form === originalTerm || form.startsWith(originalTerm) || originalTerm.startsWith(form);
  return RANKING.diacriticSimilarity > 0 && matches ? 1 + RANKING.diacriticSimilarity : 1;
}

function bm25(weightedFrequency: number, pageLength: number, averageLength: number): number {
  const k1 = RANKING.termSaturation;
  const b = RANKING.pageLength;
  const bm25Tf = ((k1 + 1) * weightedFrequency) / (k1 * (1 - b + b * (pageLength / averageLength)) + weightedFrequency);
  const rawTf = Math.min(weightedFrequency / (averageLength / 5), k1 + 1);
  return (1 - RANKING.termFrequency) * rawTf + RANKING.termFrequency * bm25Tf;
}

function decodePostings(encoded: string): Map<number, Posting> {
  const numbers = decodeIntegers(encoded);
  const postings = new Map<number, Posting>();
  let at = 0;
  let page = 0;
  while (at < numbers.length) {
    page += numbers[at++]!;
    const locations: Location[] = [];
    let weight = WEIGHT_SCALE;
    let position = 0;
    for (let end = at + 1 + numbers[at]!, i = at + 1; i < end; i++) {
      const item = numbers[i]!;
      if (item < 0) {
        weight = Math.min(-item - 1, MAX_STORED_WEIGHT);
        position = 0;
      } else locations.push({ weight, position: (position += item) });
    }
    at += 1 + numbers[at]!;
    const metaFields = new Set<number>();
    for (let end = at + 1 + numbers[at]!, i = at + 1; i < end; i++) if (numbers[i]! < 0) metaFields.add(-numbers[i]! - 1);
    at += 1 + numbers[at]!;
    postings.set(page, { locations, metaFields });
  }
  return postings;
}

function decodePageNumbers(encoded: string): number[] {
  let page = 0;
  return decodeIntegers(encoded).map((delta) => (page += delta));
}

/** A matched word of one query term, with what Pagefind weighs it by. */
interface MatchedWord {
  word: string;
  term: number;
  lengthBonus: number;
  diacriticBonus: number;
  postings: Map<number, Posting>;
}

/** Loads one part of the index by name (`w3`, `p0`) and gives its data: a script tag in the browser, a file read in tests. */
export type PartLoader = (name: string) => Promise<unknown>;

export class OfflineSearch {
  private readonly index: OfflineIndex;
  private readonly load: PartLoader;
  /** Each page's indexed word count. */
  private readonly pageWords: number[];
  private readonly averageLength: number;
  private readonly filterPages = new Map<string, Set<number>>();
  /** The words of the chunks loaded so far, in chunk order (extensions scan them). */
  private readonly chunkWords = new Map<number, string[]>();
  /** Each loaded word's encoded postings. */
  private readonly encoded = new Map<string, string>();
  private readonly decoded = new Map<string, Map<number, Posting>>();
  /** Chunks whose words are in: like Pagefind's, they stay loaded for the page's later searches. */
  private readonly loadedChunks = new Set<number>();
  private readonly pageParts = new Map<number, Promise<PageData[]>>();
  private readonly titleParts = new Map<number, Promise<string[]>>();

  constructor(index: OfflineIndex, load: PartLoader) {
    this.index = index;
    this.load = load;
    this.pageWords = decodeIntegers(index.pageWords);
    if (this.pageWords.length !== index.pageCount) throw new Error(`the offline index counts ${index.pageCount} pages but lists the words of ${this.pageWords.length}`);
    this.averageLength = this.pageWords.reduce((sum, words) => sum + words, 0) / Math.max(index.pageCount, 1);
  }

  get pageCount(): number {
    return this.index.pageCount;
  }

  /** A page's address, title, summary and filters (loads its part the first time). */
  async page(page: number): Promise<PageData> {
    const found = (await this.part(this.pageParts, pagePartName, this.index.pagesPerPart, page, (data) => (data as PagePart).pages))[page % this.index.pagesPerPart];
    if (!found) throw new Error(`page ${page} is not in offline index part ${pagePartName(Math.floor(page / this.index.pagesPerPart))}`);
    return found;
  }

  /** A page's title alone, from a part of titles: what the ranking reads of its first results. */
  async title(page: number): Promise<string> {
    const found = (await this.part(this.titleParts, titlePartName, this.index.titlesPerPart, page, (data) => (data as TitlePart).titles))[page % this.index.titlesPerPart];
    if (found === undefined) throw new Error(`page ${page} is not in offline index part ${titlePartName(Math.floor(page / this.index.titlesPerPart))}`);
    return found;
  }

  /** The part of `perPart` pages holding `page`, loaded once (its first caller loads it). */
  private part<T>(parts: Map<number, Promise<T[]>>, name: (block: number) => string, perPart: number, page: number, read: (data: unknown) => T[]): Promise<T[]> {
    const block = Math.floor(page / perPart);
    let part = parts.get(block);
    if (!part) {
      part = this.load(name(block)).then(read);
      // A failed load is not kept: the next result that needs the part tries again.
      part.catch(() => parts.delete(block));
      parts.set(block, part);
    }
    return part;
  }

  /** Whether the page has this filter value (from the core: nothing loads). */
  hasFilter(page: number, name: string, value: string): boolean {
    return this.pagesWithFilter(name, value).has(page);
  }

  private pagesWithFilter(name: string, value: string): Set<number> {
    const key = `${name}\u0000${value}`;
    let pages = this.filterPages.get(key);
    if (!pages) {
      const encoded = this.index.filters[name]?.[value];
      pages = new Set(encoded === undefined ? [] : decodePageNumbers(encoded));
      this.filterPages.set(key, pages);
    }
    return pages;
  }

  private postingsOf(word: string): Map<number, Posting> {
    let postings = this.decoded.get(word);
    if (!postings) {
      postings = decodePostings(this.encoded.get(word)!);
      this.decoded.set(word, postings);
    }
    return postings;
  }

  /** Loads the chunks not in yet, all at once. */
  private async loadChunks(chunks: Iterable<number>): Promise<void> {
    const missing = [...new Set(chunks)].filter((chunk) => !this.loadedChunks.has(chunk));
    const parts = await Promise.all(missing.map(async (chunk) => ({ chunk, part: (await this.load(wordPartName(chunk))) as WordPart })));
    for (const { chunk, part } of parts) {
      const words = part.words === '' ? [] : part.words.split(' ');
      if (words.length !== this.index.chunks[chunk]![2]) throw new Error(`offline index part ${wordPartName(chunk)} holds ${words.length} words, the core says ${this.index.chunks[chunk]![2]}`);
      words.forEach((word, i) => this.encoded.set(word, part.postings[i]!));
      this.chunkWords.set(chunk, words);
      this.loadedChunks.add(chunk);
    }
  }

  /**
   * The chunks Pagefind would load for these query words (its request_indexes): for each
   * word and its stem, the chunks whose range holds it, else those whose range holds it
   * when both are cut to the shorter length.
   */
  private chunksFor(rawTerms: string[]): number[] {
    const chunks = this.index.chunks;
    const wanted: number[] = [];
    for (const raw of rawTerms) {
      const stemmed = stem(raw);
      for (const term of stemmed === raw ? [raw] : [raw, stemmed]) {
        const strict = chunks.flatMap(([from, to], chunk) => (term >= from && term <= to ? [chunk] : []));
        const loose = () =>
          chunks.flatMap(([from, to], chunk) => {
            const fromLength = Math.min([...term].length, [...from].length);
            const toLength = Math.min([...term].length, [...to].length);
            const cut = (text: string, length: number) => [...text].slice(0, length).join('');
            return cut(term, fromLength) >= cut(from, fromLength) && cut(term, toLength) <= cut(to, toLength) ? [chunk] : [];
          });
        wanted.push(...(strict.length > 0 ? strict : loose()));
      }
    }
    return wanted;
  }

  /** Every loaded word starting with `term`; if none, the longest loaded word `term` starts with (Pagefind's find_word_extensions). */
  private extensions(term: string): string[] {
    // A scan in word order, as Pagefind does: a few thousand startsWith calls take well under a millisecond.
    const chunks = [...this.chunkWords.keys()].sort((a, b) => a - b);
    const found = chunks.flatMap((chunk) => this.chunkWords.get(chunk)!.filter((word) => word.startsWith(term)));
    if (found.length > 0) return found;
    for (let length = term.length - 1; length > 0; length--) {
      if (this.encoded.has(term.slice(0, length))) return [term.slice(0, length)];
    }
    return [];
  }

  /**
   * Pages matching every term of `query` (all pages when it is empty) and every filter,
   * best first; ties keep Pagefind's page order.
   */
  async search(query: string | null, filters: Record<string, string> = {}): Promise<OfflineResult[]> {
    let allowed: Set<number> | undefined;
    for (const [name, value] of Object.entries(filters)) {
      const pages = this.pagesWithFilter(name, value);
      allowed = allowed ? new Set([...allowed].filter((page) => pages.has(page))) : pages;
    }
    const normalised = normaliseQuery(query ?? '');
    const originalTerms = normalised.split(' ');
    const rawTerms = normalised === '' ? [] : withoutDiacritics(normalised).split(' ');
    await this.loadChunks(this.chunksFor(rawTerms));
    const terms = rawTerms.map(stem);
    if (terms.length === 0) {
      const pages = allowed ? [...allowed].sort((a, b) => a - b) : Array.from({ length: this.index.pageCount }, (_, page) => page);
      return pages.map((page) => ({ page, score: 0 }));
    }

    const matched: MatchedWord[] = [];
    const pagesPerTerm: number[] = [];
    let candidates: Set<number> | undefined;
    terms.forEach((term, i) => {
      const union = new Set<number>();
      const words = this.extensions(term);
      for (const word of words) {
        const postings = this.postingsOf(word);
        for (const page of postings.keys()) union.add(page);
        matched.push({ word, term: i, lengthBonus: lengthBonus(word, term), diacriticBonus: diacriticBonus(originalTerms[i] ?? '', word), postings });
      }
      pagesPerTerm.push(union.size);
      // Pagefind drops a term that matches no word at all, rather than failing the search.
      if (union.size > 0) candidates = candidates ? new Set([...candidates].filter((page) => union.has(page))) : union;
    });
    if (!candidates) return [];

    const totalPages = this.index.pageCount;
    const queryIdf = pagesPerTerm.reduce((sum, count) => sum + idf(totalPages, count), 0);
    const results: OfflineResult[] = [];
    for (const page of [...candidates].sort((a, b) => a - b)) {
      if (allowed && !allowed.has(page)) continue;
      results.push({ page, score: this.score(page, matched, pagesPerTerm, queryIdf) });
    }
    // Array.prototype.sort is stable: equal scores stay in page order, as Pagefind's do.
    return results.sort((a, b) => b.score - a.score);
  }

  /** The page's score. */
  private score(page: number, matched: MatchedWord[], pagesPerTerm: number[], queryIdf: number): number {
    const totalPages = this.index.pageCount;
    const hits: { position: number; weight: number; match: MatchedWord }[] = [];
    // Per meta field, the query terms found in it (Pagefind 1.6 counts a term once per field,
    // however many of its extensions the field holds).
    const metaMatches = new Map<number, Map<number, number>>();
    for (const match of matched) {
      const posting = match.postings.get(page);
      if (!posting) continue;
      for (const { position, weight } of posting.locations) hits.push({ position, weight, match });
      for (const field of posting.metaFields) {
        const terms = metaMatches.get(field) ?? new Map<number, number>();
        terms.set(match.term, idf(totalPages, pagesPerTerm[match.term]!));
        metaMatches.set(field, terms);
      }
    }
    hits.sort((a, b) => a.position - b.position);

    // Per position, one word per query term; several terms at one position (parts of one
    // compound word) multiply its weight, as in Pagefind.
    const weighted = new Map<string, { total: number; match: MatchedWord }>();
    for (let i = 0; i < hits.length; ) {
      const position = hits[i]!.position;
      const firstPerTerm = new Map<number, (typeof hits)[number]>();
      for (; i < hits.length && hits[i]!.position === position; i++) if (!firstPerTerm.has(hits[i]!.match.term)) firstPerTerm.set(hits[i]!.match.term, hits[i]!);
      const minimum = Math.min(...[...firstPerTerm.values()].map(({ weight }) => weight));
      const effective = firstPerTerm.size > 1 ? Math.min(minimum * firstPerTerm.size, MAX_STORED_WEIGHT) : minimum;
      for (const { match } of firstPerTerm.values()) {
        const entry = weighted.get(match.word) ?? { total: 0, match };
        entry.total += effective;
        weighted.set(match.word, entry);
      }
    }

    const pageLength = this.pageWords[page]!;
    let score = 0;
    for (const { total, match } of weighted.values()) {
      const frequency = (total / WEIGHT_SCALE) * match.lengthBonus;
      score += idf(totalPages, pagesPerTerm[match.term]!) * bm25(frequency, pageLength, this.averageLength) * match.diacriticBonus;
    }
    if (queryIdf > 0) {
      for (const [field, terms] of metaMatches) {
        const fieldWeight = META_WEIGHTS[this.index.metaFields[field] ?? ''] ?? 1;
        const matchedIdf = [...terms.values()].reduce((sum, value) => sum + value, 0);
        const coverage = matchedIdf / queryIdf;
        score += fieldWeight * matchedIdf * coverage * coverage;
      }
    }
    return score;
  }
}
