/**
 * The search page's results (src/pages/search/index.astro): reads ?q= and the filters from
 * the address, queries Pagefind (served) or the offline index (read from disk; engines.ts)
 * as the reader types or changes a filter, lists results and keeps the address in step.
 * Part of search.js (script.ts), which the page's search form loads (loader.ts).
 */
import { openSearch, type ResultData, type SearchEngine, type SearchResult } from './engines.ts';

/** Results the search page shows at first, and per "Show more results". */
export const RESULTS_PER_PAGE = 50;

const FILTERS = ['kind', 'subsystem', 'writable', 'settable', 'kernel', 'arch', 'namespace', 'scales'] as const;

function element<T extends HTMLElement>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`search page: ${selector} is missing`);
  return found;
}

function renderResult({ url, meta, filters }: ResultData): HTMLLIElement {
  const item = document.createElement('li');
  const link = document.createElement('a');
  link.href = url;
  link.textContent = meta.title ?? url;
  const facts = document.createElement('span');
  facts.className = 'muted';
  const namespace = filters.namespace?.[0];
  const scope = namespace && namespace !== 'global' ? `per ${namespace} namespace` : undefined;
  facts.textContent = ` ${[filters.kind?.[0], filters.subsystem?.[0], filters.writable?.[0], scope].filter(Boolean).join(' · ')}`;
  const summary = document.createElement('p');
  summary.textContent = meta.summary ?? '';
  item.append(link, facts, summary);
  return item;
}

/**
 * Resolves when the index should start loading, before the first query: once the page is
 * idle, or as soon as the reader reaches for the form (pointer, focus, typing), so that a
 * reader who opens the page and then types finds the index's core already in.
 */
function readerArrives(form: HTMLFormElement): Promise<void> {
  return new Promise((resolve) => {
    for (const event of ['pointerenter', 'focusin', 'input']) form.addEventListener(event, () => resolve(), { once: true });
    if ('requestIdleCallback' in window) requestIdleCallback(() => resolve(), { timeout: 1000 });
    else setTimeout(resolve, 200);
  });
}

export async function searchPage(form: HTMLFormElement, root: URL): Promise<void> {
  const input = element<HTMLInputElement>('#search-form input[name="q"]');
  const status = element<HTMLElement>('#search-status');
  const list = element<HTMLOListElement>('#search-results');
  const more = element<HTMLButtonElement>('#search-more');

  // Each search bumps this; a slower earlier search that finishes late must not overwrite it.
  let generation = 0;
  let pending: SearchResult[] = [];

  function readState(): { query: string; filters: Record<string, string> } {
    const data = new FormData(form);
    const filters: Record<string, string> = {};
    for (const name of FILTERS) {
      const value = data.get(name);
      if (typeof value === 'string' && value !== '') filters[name] = value;
    }
    return { query: String(data.get('q') ?? '').trim(), filters };
  }

  function restoreState(): void {
    const params = new URLSearchParams(location.search);
    input.value = params.get('q') ?? '';
    for (const name of FILTERS) {
      const select = form.elements.namedItem(name);
      const value = params.get(name);
      if (select instanceof HTMLSelectElement && value !== null && [...select.options].some((o) => o.value === value)) select.value = value;
    }
  }

  /** Keeps the URL shareable: it always reproduces what is on screen. */
  function saveState(query: string, filters: Record<string, string>): void {
    const params = new URLSearchParams({ ...(query && { q: query }), ...filters });
    const search = params.toString();
    history.replaceState(null, '', search ? `?${search}` : location.pathname);
  }

  async function showMore(current: number): Promise<void> {
    const batch = pending.splice(0, RESULTS_PER_PAGE);
    // Hidden while a batch comes in, so that the next one cannot overtake it.
    more.hidden = true;
    // The first result's data first, alone: from disk each part is a script the page runs,
    // and the reader's first result should not wait behind the others'. Then the rest together,
    // shown in order as each arrives: the first results need not wait for the last.
    const first = batch[0]?.data();
    await first?.catch(() => {});
    const loading = [...(first ? [first] : []), ...batch.slice(1).map((result) => result.data())];
    // A failure surfaces in the loop; the results after it are dropped, not reported twice.
    for (const data of loading) data.catch(() => {});
    for (const data of loading) {
      const shown = await data;
      if (current !== generation) return;
      list.append(renderResult(shown));
    }
    more.hidden = pending.length === 0;
  }

  async function run(engine: SearchEngine): Promise<void> {
    const current = ++generation;
    const { query, filters } = readState();
    const filtered = Object.keys(filters).length > 0;
    if (!query && !filtered) {
      saveState(query, filters);
      list.replaceChildren();
      more.hidden = true;
      status.textContent = 'Type a name, a word or a value to search.';
      return;
    }
    // A null query lists everything the filters match.
    const search = await engine.search(query || null, { filters });
    if (current !== generation) return;
    const count = search.results.length;
    status.textContent = `${count} ${count === 1 ? 'tunable matches' : 'tunables match'}${query ? ` “${query}”` : ''}${filtered ? ' with these filters' : ''}.`;
    list.replaceChildren();
    pending = [...search.results];
    await showMore(current);
    // After the results: a browser may take milliseconds to note a new address, which the reader should not wait for.
    if (current === generation) saveState(query, filters);
  }

  restoreState();
  const { query, filters } = readState();
  // The index loads at once if the address holds a query, else when the reader arrives.
  const waiting = !query && Object.keys(filters).length === 0;
  status.textContent = waiting ? 'Type a name, a word or a value to search.' : 'Loading the search index…';
  let opened = false;
  if (waiting) {
    // Typed before the index is in: say so; the search runs with what was typed once it is.
    form.addEventListener(
      'input',
      () => {
        if (!opened) status.textContent = 'Loading the search index…';
      },
      { once: true },
    );
    await readerArrives(form);
  }
  const engine = await openSearch(root);
  opened = true;
  list.dataset.engine = engine.name;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(engine), engine.debounceMs);
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    void run(engine);
  });
  input.addEventListener('input', later);
  form.addEventListener('change', (event) => {
    if (event.target instanceof HTMLSelectElement) later();
  });
  more.addEventListener('click', () => void showMore(generation));
  await run(engine);
}
