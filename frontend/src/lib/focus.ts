// After a refused Save: move focus (and so the view) to the first field with an error, in the
// order the fields appear on the page, so the person sees why nothing happened even when the
// field is scrolled out of view. Mantine form inputs carry their path as data-path.

export function focusFirstError(errors: Record<string, unknown>): void {
  const paths = new Set(Object.keys(errors).filter((k) => Boolean(errors[k])));
  if (paths.size === 0) return;
  for (const el of document.querySelectorAll<HTMLElement>('[data-path]')) {
    if (paths.has(el.dataset.path ?? '')) {
      el.focus();
      el.scrollIntoView?.({ block: 'center' });
      return;
    }
  }
}

/**
 * onMouseDown of a form's submit button: the field being edited keeps the focus until the click,
 * so its blur validation cannot show a message that moves the button away from under the
 * pointer between mousedown and mouseup (a click that then never happens). Submitting still
 * validates every field and moves the focus to the first error.
 */
export function keepFieldFocused(e: { preventDefault(): void }): void {
  e.preventDefault();
}
