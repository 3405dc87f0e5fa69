/**
 * The kernel's `Documentation/ABI/<status>/*` files: parsing their entries (`What:`,
 * `Date:`, `KernelVersion:`, `Contact:`, `Description:`) and matching our sysfs page
 * paths to an entry's `What:` patterns.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AbiEntry } from '#core/schemas/docs.ts';

export type AbiStatus = AbiEntry['status'];

/** An ABI entry before its Description becomes markdown: the text as written, dedented. */
export type RawAbiEntry = Omit<AbiEntry, 'markdown'> & { description: string };

/** Reports a file that holds no entry, with the reason. */
export type SkipReporter = (file: string, reason: string) => void;

const STATUSES: readonly AbiStatus[] = ['stable', 'testing', 'obsolete', 'removed'];

/**
 * Scans `<root>/Documentation/ABI/{stable,testing,obsolete,removed}/*` of a kernel tree.
 * Files without a single entry (prose, tables) are skipped and reported to `onSkip`.
 */
export async function scanAbi(root: string, onSkip: SkipReporter = () => {}): Promise<RawAbiEntry[]> {
  const perStatus = await Promise.all(STATUSES.map((status) => scanStatus(root, status, onSkip)));
  return perStatus.flat();
}

async function scanStatus(root: string, status: AbiStatus, onSkip: SkipReporter): Promise<RawAbiEntry[]> {
  const dir = `Documentation/ABI/${status}`;
  const names = await readdir(join(root, dir), { withFileTypes: true });
  const files = names.filter((d) => d.isFile()).map((d) => `${dir}/${d.name}`).sort();
  const perFile = await Promise.all(files.map(async (file) => {
    const text = await readFile(join(root, file), 'utf8');
    const skip = text.includes('\0') ? 'binary file' : undefined;
    const entries = skip ? [] : parseAbiFile(text, file, status);
    if (entries.length === 0) onSkip(file, skip ?? 'no What: entry');
    return entries;
  }));
  return perFile.flat();
}

type FieldName = 'what' | 'date' | 'kernelversion' | 'contact' | 'description' | 'users';

/**
 * A field starts at column 0: `Tag:` in any case (`What;` is a typo seen in the wild), or,
 * where a handful of files forget the colon, the tag followed by a tab (expanded to spaces
 * by then) or two spaces.
 */
const FIELD = /^(What|Date|KernelVersion|Contact|Description|Users?)(?: *[:;]|(?= {2,}\S| +\/)) *(.*)$/di;

interface Draft {
  what: string[];
  line: number;
  date?: string;
  kernelVersion?: string;
  contact?: string;
  /** The text after `Description:` on its own line, and the column it starts at. */
  descriptionHead?: string;
  descriptionColumn?: number;
  /** The Description's following lines. */
  descriptionBody: string[];
  /** The field the next unlabelled lines continue. */
  field: FieldName | null;
}

const newDraft = (line: number): Draft => ({ what: [], line, descriptionBody: [], field: null });

/** Parses one ABI file's text; `file` and `status` are copied into each entry. */
export function parseAbiFile(text: string, file: string, status: AbiStatus): RawAbiEntry[] {
  const entries: RawAbiEntry[] = [];
  let draft: Draft | null = null;
  const flush = () => {
    if (draft && draft.what.length > 0) entries.push(finish(draft, file, status));
    draft = null;
  };
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    // Columns are counted with tabs expanded, so tab- and space-indented lines dedent alike.
    const expanded = expandTabs(raw);
    const field = FIELD.exec(expanded);
    if (!field) {
      if (draft) continueField(draft, expanded);
      return;
    }
    const name = normaliseField(field[1]!);
    if (startsEntry(draft, name)) {
      flush();
      draft = newDraft(line);
    }
    setField(draft!, name, field[2]!.trim(), line);
    if (name === 'description') draft!.descriptionColumn = field.indices![2]![0];
  });
  flush();
  return entries;
}

const normaliseField = (tag: string): FieldName => {
  const lower = tag.toLowerCase();
  return lower === 'user' ? 'users' : (lower as FieldName);
};

/**
 * Whether a field line begins a new entry: a `What:` after other fields, or a field after
 * the Description (some files put `Contact:` before the `What:` it belongs to).
 */
function startsEntry(draft: Draft | null, name: FieldName): boolean {
  if (!draft) return true;
  if (name === 'what') return draft.what.length > 0 && draft.field !== 'what';
  return name !== 'users' && draft.descriptionHead !== undefined;
}

function setField(draft: Draft, name: FieldName, value: string, line: number): void {
  draft.field = name;
  if (name === 'what') {
    if (draft.what.length === 0) draft.line = line;
    if (value) draft.what.push(value);
  }
  // A second Date or KernelVersion is a slip, kept out; a second Contact is another person.
  else if (name === 'date') draft.date ??= value;
  else if (name === 'kernelversion') draft.kernelVersion ??= value;
  else if (name === 'contact') draft.contact = joinContact(draft.contact, value, ', ');
  else if (name === 'description') draft.descriptionHead = value;
}

const joinContact = (before: string | undefined, more: string, separator: string) =>
  before && more ? `${before}${separator}${more}` : before || more;

/**
 * An unlabelled line: another `What:` path (words between paths, like `formerly`, are
 * dropped), a Contact wrapped onto the next line, or Description text.
 */
function continueField(draft: Draft, raw: string): void {
  const indented = /^[ \t]+\S/.test(raw);
  if (draft.field === 'what' && indented && raw.includes('/')) draft.what.push(raw.trim());
  else if (draft.field === 'contact' && indented) draft.contact = joinContact(draft.contact, raw.trim(), ' ');
  else if (draft.field === 'description') draft.descriptionBody.push(raw);
}

function finish(draft: Draft, file: string, status: AbiStatus): RawAbiEntry {
  const entry: RawAbiEntry = { file, line: draft.line, what: draft.what, status, description: descriptionText(draft) };
  // Optional fields stay absent rather than empty: `Contact:` with nothing after it says nothing.
  if (draft.date) entry.date = draft.date;
  if (draft.kernelVersion) entry.kernelVersion = draft.kernelVersion;
  if (draft.contact) entry.contact = draft.contact;
  return entry;
}

/** Tabs to spaces at 8-column stops. */
function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  for (const ch of line) out += ch === '\t' ? ' '.repeat(8 - (out.length % 8)) : ch;
  return out;
}

const indentOf = (line: string) => line.length - line.trimStart().length;
const isBlank = (line: string) => line.trim() === '';

/**
 * The Description as text: the words on the `Description:` line, then the following lines
 * less the common margin, paragraph breaks kept (runs of blank lines become one). The words
 * on the `Description:` line set the margin too: a body that is all literal block keeps its
 * indent.
 */
function descriptionText(draft: Pick<Draft, 'descriptionHead' | 'descriptionColumn' | 'descriptionBody'>): string {
  const body = dropTrailingProse(draft.descriptionBody);
  // Column-0 lines (`Values:`, `Attributes:`) are labels, not the body's margin.
  const margins = body.filter((l) => !isBlank(l) && indentOf(l) > 0).map(indentOf);
  if (draft.descriptionHead) margins.push(draft.descriptionColumn!);
  const margin = margins.length ? Math.min(...margins) : 0;
  const dedented = body.map((l) => l.slice(Math.min(margin, indentOf(l))).trimEnd());
  const lines = [draft.descriptionHead ?? '', ...dedented];
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').replace(/^\n+|\s+$/g, '');
}

/**
 * Drops unindented paragraphs that end an indented Description: they are the file's
 * prose or RST headings between entries ("Slave contexts (eg. …):"), not this entry's.
 */
function dropTrailingProse(body: string[]): string[] {
  let end = body.length;
  while (end > 0 && isBlank(body[end - 1]!)) end--;
  let cut = end;
  for (let i = end - 1; i >= 0; i--) {
    const line = body[i]!;
    if (isBlank(line)) cut = i;
    else if (indentOf(line) > 0) break;
  }
  const kept = body.slice(0, cut);
  const indentedBefore = kept.some((l) => !isBlank(l) && indentOf(l) > 0);
  return indentedBefore ? kept : body.slice(0, end);
}

// ---------------------------------------------------------------------------------------
// Matching page paths to What patterns
