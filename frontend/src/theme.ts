import { Badge, Notification, createTheme, type CSSVariablesResolver } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  // Shade 8 keeps text in the primary colour above 4.5:1 on white and on its light background
  // (active navigation, light buttons); shade 6 is not.
  primaryShade: 8,
  // A visible ring whenever focus comes from the keyboard.
  focusRing: 'auto',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  defaultRadius: 'sm',
  components: {
    // Badges carry short words (roles, statuses, levels) that must stay readable: a table
    // column gives them their full width instead of cutting them to "SEC…".
    // One casing everywhere: roles, statuses and levels read as the dashboard writes them
    // ("Active", "Media shipping"), not shouted in capitals.
    // Notifications (Saved, Not changed, ...) can be closed by name from the keyboard.
    // Their text readable (Mantine's gray.6 under a title is 3.3:1 on white).
    Notification: Notification.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Close the message' } },
      styles: { description: { color: 'var(--mantine-color-gray-8)' } },
    }),
    Badge: Badge.extend({
      defaultProps: { tt: 'none' },
      styles: { root: { minWidth: 'max-content', flexShrink: 0 } },
    }),
  },
});

// Text stays readable (WCAG AA, 4.5:1): secondary ("dimmed") text in gray.7 on white, where
// Mantine's gray.6 is 3.3:1; coloured text on its light background (alerts, the active navigation
// link, light buttons and badges) in shade 9 of its colour on shade 0, shade 1 under the pointer.
export const cssVariablesResolver: CSSVariablesResolver = (t) => {
  const light: Record<string, string> = { '--mantine-color-dimmed': t.colors.gray[7] };
  for (const [name, shades] of Object.entries(t.colors)) {
    light[`--mantine-color-${name}-light`] = shades[0];
    // Shade 9 alone is not enough for the bright ones (orange.9 on orange.0 is 4:1).
    light[`--mantine-color-${name}-light-color`] = `color-mix(in srgb, ${shades[9]} 80%, black)`;
    light[`--mantine-color-${name}-light-hover`] = shades[1];
    // White on a filled badge or button: Mantine's shade 8 is under 4.5:1 for the bright colours
    // (teal 3.9, orange 3.6, yellow 2.5), so those go one shade darker, or darker still.
    const filled = [shades[8], shades[9]].find((c) => contrastWithWhite(c) >= 4.5);
    light[`--mantine-color-${name}-filled`] = filled ?? `color-mix(in srgb, ${shades[9]} 70%, black)`;
    light[`--mantine-color-${name}-filled-hover`] = filled === shades[8] ? shades[9] : `color-mix(in srgb, ${shades[9]} 60%, black)`;
  }
  light['--mantine-primary-color-light'] = t.colors.indigo[0];
  light['--mantine-primary-color-light-color'] = t.colors.indigo[9];
  light['--mantine-primary-color-light-hover'] = t.colors.indigo[1];
  return { variables: {}, light, dark: {} };
};

// WCAG's contrast ratio of white text on a #rrggbb background.
export function contrastWithWhite(hex: string): number {
  const channel = (i: number) => {
    const v = parseInt(hex.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return 1.05 / (luminance + 0.05);
}
