/**
 * Escapes text for a double-quoted HTML attribute, `<` and `>` included. Astro escapes
 * only `&` and `"` in attributes: valid HTML, but a measured value such as
 * `<script>…</script>` would then appear verbatim in the file, which tools grepping the
 * output (and the hostile-value tests) rightly treat as unescaped markup.
 */
export function escapeAttribute(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
