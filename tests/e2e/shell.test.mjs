// The app shell as a person meets it: the notice, keyboard navigation, URLs, small screens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, BASE_URL } from './browser.mjs';

test('first visit: the notice, then keyboard navigation through the three modes', async () => {
  const { context, page, errors } = await launch();
  try {
    await page.goto(`${BASE_URL}/`);
    const notice = page.getByTestId('first-visit-notice');
    await notice.waitFor();
    assert.match(await notice.innerText(), /not a medical device/);
    await screenshot(page, 'shell-first-visit');

    // The notice's button works from the keyboard.
    await page.getByTestId('notice-ok').focus();
    await page.keyboard.press('Enter');
    await notice.waitFor({ state: 'detached' });

    // From a fresh load, Tab reaches the skip link first, then the brand, then each mode link;
    // Enter on a link switches mode and keeps focus there, so the next Tab reaches the next mode.
    await page.reload();
    await page.getByTestId('mode-learn').waitFor();
    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim());
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'Skip to content');
    await page.keyboard.press('Tab');
    assert.match(await focused(), /SCS Studio/);
    for (const [mode, label] of [['learn', 'Learn'], ['train', 'Train'], ['device', 'Device']]) {
      await page.keyboard.press('Tab');
      assert.equal(await focused(), label);
      await page.keyboard.press('Enter');
      await page.getByTestId(`mode-${mode}`).waitFor();
      assert.equal(new URL(page.url()).pathname, `/${mode}`);
      assert.equal(await page.getByTestId(`nav-${mode}`).getAttribute('aria-current'), 'page');
      await screenshot(page, `shell-${mode}`);
    }

    // A reload at a mode's URL opens that mode, and the notice stays acknowledged.
    await page.goto(`${BASE_URL}/train`);
    await page.getByTestId('mode-train').waitFor();
    assert.equal(await page.getByTestId('first-visit-notice').count(), 0);

    // An unknown address says so in words.
    await page.goto(`${BASE_URL}/no-such-mode`);
    await page.getByTestId('not-found').waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('every mode fits a 360 px wide screen without sideways scrolling', async () => {
  const { context, page, errors } = await launch({ width: 360, height: 740 });
  try {
    for (const mode of ['learn', 'train', 'device']) {
      await page.goto(`${BASE_URL}/${mode}`);
      await page.getByTestId(`mode-${mode}`).waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${mode} is ${overflow} px wider than the screen`);
      await screenshot(page, `shell-360px-${mode}`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
