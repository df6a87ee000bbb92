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
  }
  light['--mantine-primary-color-light'] = t.colors.indigo[0];
  light['--mantine-primary-color-light-color'] = t.colors.indigo[9];
  light['--mantine-primary-color-light-hover'] = t.colors.indigo[1];
  return { variables: {}, light, dark: {} };
};
