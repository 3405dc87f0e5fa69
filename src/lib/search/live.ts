/**
 * Results as you type below a search box (SearchForm): the first results as links under the
 * box, a status that says how many match, a link to all of them on the search page.
 * Keyboard: ↓ from the box goes into the list (or opens it again), ↑/↓ move in it, Escape
 * closes it and returns to the box; Enter in the box still submits the form to the search
 * page, as it does without JavaScript. The engine is the search page's (engines.ts), opened once per page.
 * Part of search.js (script.ts), which the box loads when a reader reaches for it (loader.ts).
 */
import { openSearch, type ResultData, type SearchEngine, type SearchResult } from './engines.ts';

/** Results listed under the box; the search page shows the rest. */
export const LIVE_RESULTS = 8;

let opening: Promise<SearchEngine> | undefined;

function panelOf(form: HTMLFormElement, input: HTMLInputElement): { panel: HTMLElement; status: HTMLElement; list: HTMLUListElement; all: HTMLAnchorElement } {
  const status = document.createElement('p');
  status.className = 'visually-hidden';
  status.setAttribute('role', 'status');
  const list = document.createElement('ul');
  list.setAttribute('aria-label', 'First results');
  const all = document.createElement('a');
  all.className = 'live-all';
  const panel = document.createElement('div');
  panel.className = 'live-results';
  panel.hidden = true;
  panel.append(list, all);
  // The status stays outside the panel: a live region must be in the page, shown or not, before it speaks.
  form.append(status, panel);
  return { panel, status, list, all };
}

export function attachLiveSearch(form: HTMLFormElement, root: URL): void {
  const input = form.querySelector<HTMLInputElement>('input[name="q"]');
  if (!input || form.dataset.liveAttached) return;
  form.dataset.liveAttached = 'yes';
  const { panel, status, list, all } = panelOf(form, input);
  const engine = (opening ??= openSearch(root));
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const links = () => [...panel.querySelectorAll<HTMLAnchorElement>('a')];
  const close = () => {
    panel.hidden = true;
  };

  async function run(): Promise<void> {
    const current = ++generation;
    const query = input!.value.trim();
    if (query === '') {
      close();
      status.textContent = '';
      return;
    }
    let results: SearchResult[];
    let shown: ResultData[];
    try {
      results = (await (await engine).search(query, { filters: {} })).results;
      shown = await Promise.all(results.slice(0, LIVE_RESULTS).map((result) => result.data()));
    } catch (error) {
      if (current !== generation) return;
      close();
      status.textContent = 'Results as you type could not load: press Enter to search.';
      console.error(error);
      return;
    }
    if (current !== generation) return;
    list.replaceChildren(
      ...shown.map(({ url, meta, filters }) => {
        const item = document.createElement('li');
        const link = document.createElement('a');
        link.href = url;
        link.textContent = meta.title ?? url;
        const kind = document.createElement('span');
        kind.className = 'muted';
        kind.textContent = ` ${[filters.kind?.[0], filters.subsystem?.[0]].filter(Boolean).join(' · ')}`;
        item.append(link, kind);
        return item;
      }),
    );
    const count = results.length;
    const search = new URL(form.action);
    search.search = new URLSearchParams({ q: query }).toString();
    all.href = search.href;
    all.textContent = count === 0 ? `No tunable matches “${query}”` : `All ${count} results for “${query}”`;
    status.textContent = `${count} ${count === 1 ? 'tunable matches' : 'tunables match'} “${query}”.`;
    // Shown while the reader is in the form; typed and gone, the results wait for the next focus.
    panel.hidden = !form.contains(document.activeElement);
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    // An engine that failed to open is reported by run().
    void engine.then(
      (opened) => (timer = setTimeout(() => void run(), opened.debounceMs)),
      () => run(),
    );
  });
  // Results of what the box holds, once a search has listed them.
  const reopen = () => {
    if (input.value.trim() !== '' && all.href !== '') panel.hidden = false;
  };
  // Back in the box: they show again.
  input.addEventListener('focus', reopen);
  form.addEventListener('keydown', (event) => {
    const focusable = links();
    const at = focusable.indexOf(document.activeElement as HTMLAnchorElement);
    if (event.key === 'Escape' && !panel.hidden) {
      event.preventDefault();
      close();
      input.focus();
    } else if (event.key === 'ArrowDown' && panel.hidden) {
      event.preventDefault();
      reopen();
    } else if (event.key === 'ArrowDown' && focusable.length > 0) {
      event.preventDefault();
      focusable[Math.min(at + 1, focusable.length - 1)]!.focus();
    } else if (event.key === 'ArrowUp' && at >= 0) {
      event.preventDefault();
      (at === 0 ? input : focusable[at - 1]!).focus();
    }
  });
  // Closed once focus has left the form (a click elsewhere, Tab past the list).
  form.addEventListener('focusout', (event) => {
    if (!(event.relatedTarget instanceof Node) || !form.contains(event.relatedTarget)) close();
  });
  // Typed before this script was in: answer it now.
  if (input.value.trim() !== '') void run();
}

