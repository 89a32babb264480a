/** Comma-separated tags as typed in a form field, as the API's list: trimmed, empty ones dropped. */
export function tagList(text: string): string[] {
  return text
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}
