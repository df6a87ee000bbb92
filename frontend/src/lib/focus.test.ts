import { describe, expect, it } from 'vitest';
import { focusFirstError } from './focus';

describe('focusFirstError', () => {
  it('focuses the first field with an error in page order', () => {
    document.body.innerHTML = `
      <input data-path="email" />
      <input data-path="phone" />
      <input data-path="city" />`;
    focusFirstError({ city: 'City is required', phone: 'Phone is required', email: null });
    expect(document.activeElement?.getAttribute('data-path')).toBe('phone');
  });

  it('leaves focus alone without errors', () => {
    document.body.innerHTML = `<input data-path="email" /><button id="b">Save</button>`;
    (document.getElementById('b') as HTMLButtonElement).focus();
    focusFirstError({});
    expect(document.activeElement?.id).toBe('b');
  });
});
