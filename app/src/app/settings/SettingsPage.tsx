// The settings page is written and tested in extensions/ (its own workspace); this entry point is
// what HubSpot builds, and the page module registers itself with hubspot.extend when imported.
import 'closed-loop-extensions/settings/SettingsPage.tsx';
