/**
 * The team tab's configuration page (bundled into dist/tab-assets/config.js): Teams shows
 * it when someone adds the QA dashboard to a channel. Nothing to choose: every viewer sees
 * what their own role allows, so it only tells Teams where the tab's page is.
 */
import { app, pages } from '@microsoft/teams-js';
import { applyTheme, toTheme } from './host';

async function start(): Promise<void> {
  const status = document.getElementById('config-status');
  try {
    await app.initialize();
    const context = await app.getContext();
    applyTheme(toTheme(context.app.theme));
    app.registerOnThemeChangeHandler((theme) => applyTheme(toTheme(theme)));
    pages.config.registerOnSaveHandler((event) => {
      const url = `${window.location.origin}/tab`;
      pages.config.setConfig({ entityId: 'qa-dashboard', contentUrl: url, websiteUrl: url, suggestedDisplayName: 'QA dashboard' }).then(
        () => event.notifySuccess(),
        (error: unknown) => event.notifyFailure(error instanceof Error ? error.message : 'The tab could not be saved.'),
      );
    });
    pages.config.setValidityState(true);
    if (status !== null) status.textContent = 'Select Save to add the tab.';
  } catch {
    if (status !== null) status.textContent = 'Open this page from Teams to add the QA dashboard to a team.';
  }
}

void start();
