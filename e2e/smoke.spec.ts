import { test, expect } from '@playwright/test';

test('the page loads from the one server', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Zoho CRM Bulk Import');
});
