// Phone numbers, countries and languages as people read and pick them. Phones are read with
// libphonenumber-js (the server checks again with a port of the same library and stores them
// in E.164), countries are the ISO 3166 codes the server accepts, named in the browser's
// language, and languages the tags the server accepts, named likewise. Only pages that edit or
// show contacts import this module: it stays out of the first download.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import countryCodes from './countries.json';
import languageTags from './languages.json';

export interface Option {
  value: string;
  label: string;
}

const displayLocale = typeof navigator !== 'undefined' ? navigator.language : 'en';

function namer(type: 'region' | 'language'): (code: string) => string {
  try {
    const names = new Intl.DisplayNames([displayLocale, 'en'], { type });
    return (code) => names.of(code) ?? code;
  } catch {
    return (code) => code;
  }
}

const countryName = namer('region');
const languageName = namer('language');

/** Every country the server accepts, by name. */
export const COUNTRY_OPTIONS: Option[] = (countryCodes as string[])
  .map((code) => ({ value: code, label: countryName(code) }))
  .sort((a, b) => a.label.localeCompare(b.label));

/** The languages offered, by name; a contact's own, if the list lacks it, is added by the picker. */
export const LANGUAGE_OPTIONS: Option[] = (languageTags as string[])
  .map((tag) => ({ value: tag, label: languageName(tag) }))
  .sort((a, b) => a.label.localeCompare(b.label));

export function countryLabel(code: string | null | undefined): string {
  return code ? countryName(code) : '';
}

export function languageLabel(tag: string | null | undefined): string {
  return tag ? languageName(tag) : '';
}

/** Options with value present, for a picker showing a value the list lacks (older data). */
export function withValue(options: Option[], value: string, label: (v: string) => string): Option[] {
  return !value || options.some((o) => o.value === value) ? options : [{ value, label: label(value) }, ...options];
}

export const PHONE_HINT = 'With the country code, such as +1 937 555 0142; without it, the number is read in the country chosen below.';

/**
 * A phone number in E.164 (+19375550142), read in country when it has no country code; null
 * when it is no valid phone number.
 */
export function toE164(raw: string, country?: string): string | null {
  const n = parsePhoneNumberFromString(raw.trim(), (country || undefined) as CountryCode | undefined);
  return n && n.isValid() ? n.number : null;
}

export function validatePhone(raw: string, country?: string): string | null {
  return toE164(raw, country) ? null : 'Enter a phone number with its country code, such as +1 937 555 0142';
}

/** A stored phone number as people read it (+1 937 555 0142); anything unreadable as it is. */
export function formatPhone(value: string | null | undefined): string {
  if (!value) return '';
  const n = parsePhoneNumberFromString(value);
  return n ? n.formatInternational() : value;
}
